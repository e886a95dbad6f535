"""A delegate that wraps long texts and makes each row as high as its wrapped text.

QTreeView asks a delegate for a row's height without telling it the column's width; this one
looks the width up in the view, so wrapped rows get the right height. Heights are asked only for
rows on screen, so long lists stay fast.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

Index = QModelIndex | QPersistentModelIndex
_LINE_SEPARATOR = "\u2028"


def fit_text(text: str, font: QFont, width: int, height: int) -> str:
    """The text cut to the lines that fit in ``width`` × ``height``, the last one ending «…».

    Line breaks come back as U+2028, the separator Qt's item views draw as a new line.
    """
    if width <= 0 or not text:
        return text
    flat = text.replace("\n", _LINE_SEPARATOR)
    layout = QTextLayout(flat, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    starts: list[tuple[int, float]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append((line.textStart(), line.height()))
    layout.endLayout()
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
    """Wraps the text of ``columns`` (at most ``max_lines`` lines, or per column ``limits``)."""

    def __init__(
        self,
        view: QTreeView,
        columns: set[int],
        max_lines: int = 5,
        limits: dict[int, int] | None = None,
        enabled: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.columns = columns
        self.max_lines = max_lines
        self.limits = limits or {}
        self.enabled = enabled

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

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        line = opt.fontMetrics.lineSpacing()
        if not self.wraps(index.column()):
            return QSize(10, max(line, 16) + 6)
        width = self.view.columnWidth(index.column())
        if index.column() == self.view.treePosition() or (
            index.column() == 0 and self.view.treePosition() < 0
        ):
            depth = 0
            parent = index.parent()
            while parent.isValid():
                depth += 1
                parent = parent.parent()
            width -= self.view.indentation() * (depth + int(self.view.rootIsDecorated()))
        opt.rect = QRect(0, 0, max(width, 40), 1)
        style = self.view.style()
        size = style.sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, opt, QSize(), self.view)
        lines = self.limits.get(index.column(), self.max_lines)
        return QSize(size.width(), min(size.height(), line * lines + 6))
