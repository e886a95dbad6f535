"""The item panel: every field of the selected item, its status, and its history.

A field is saved when the user leaves it (Tab, a click elsewhere, Enter in a one-line field,
another row chosen), like a cell in a spreadsheet. The status and its comment save together:
choosing a status moves to the comment, and leaving the comment (or Enter) saves both. Values
are checked here first (the same ``validate`` as the services); an error shows in the panel and
changes nothing.

Later features add their own part of the panel (attachments, the Analytical Center's method…)
as a :class:`PanelSection` made in :func:`load_sections`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.deadlines import UNREADABLE, format_date, parse_deadline
from cxdesk.domain.item_fields import BY_NAME, PANEL_LEFT, PANEL_RIGHT
from cxdesk.domain.item_fields import FIELDS as ALL_FIELDS
from cxdesk.errors import UserError
from cxdesk.services.shapes import HistoryEntry, PlanView, RowView, validate

from ui.mainwindow import status
from ui.mainwindow.item_fields import AutoText, DateField, HistoryModel
from ui.mainwindow.wrap import WrapDelegate

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

#: The fields the panel edits (the field table's): the left column of the form, then the right.
LEFT_FIELDS = PANEL_LEFT
RIGHT_FIELDS = PANEL_RIGHT
FIELDS = LEFT_FIELDS + RIGHT_FIELDS
LABELS = {f.name: f.shown for f in ALL_FIELDS}
#: The panel's later sections are made this long after the first item is shown (after the
#: window's first paint).
SECTIONS_DELAY_MS = 150
ERROR_STYLE = "border: 1px solid #b3261e;"


def unreadable(deadline: str) -> bool:
    return parse_deadline(deadline).state == UNREADABLE


class PanelSection(QWidget):
    """A part of the item panel added by a later feature; ``title`` heads it."""

    title = ""

    def set_item(self, plan: PlanView | None, row: RowView | None) -> None:
        """Shows the item (``row`` None: nothing chosen)."""


def load_sections(window: MainWindow | None) -> list[PanelSection]:
    """The later parts of the panel: the item's documents, then the Analytical Center's method."""
    from ui.beyond.guidance_section import GuidanceSection
    from ui.tracking.attachments_section import AttachmentsSection

    if window is None:  # a panel on its own has only the item's fields
        return []
    return [AttachmentsSection(window), GuidanceSection(window)]


class ItemPanel(QWidget):
    """Edits the selected item.

    Signals: edit_requested(int, dict, str): row id, changed fields with their new values, and
    the note for the history (the status comment).
    """

    edit_requested = Signal(int, dict, str)

    def __init__(self, window: MainWindow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemPanel")
        self.plan: PlanView | None = None
        self.row: RowView | None = None
        self._loaded: dict[str, str] = {}
        self._pending: dict[str, str] = {}
        self._failed: dict[str, str] | None = None
        self._error_field: str | None = None  # the field the shown error is about
        self._shown: dict[str, bool] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("itemSplitter")
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter)

        scroll = QScrollArea(self.splitter)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # the panel never scrolls sideways: its fields (and a section's long link) wrap to the
        # width there is, whatever a child's minimum width says
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll.setWidget(body)
        self.scroll_area = scroll
        layout = QVBoxLayout(body)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.heading = QLabel(body)
        self.heading.setObjectName("itemHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        top.addWidget(self.heading)
        self.flag_icon = QLabel(body)
        top.addWidget(self.flag_icon)
        self.flag = QLabel(body)
        self.flag.setObjectName("itemFlag")
        self.flag.setTextFormat(Qt.TextFormat.PlainText)
        self.flag.setWordWrap(True)  # a long basis wraps under itself, never past the panel
        self.flag.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.heading.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        top.setAlignment(self.heading, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.flag, 1)
        layout.addLayout(top)
        self.error = QLabel(body)
        self.error.setObjectName("itemError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "color: #b3261e; background: #fdecea; border: 1px solid #f3b7b2; padding: 4px;"
        )
        self.error.setVisible(False)
        layout.addWidget(self.error)

        self.editors: dict[str, Any] = {name: self._editor(name, body) for name in FIELDS}
        self.status: QComboBox = self.editors["status"]
        self.basis: AutoText = self.editors["basis"]
        self.comment = QLineEdit(body)
        self.comment.setObjectName("statusComment")
        self.comment.setPlaceholderText("Комментарий к смене статуса (необязательно)")
        status_box = QWidget(body)
        box = QHBoxLayout(status_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.status)
        box.addWidget(self.comment, 1)
        QWidget.setTabOrder(self.status, self.comment)  # Tab from the status: its comment
        columns = QHBoxLayout()
        columns.setSpacing(12)
        layout.addLayout(columns)
        self.labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        for keys in (LEFT_FIELDS, RIGHT_FIELDS):
            column = QVBoxLayout()
            column.setSpacing(2)
            columns.addLayout(column, 1)
            for key in keys:
                widget = status_box if key == "status" else self.editors[key]
                widget.setObjectName(f"field_{key}")
                holder = QWidget(body)
                hl = QVBoxLayout(holder)
                hl.setContentsMargins(0, 0, 0, 4)
                hl.setSpacing(1)
                label = QLabel(LABELS[key], holder)
                label.setBuddy(self.status if key == "status" else self._focus_widget(key))
                hl.addWidget(label)
                widget.setParent(holder)
                hl.addWidget(widget)
                self.labels[key] = label
                self.rows[key] = holder
                column.addWidget(holder)
            column.addStretch(1)

        self._window = window
        self._body = body
        self._body_layout = layout
        # made once an item is shown, after the window's first paint (see :attr:`sections`)
        self._sections: list[PanelSection] | None = None if window is not None else []
        layout.addStretch(1)

        history_box = QWidget(self.splitter)
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(6, 4, 0, 0)
        hl.setSpacing(4)
        history_title = QLabel("История изменений", history_box)
        history_title.setFont(font)
        hl.addWidget(history_title)
        self.history_model = HistoryModel(self)
        self.history = QTreeView(history_box)
        self.history.setObjectName("itemHistory")
        self.history.setModel(self.history_model)
        self.history.setRootIsDecorated(False)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.header().setStretchLastSection(True)
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.history.setItemDelegate(WrapDelegate(self.history, {0, 1}, 6))
        self.history.setVerticalScrollMode(QTreeView.ScrollMode.ScrollPerPixel)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setColumnWidth(0, 118)
        hl.addWidget(self.history)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 340])

        self._group = {self._focus_widget(k): k for k in FIELDS}
        # the status saves with its comment and, for an exclusion, with its basis
        self._group[self.comment] = "status"
        self._group[self.basis] = "status"
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus)
        for key in FIELDS:
            if not isinstance(self.editors[key], DateField):
                continue
            self.editors[key].edit.returnPressed.connect(self.commit)
            self.editors[key].picked.connect(self.commit)
        self.comment.returnPressed.connect(self.commit)
        self.status.activated.connect(self._on_status_chosen)
        for key, editor in self.editors.items():
            typed = getattr(getattr(editor, "edit", editor), "textChanged", None)
            if typed is not None and key != "status":
                typed.connect(lambda *_a, key=key: self._on_edited(key))
        self.show_row(None, None)

    def _editor(self, name: str, body: QWidget) -> QWidget:
        """The editor of one field, as its kind wants it; also the panel's attribute ``name``
        (``panel.result``)."""
        field = BY_NAME[name]
        editor: QWidget
        if field.kind == "status":
            editor = QComboBox(body)
            for key in status.SETTABLE:
                editor.addItem(status.icon(key), status.title(key), key)
        elif field.kind in ("date", "deadline"):
            editor = DateField(field.kind == "deadline", body)
        else:
            editor = AutoText(*field.lines, body)
            if field.placeholder:
                editor.setPlaceholderText(field.placeholder)
        setattr(self, name, editor)
        return editor

    # --- showing ---------------------------------------------------------------------------
    def _focus_widget(self, key: str) -> QWidget:
        editor = self.editors[key]
        return editor.edit if isinstance(editor, DateField) else editor

    def show_row(self, plan: PlanView | None, row: RowView | None) -> None:
        """Shows a row; for the row already shown, refreshes only fields the user left alone."""
        same = row is not None and self.row is not None and row.id == self.row.id
        if not same:
            self._pending = {}
            self._failed = None
            self.comment.clear()
            self.set_error("")
            self.history_model.set_entries([])  # the row's own history comes when it is read
        old = self._loaded if same else {}
        self.plan, self.row = plan, row
        values = self._values_of(row) if row else {}
        for key in FIELDS:
            if key in values and (not same or self._current(key) == old.get(key, "")):
                self._set_value(key, values[key])
        self._loaded = values
        self._update_visibility()
        self._update_flag()
        if self._sections is None:
            if row is not None:  # the first item shown: its sections come right after
                QTimer.singleShot(SECTIONS_DELAY_MS, self, self._make_sections)
            return
        for section in self._sections:
            section.set_item(plan, row)

    @property
    def sections(self) -> list[PanelSection]:
        """The later parts of the panel (:func:`load_sections`). They are made the first time
        they are asked for, or just after the first item is shown: never before the window's
        first paint, which they would delay (30 ms)."""
        if self._sections is None:
            self._sections = load_sections(self._window)
            at = self._body_layout.count() - 1  # before the closing stretch
            for section in self._sections:
                if section.title:
                    self._body_layout.insertWidget(
                        at, QLabel(f"<b>{section.title}</b>", self._body)
                    )
                    at += 1
                self._body_layout.insertWidget(at, section)
                at += 1
                section.set_item(self.plan, self.row)
        return self._sections

    def _make_sections(self) -> None:
        if self._window is not None and self._window.store is None:  # the start: wait for it
            QTimer.singleShot(SECTIONS_DELAY_MS, self, self._make_sections)
            return
        self.sections  # noqa: B018 - made by being asked for

    def show_history(self, row_id: int, entries: list[HistoryEntry]) -> None:
        if self.row is not None and self.row.id == row_id:
            self.history_model.set_entries(entries)

    def _values_of(self, row: RowView) -> dict[str, str]:
        return {k: str(getattr(row, k) or "") for k in FIELDS}

    def _set_value(self, key: str, value: str) -> None:
        editor = self.editors[key]
        if key == "status":
            self.status.setCurrentIndex(max(self.status.findData(value), 0))
        else:
            editor.setText(value)

    def _current(self, key: str) -> str:
        if key == "status":
            return str(self.status.currentData() or "")
        return str(self.editors[key].text())

    def _update_visibility(self) -> None:
        row = self.row
        item = row is not None and row.kind == "item"
        chosen = self._current("status")
        szn = self.plan is not None and self.plan.template_id == "szn_pilot"
        for key in FIELDS:
            show = row is not None and (item or key == "title")
            if key == "done_date":
                show = show and chosen == "done"
            elif key == "basis":
                show = show and (chosen == "excluded" or bool(self._loaded.get("basis")))
            elif key == "materials":
                show = show and (szn or bool(self._loaded.get("materials")))
            elif key == "document":
                show = show and not (szn and not self._loaded.get("document"))
            self.rows[key].setVisible(show)
            self._shown[key] = show
        self.history.setEnabled(item)
        if row is None:
            self.heading.setText("Выберите пункт в таблице, чтобы увидеть и изменить его.")
            self.heading.setWordWrap(True)
            self.history_model.set_entries([])
        else:
            kind = {"block": "Блок", "section": "Раздел"}.get(row.kind, "Пункт")
            self.heading.setText(f"{kind} {row.number.rstrip('.')}".strip())

    def _update_flag(self) -> None:
        row = self.row
        text, color, mark = "", None, ""
        if row is not None and row.kind == "item":
            if row.status == "excluded":
                basis = row.basis or "основание не указано"
                text = (
                    basis[:1].upper() + basis[1:]
                    if basis.startswith("исключено")
                    else f"Исключено: {basis}"
                )
                mark = "excluded"
            elif row.overdue:
                text, mark = f"Просрочено: срок {format_date(row.due_date)}", "overdue"
            elif row.upcoming:
                text, mark = f"Ближайший срок: {format_date(row.due_date)}", "upcoming"
            elif row.deadline and row.due_date is None and unreadable(row.deadline):
                text, mark = "Срок не распознан — исправьте его в поле «Срок»", "unreadable"
            elif row.status == "done" and row.done_date:
                text, mark = f"Выполнено {row.done_date}", "done"
            color = status.COLORS.get(mark)
        self.flag.setText(text)
        if color is not None:
            self.flag.setStyleSheet(f"color: {color.name()};")
            self.flag_icon.setPixmap(status.icon(mark).pixmap(16, 16))
        self.flag.setVisible(bool(text))
        self.flag_icon.setVisible(bool(text))

    def focus_field(self, key: str) -> None:
        """Puts the cursor into a field (double-click on a cell of the tree)."""
        if key in self.editors and self._shown.get(key):
            widget = self._focus_widget(key)
            widget.setFocus()
            if key == "status":
                self.status.showPopup()

    def set_error(self, message: str, field: str | None = None) -> None:
        """Shows a validation error in the panel (empty: clears it)."""
        self._error_field = field if message else None
        self.error.setText(message)
        self.error.setVisible(bool(message))
        for key in FIELDS:
            self._focus_widget(key).setStyleSheet(ERROR_STYLE if key == field else "")

    # --- saving ----------------------------------------------------------------------------
    def changed_values(self) -> dict[str, str]:
        """Fields the user changed and that are not already being saved."""
        if self.row is None:
            return {}
        out = {}
        for key in FIELDS:
            if not self._shown.get(key):
                continue
            value = self._current(key)
            if value != self._loaded.get(key, "") and self._pending.get(key) != value:
                out[key] = value
        return out

    def commit(self) -> bool:
        """Saves what the user changed; False when a value is refused (shown in the panel)."""
        values = self.changed_values()
        if not values and self._error_field is not None:  # the refused value was typed back
            self._failed = None
            self.set_error("")
        if not values or self.row is None or values == self._failed:
            return True
        for key, value in values.items():
            try:
                validate(key, value)
            except UserError as exc:
                self._failed = values
                self.set_error(exc.message, key)
                return False
        note = self.comment.text().strip() if "status" in values else ""
        self._pending.update(values)
        self.set_error("")
        self.edit_requested.emit(self.row.id, values, note)
        return True

    def edit_done(self, row_id: int, after: dict[str, str] | None, error: str = "") -> None:
        """The window reports how a requested edit went (``after``: the values now stored)."""
        if self.row is None or self.row.id != row_id:
            return
        sent, self._pending = self._pending, {}
        if error:
            self._failed = self.changed_values()
            self.set_error(error)
            return
        self._failed = None
        for key, value in (after or {}).items():
            if self._current(key) == sent.get(key) and key != "status":
                self._set_value(key, value)
            self._loaded[key] = value
        if after and "status" in after:
            self.comment.clear()

    def choose_status(self, key: str) -> None:
        """Sets the status as if chosen in the box (the tree's context menu): saved at once,
        except an exclusion, which waits for its basis in the panel."""
        if self.row is None or self.row.kind != "item":
            return
        self.status.setCurrentIndex(max(self.status.findData(key), 0))
        self._on_status_chosen(self.status.currentIndex())
        if key != "excluded" or self.basis.text().strip():
            self.commit()

    def _on_edited(self, key: str) -> None:
        """A field with an error is typed into: the error goes as soon as its text is valid."""
        if key != self._error_field:
            return
        try:
            validate(key, self._current(key))
        except UserError:
            return
        self._failed = None
        self.set_error("")

    def _on_status_chosen(self, _index: int) -> None:
        self._update_visibility()
        if self._current("status") == "excluded" and not self.basis.text().strip():
            self.basis.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_focus(self, old: QObject | None, new: QObject | None) -> None:
        if old is None or old not in self._group:
            return
        if new is not None and self._group.get(new) == self._group[old]:  # type: ignore[call-overload]
            return
        if self.row is not None:
            self.commit()
