"""The view of the plan's tree: wrapped long texts, heights that follow the column widths.

Row heights are computed only for rows on screen (Qt asks the delegate lazily when scrolling per
item), so a plan of thousands of items opens at once. With wrapping off (Вид → «Переносить
текст»), rows are one line high and ``uniformRowHeights`` makes the view cheaper still.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ui.mainwindow.plan_model import COLUMN, COLUMNS, ROW_ROLE, PlanModel
from ui.mainwindow.status import BLOCK_BACKGROUND, SECTION_BACKGROUND
from ui.mainwindow.wrap import WrapDelegate

#: Columns whose text wraps; the others stay on one line.
WRAPPED = {COLUMN[k] for k in ("title", "deadline", "responsible", "result", "document")}
#: Default widths, for a window about 1280 pixels wide.
WIDTHS = {
    "number": 50,
    "title": 290,
    "deadline": 106,
    "responsible": 136,
    "status": 110,
    "result": 160,
    "document": 190,
}
#: At most this many lines per cell (the title: more); the tooltip shows the whole text.
MAX_LINES = 5
LIMITS = {COLUMN["title"]: 8}


class PlanTree(QTreeView):
    """The plan's rows; the title column carries the tree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planTree")
        self.wrap = True
        self.delegate = WrapDelegate(
            self, WRAPPED, MAX_LINES, LIMITS, lambda: self.wrap, row_cache=True
        )
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # edits: in the panel
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(False)
        self.setIndentation(14)
        self.setAnimated(False)
        self.setExpandsOnDoubleClick(False)
        self.setAllColumnsShowFocus(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(60)
        self._relayout.timeout.connect(self.scheduleDelayedItemsLayout)
        header.sectionResized.connect(self._on_section_resized)
        self.set_wrap(True)

    def expand_headings(self) -> None:
        """Opens every block and section: like expandAll, but asks the model only about the
        headings, not about each of thousands of items (expandAll took 0.1 s on 5,000)."""
        model = self.model()
        if not isinstance(model, PlanModel):
            self.expandAll()
            return
        for index in model.heading_indexes():
            self.setExpanded(index, True)

    def go_to(self, index: QModelIndex) -> None:
        """Makes ``index`` the current row, scrolling there first.

        With rows of different heights the tree measures every row between the top of the
        screen and the old and new current rows; so the old one is dropped quietly, the view
        scrolls, and only then the row is selected: a jump costs a screenful of rows.
        """
        if not index.isValid():
            return
        selection = self.selectionModel()
        selection.blockSignals(True)
        selection.clear()
        selection.blockSignals(False)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setCurrentIndex(index)
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Home and End jump through :meth:`go_to` (fast on long plans)."""
        if event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End) and self.model() is not None:
            action = (
                QAbstractItemView.CursorAction.MoveHome
                if event.key() == Qt.Key.Key_Home
                else QAbstractItemView.CursorAction.MoveEnd
            )
            self.go_to(self.moveCursor(action, event.modifiers()))
            event.accept()
            return
        super().keyPressEvent(event)

    def apply_default_widths(self) -> None:
        for key, _ in COLUMNS:
            self.setColumnWidth(COLUMN[key], WIDTHS[key])

    def set_wrap(self, wrap: bool) -> None:
        """Long texts wrap (rows as high as their text) or stay on one line."""
        self.wrap = wrap
        self.setWordWrap(wrap)
        self.setUniformRowHeights(not wrap)
        self.scheduleDelayedItemsLayout()

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.setTreePosition(COLUMN["title"])

    #: Shown in the empty tree when the filter lets nothing through.
    NOTHING_FOUND = (
        "Нет пунктов, подходящих под условия фильтра.\nНажмите «Сбросить», чтобы снова "
        "увидеть все пункты."
    )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not isinstance(model, PlanModel) or model.rowCount() > 0 or not model.rows:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(20, 30, -20, -20)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self.NOTHING_FOUND)
        painter.end()

    def drawRow(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Headings get their tint across the whole row, the indentation included."""
        row = index.data(ROW_ROLE)
        if row is not None and row.kind in ("block", "section"):
            color = BLOCK_BACKGROUND if row.kind == "block" else SECTION_BACKGROUND
            painter.fillRect(QRect(0, option.rect.top(), self.viewport().width(),
                                   option.rect.height()), color)  # fmt: skip
        super().drawRow(painter, option, index)

    def _on_section_resized(self, logical: int, old: int, new: int) -> None:
        if self.wrap and logical in WRAPPED:
            self._relayout.start()
