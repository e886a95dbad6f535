"""A delegate that wraps long texts and makes each row as high as its wrapped text.

QTreeView asks a delegate for a row's height without telling it the column's width; this one
looks the width up in the view, so wrapped rows get the right height. Heights are asked only for
rows on screen, so long lists stay fast.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

from ui.mainwindow.plan_model import PlanModel

Index = QModelIndex | QPersistentModelIndex
_LINE_SEPARATOR = "\u2028"


def _lines(text: str, font: QFont, width: int) -> list[tuple[int, float]]:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    out: list[tuple[int, float]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        out.append((line.textStart(), line.height()))
    layout.endLayout()
    return out


def count_lines(text: str, font: QFont, width: int) -> int:
    """How many lines the text takes when wrapped to ``width`` (as item views wrap it)."""
    return max(len(_lines(text.replace("\n", _LINE_SEPARATOR), font, width)), 1)


def fit_text(text: str, font: QFont, width: int, height: int) -> str:
    """The text cut to the lines that fit in ``width`` × ``height``, the last one ending «…».

    Line breaks come back as U+2028, the separator Qt's item views draw as a new line.
    """
    if width <= 0 or not text:
        return text
    flat = text.replace("\n", _LINE_SEPARATOR)
    starts = _lines(flat, font, width)
    used = 0.0
    fit = 0
    for _start, line_height in starts:
        if used + line_height > height + 0.5:
            break
        used += line_height
        fit += 1
    if fit >= len(starts):
        return flat
    fit = max(fit, 1)
    start = starts[fit - 1][0]
    rest = flat[start:].replace(_LINE_SEPARATOR, " ")
    last = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return flat[:start] + last


class WrapDelegate(QStyledItemDelegate):
    """Wraps the text of ``columns`` (at most ``max_lines`` lines, or per column ``limits``).

    With ``row_cache`` the height of a whole row is measured once and kept (keyed by the row's
    position in a plan's model, or the index's internal id, and the column widths); call
    :meth:`forget` when rows change.
    """

    def __init__(
        self,
        view: QTreeView,
        columns: set[int],
        max_lines: int = 5,
        limits: dict[int, int] | None = None,
        enabled: Callable[[], bool] = lambda: True,
        row_cache: bool = False,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.columns = columns
        self.max_lines = max_lines
        self.limits = limits or {}
        self.enabled = enabled
        self.row_cache = row_cache  # rows keyed by a stable id of each row
        self._rows: dict[int, tuple[tuple[tuple[int, ...], bool], QSize]] = {}
        self._widths: tuple[int, ...] | None = None
        view.header().sectionResized.connect(self._widths_changed)
        self._heights: dict[tuple[str, int, bool, bool], int] = {}
        self._text_margin = -1

    def wraps(self, column: int) -> bool:
        return column in self.columns and self.enabled()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.decorationAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if self.wraps(index.column()):
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        else:
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
            option.textElideMode = Qt.TextElideMode.ElideRight
            text = option.text.replace(_LINE_SEPARATOR, "\n")
            if "\n" in text:
                option.text = "; ".join(x.strip() for x in text.splitlines() if x.strip())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not self.wraps(index.column()):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        opt.text = fit_text(opt.text, opt.font, rect.width() - 2 * margin, rect.height())
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    def forget(self, keys: object = None) -> None:
        """Drops cached row heights: of some rows (their keys), or all."""
        if keys is None:
            self._rows.clear()
        else:
            for key in keys:
                self._rows.pop(key, None)

    def _stamp(self) -> tuple[tuple[int, ...], bool]:
        if self._widths is None:
            header = self.view.header()
            self._widths = tuple(header.sectionSize(c) for c in sorted(self.columns))
        return self._widths, self.enabled()

    def _widths_changed(self, *_: object) -> None:
        self._widths = None

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if not self.row_cache:
            return self._cell(option, index)
        # a tree asks every column of a row in turn: measure the row once, answer from memory
        stamp = self._stamp()
        model = index.model()
        key = model.position(index) if isinstance(model, PlanModel) else index.internalId()
        cached = self._rows.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        line = option.fontMetrics.lineSpacing()
        height = max(line, 16) + 6
        if stamp[1]:
            for column in self.columns:
                height = max(
                    height, self._cell(option, index.sibling(index.row(), column)).height()
                )
        size = QSize(10, height)
        self._rows[key] = (stamp, size)
        return size

    def _cell(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        base = max(line, 16) + 6
        column = index.column()
        if not self.wraps(column):
            return QSize(10, base)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return QSize(10, base)
        font = index.data(Qt.ItemDataRole.FontRole)
        if not isinstance(font, QFont):
            font = option.font
        width = self.view.columnWidth(column) - 2 * self._margin()
        if column == max(self.view.treePosition(), 0):
            width -= self.view.indentation() * (self._depth(index) + self.view.rootIsDecorated())
        if index.data(Qt.ItemDataRole.DecorationRole):
            width -= option.decorationSize.width() + 2 * self._margin()
        key = (text, width, font.bold(), font.italic())
        height = self._heights.get(key)
        if height is None:
            lines = count_lines(text, font, max(width, 20))
            height = lines * QFontMetrics(font).lineSpacing()
            if len(self._heights) > 50_000:
                self._heights.clear()
            self._heights[key] = height
        limit = self.limits.get(column, self.max_lines) * line
        return QSize(10, max(base, min(height, limit) + 6))

    def _margin(self) -> int:
        if self._text_margin < 0:
            style = self.view.style()
            metric = QStyle.PixelMetric.PM_FocusFrameHMargin
            self._text_margin = style.pixelMetric(metric, None, self.view) + 1
        return self._text_margin

    def _depth(self, index: Index) -> int:
        model = self.view.model()
        if isinstance(model, PlanModel):  # knows each row's depth without walking up
            return model.level(index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return depth
