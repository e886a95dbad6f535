"""The «График» tab beside the table: the zoom, the paper and «Сохранить график…» above the
painted timeline, the key of statuses, and the items that cannot be drawn listed below.

:class:`TimelinePage` follows the window's plan model: what the filter hides, the timeline
hides; an edit redraws it; the item chosen in the table is chosen here and the other way round.
Dragging a bar's end edits the deadline through the window's :meth:`edit_item` (the service
and the undo stack the table and the item panel use). It is rebuilt only while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain import periods as P
from cxdesk.domain.reports import PAPERS, ZOOMS
from cxdesk.io.timeline_draw import Geometry, legend
from cxdesk.services.timeline import build_timeline, export_timeline, moved_deadline

from ui.mainwindow.plan_model import ROW_ROLE
from ui.timeline.view import TimelineView

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

_FILTERS = "Документ PDF (*.pdf);;Рисунок PNG (*.png)"


class Legend(QWidget):
    """The key of statuses and marks, drawn as the files draw it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self.geo = Geometry.for_zoom("quarter")
        self.setFixedHeight(int(self.geo.row_height) + 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        legend(p, self.geo, 4, 0)
        p.end()


class TimelinePage(QWidget):
    """The tab (see the module). Parts: ``view``, ``zoom``, ``paper``, ``save_button``,
    ``apart`` (the list of items not drawn), ``apart_label``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("timelinePage")
        self.window_ = window
        self._dirty = True
        self._timer = QTimer(self)  # many rows changed at once: one rebuild
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refresh_if_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        label = QLabel("&Масштаб:", self)
        self.zoom = QComboBox(self)
        self.zoom.setObjectName("timelineZoom")
        for key, title in ZOOMS.items():
            self.zoom.addItem(title, key)
        self.zoom.setCurrentIndex(self.zoom.findData("quarter"))
        self.zoom.setToolTip("Месяцы, кварталы или годы по оси (Ctrl + колесо мыши)")
        label.setBuddy(self.zoom)
        bar.addWidget(label)
        bar.addWidget(self.zoom)
        bar.addSpacing(12)
        paper_label = QLabel("&Бумага:", self)
        self.paper = QComboBox(self)
        self.paper.setObjectName("timelinePaper")
        for key in PAPERS:
            self.paper.addItem(f"{key}, альбомная", key)
        paper_label.setBuddy(self.paper)
        bar.addWidget(paper_label)
        bar.addWidget(self.paper)
        self.save_button = QPushButton("&Сохранить график…", self)
        self.save_button.setObjectName("timelineSave")
        self.save_button.setToolTip("Сохранить график в PDF или PNG, по страницам")
        self.save_button.clicked.connect(self.ask_save)
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.view = TimelineView(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(Legend(self))
        self.apart_label = QToolButton(self)
        self.apart_label.setObjectName("timelineApartLabel")
        self.apart_label.setCheckable(True)
        self.apart_label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.apart_label.setAutoRaise(True)
        self.apart_label.setArrowType(Qt.ArrowType.RightArrow)
        self.apart_label.toggled.connect(self._show_apart)
        self.apart = QListWidget(self)
        self.apart.setObjectName("timelineApart")
        self.apart.setMaximumHeight(96)
        self.apart.setVisible(False)
        self.apart.setAccessibleName("Пункты, не показанные на графике")
        layout.addWidget(self.apart_label)
        layout.addWidget(self.apart)

        model = window.model
        model.modelReset.connect(self.mark_dirty)
        model.dataChanged.connect(lambda *_a: self.mark_dirty())
        window.tree.selectionModel().currentChanged.connect(self._on_current)
        self.zoom.currentIndexChanged.connect(lambda _i: self.view.set_zoom(self.zoom_key()))
        self.view.zoom_changed.connect(self._zoom_from_view)
        self.view.row_clicked.connect(window.select_row)
        self.view.deadline_dragged.connect(self.move_deadline)
        self.apart.itemActivated.connect(self._apart_chosen)
        self.apart.itemClicked.connect(self._apart_chosen)

    def zoom_key(self) -> str:
        return str(self.zoom.currentData())

    def _zoom_from_view(self, zoom: str) -> None:
        self.zoom.blockSignals(True)
        self.zoom.setCurrentIndex(self.zoom.findData(zoom))
        self.zoom.blockSignals(False)

    # --- following the model ---------------------------------------------------------------
    def mark_dirty(self) -> None:
        self._dirty = True
        self._timer.start()

    def _refresh_if_shown(self) -> None:
        if self._dirty and self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Builds the timeline again from the model's rows that the filter lets through."""
        self._dirty = False
        model = self.window_.model
        plan = model.plan
        if plan is None:
            self.view.set_timeline(None)
            self._fill_apart([])
            return
        shown = [r for r in model.rows if model.index_of(r.id).isValid()]
        timeline = build_timeline(plan, shown)
        self.view.set_timeline(timeline)
        row = self.window_.panel.row
        self.view.set_selected(row.id if row is not None else None)
        self._fill_apart(timeline.apart)

    def _fill_apart(self, lines: list[Any]) -> None:
        self.apart.clear()
        for line in lines:
            why = P.KIND_TITLES[P.period(line.deadline).kind]
            text = (
                f"{line.label} — «{line.deadline}»: {why}"
                if line.deadline
                else (f"{line.label} — {why}")
            )
            item = QListWidgetItem(text, self.apart)
            item.setData(Qt.ItemDataRole.UserRole, line.row_id)
        self.apart_label.setText(f"Не на графике — срок не указан или не распознан: {len(lines)}")
        self.apart_label.setVisible(bool(lines))
        self.apart.setVisible(bool(lines) and self.apart_label.isChecked())

    def _show_apart(self, shown: bool) -> None:
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.apart_label.setArrowType(arrow)
        self.apart.setVisible(shown and self.apart.count() > 0)

    def _apart_chosen(self, item: QListWidgetItem) -> None:
        self.window_.select_row(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        self.view.set_selected(row.id if row is not None else None)

    # --- editing and saving ----------------------------------------------------------------
    def move_deadline(self, row_id: int, day: date) -> None:
        """A bar's end dropped on ``day``: the deadline changes as if typed in the item panel."""
        row = self.window_.model.row_by_id(row_id)
        if row is None or row.kind != "item":
            return
        text = moved_deadline(row.deadline, day)
        if text != row.deadline:
            self.window_.edit_item(row_id, {"deadline": text}, "перенесено на графике")

    def save_to(
        self, path: Path, then: Callable[[tuple[Path, int] | None], object] | None = None
    ) -> None:
        """Writes the open plan's timeline to ``path`` on the database thread; ``then`` gets
        the file and its page count, or None."""
        from ui.beyond import common as B
        from ui.exchange import common as C

        done = then or C.nothing
        plan_id = self.window_.current_plan_id
        if plan_id is None:
            done(None)
            return
        zoom, paper = self.zoom_key(), str(self.paper.currentData())
        B.write_file(
            self,
            lambda st: export_timeline(st, plan_id, path, zoom, paper),
            "Сохранение графика…",
            done,
            done,
        )

    def ask_save(self) -> None:
        from ui.beyond import common as B
        from ui.exchange import common as C

        plan = self.window_.model.plan
        if plan is None:
            return
        proposed = B.proposed_path(self, f"{B.file_base(plan.org or plan.title)} — график.pdf")
        chosen, _used = QFileDialog.getSaveFileName(
            self, "Сохранить график", str(proposed), _FILTERS
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".pdf", ".png"):
            path = path.with_name(path.name + ".pdf")

        def saved(result: tuple[Path, int] | None) -> None:
            if result is None:
                return
            B.remember(self, result[0])
            C.finished(self, f"График сохранён: страниц {result[1]}.", result[0],
                       detail=f"Папка: {result[0].parent}")  # fmt: skip

        self.save_to(path, saved)
