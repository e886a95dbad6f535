"""The item panel's documents: the files that prove an item is done.

The list shows each file's name with its type's icon, its size and the day it was added.
Buttons attach files (several at once), open a read-only copy with the system's program, save a
copy elsewhere and remove a file (asked first; one undo step). Files dragged from the file
manager onto the list are attached too. A done item without a file gets a gentle hint naming the
document the plan expects.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.errors import NotFound
from cxdesk.services.attachments import AttachmentView, list_attachments
from cxdesk.services.views import PlanView, RowView

from ui.mainwindow.item_panel import PanelSection
from ui.settings import ATTACH_FOLDER, SAVE_FOLDER, folder_for, remember_folder
from ui.tracking import ops
from ui.tracking.files import date_text, file_icon, has_local_files, local_paths, size_text

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

HINT = "Выполнено без документа — прикрепите приказ или отчёт"
HINT_STYLE = "color: #7a4300; background: #fff6e0; border: 1px solid #f0d9a8; padding: 4px 6px;"
EMPTY = "Файлов нет. Нажмите «Прикрепить…» или перетащите файлы сюда из папки."
FILE_ROLE = Qt.ItemDataRole.UserRole + 1


class AttachmentList(QTreeWidget):
    """The files of one item; takes files dropped from the file manager.

    Signals:
        files_dropped(list): paths of the files dropped on the list.
        folders_dropped(list): paths of folders dropped (they are not attached).
        open_requested(): Enter pressed on a file.
        remove_requested(): Delete pressed on a file.
    """

    files_dropped = Signal(list)
    folders_dropped = Signal(list)
    open_requested = Signal()
    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentList")
        self.setAccessibleName("Прикреплённые документы")
        self.setColumnCount(3)
        self.setHeaderLabels(["Файл", "Размер", "Добавлен"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.enabled_drops = True
        self.fit_rows(0)

    def fit_rows(self, count: int) -> None:
        """As high as its files (three to six rows), beside the buttons, without scrolling."""
        rows = max(3, min(6, count))
        line = max(self.fontMetrics().height() + 8, 22)
        self.setFixedHeight(self.header().sizeHint().height() + rows * line + 2 * self.frameWidth())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.enabled_drops and has_local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.enabled_drops and has_local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not (self.enabled_drops and has_local_files(event.mimeData())):
            event.ignore()
            return
        event.acceptProposedAction()
        files, folders = local_paths(event.mimeData().urls())
        if folders:
            self.folders_dropped.emit(folders)
        if files:
            self.files_dropped.emit(files)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.currentItem() is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
        elif self.currentItem() is not None and key == Qt.Key.Key_Delete:
            self.remove_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.topLevelItemCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(8, 0, -8, 0), int(flags), EMPTY)
        painter.end()


class AttachmentsSection(PanelSection):
    """The documents of the item shown in the panel; hidden for blocks and sections.

    Signals: files_shown(int): the id of the row whose files the list now shows.
    """

    title = ""  # the section carries its own heading, so that it hides with it
    files_shown = Signal(int)

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsSection")
        self.main_window = window
        self.plan: PlanView | None = None
        self.row: RowView | None = None
        self.files: list[AttachmentView] = []
        self._names: list[str] | None = None  # the row's file names the list was loaded for

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        self.heading = QLabel("Подтверждающие документы", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.hint = QLabel(self)
        self.hint.setObjectName("attachmentsHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setVisible(False)
        layout.addWidget(self.hint)

        body = QHBoxLayout()
        body.setSpacing(8)
        layout.addLayout(body)
        self.list = AttachmentList(self)
        body.addWidget(self.list, 1, Qt.AlignmentFlag.AlignTop)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        body.addLayout(buttons)
        self.attach_button = self._button("Прикрепить…", "attachButton", buttons,
                                          "Выбрать один или несколько файлов")  # fmt: skip
        self.open_button = self._button("Открыть", "openButton", buttons,
                                        "Открыть копию файла только для чтения")  # fmt: skip
        self.save_button = self._button("Сохранить копию…", "saveCopyButton", buttons,
                                        "Сохранить копию файла в папку")  # fmt: skip
        self.remove_button = self._button("Удалить", "removeButton", buttons,
                                          "Убрать файл из пункта (можно отменить)")  # fmt: skip
        buttons.addStretch(1)

        self.attach_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.list.open_requested.connect(self.open_selected)
        self.list.remove_requested.connect(self.remove_selected)
        self.list.files_dropped.connect(self.attach_paths)
        self.list.folders_dropped.connect(self._folders_dropped)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.setVisible(False)

    def _button(self, text: str, name: str, box: QVBoxLayout, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        box.addWidget(button)
        return button

    # --- showing ---------------------------------------------------------------------------
    def set_item(self, plan: PlanView | None, row: RowView | None) -> None:
        """Shows the files of an item; loads them again only when the row's files changed."""
        item = row is not None and row.kind == "item"
        same = item and self.row is not None and row is not None and self.row.id == row.id
        self.plan, self.row = plan, row if item else None
        self.setVisible(item)
        if not item or plan is None or row is None:
            self.files, self._names = [], None
            self.list.clear()
            return
        self._update_hint()
        if same and self._names == list(row.attachments):
            return
        if not same:
            self.files = []
            self.list.clear()
            self._update_buttons()
        self._names = list(row.attachments)
        self.reload()

    def reload(self) -> None:
        """Reads the item's files from the store (on the worker) and shows them."""
        if self.plan is None or self.row is None:
            return
        plan_id, row_id = self.plan.id, self.row.id
        self.main_window.tasks.run(
            lambda st: list_attachments(st, plan_id, f"#{row_id}"),
            parent=self.main_window,
            success=lambda files: self._loaded(row_id, files),
            failure=lambda exc: isinstance(exc, NotFound),
        )

    def _loaded(self, row_id: int, files: list[AttachmentView]) -> None:
        if self.row is None or self.row.id != row_id:
            return
        chosen = self.selected()
        self.files = files
        self.list.clear()
        for f in files:
            entry = QTreeWidgetItem([f.name, size_text(f.size), date_text(f.added)])
            entry.setIcon(0, file_icon(f.name))
            entry.setData(0, FILE_ROLE, f.id)
            entry.setToolTip(0, f"{f.name}\nДобавлен {date_text(f.added, True)}")
            entry.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(entry)
            if chosen is not None and chosen.id == f.id:
                self.list.setCurrentItem(entry)
        newest = self.list.topLevelItem(len(files) - 1) if files else None
        if self.list.currentItem() is None and newest is not None:
            self.list.setCurrentItem(newest)
        self.list.fit_rows(len(files))
        self._update_buttons()
        self._update_hint()
        self.files_shown.emit(row_id)

    def _update_hint(self) -> None:
        row = self.row
        show = row is not None and row.status == "done" and not row.attachments
        if show and row is not None:
            doc = " ".join(row.document.split())
            self.hint.setText(HINT + (f".\nВид документа по плану: {doc}" if doc else "."))
        self.hint.setVisible(show)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.open_button, self.save_button, self.remove_button):
            button.setEnabled(chosen)
        self.attach_button.setEnabled(self.row is not None)

    def selected(self) -> AttachmentView | None:
        entry = self.list.currentItem()
        if entry is None or not entry.isSelected():
            return None
        ident = entry.data(0, FILE_ROLE)
        return next((f for f in self.files if f.id == ident), None)

    def select_name(self, name: str) -> bool:
        """Selects a file by its name (tests, screenshots)."""
        for i in range(self.list.topLevelItemCount()):
            entry = self.list.topLevelItem(i)
            if entry is not None and entry.text(0) == name:
                self.list.setCurrentItem(entry)
                return True
        return False

    # --- actions ---------------------------------------------------------------------------
    def choose_files(self) -> None:
        """«Прикрепить…»: a file dialog that takes several files at once."""
        if self.row is None:
            return
        settings = self.main_window.settings
        folder = str(folder_for(settings, ATTACH_FOLDER) or Path.home())
        names, _ = QFileDialog.getOpenFileNames(
            self, f"Прикрепить документы к пункту {self.row.number.rstrip('.')}", folder,
            "Все файлы (*)",
        )  # fmt: skip
        if names:
            remember_folder(settings, ATTACH_FOLDER, Path(names[0]))
            self.attach_paths([Path(n) for n in names])

    def attach_paths(self, paths: list[Path]) -> None:
        """Attaches files to the item shown (one undo step)."""
        if self.plan is None or self.row is None or not paths:
            return
        ops.attach(self.main_window, self.plan.id, self.row.id, self.row.number, paths)

    def open_selected(self, then: Any = None) -> None:
        """«Открыть» and double-click: a read-only copy, opened with the system's program."""
        chosen = self.selected()
        if chosen is not None:
            ops.open_file(self.main_window, self, chosen, then)

    def save_selected(self) -> None:
        """«Сохранить копию…»: the original name proposed."""
        chosen = self.selected()
        if chosen is None:
            return
        settings = self.main_window.settings
        folder = folder_for(settings, SAVE_FOLDER) or Path.home()
        name, _ = QFileDialog.getSaveFileName(
            self, "Сохранить копию документа", str(folder / ops.proposed_name(chosen))
        )
        if name:
            remember_folder(settings, SAVE_FOLDER, Path(name))
            self.save_copy_to(Path(name))

    def save_copy_to(self, dest: Path, then: Any = None) -> None:
        chosen = self.selected()
        if chosen is not None:
            ops.save_as(self.main_window, self, chosen, dest, then)

    def remove_selected(self) -> None:
        """«Удалить»: asks first; the removal is one undo step and stays in the history."""
        chosen = self.selected()
        if chosen is not None and self.plan is not None and self.row is not None:
            ops.remove(self.main_window, self, self.plan.id, self.row.number, chosen)

    def _folders_dropped(self, folders: list[Path]) -> None:
        ops.say(self.main_window, "Папки не прикрепляются: перетащите сами файлы из папки.")
