"""Stacked horizontal bars drawn with QPainter (QtCharts is not part of PySide6-Essentials).

One bar per line (a body, a block): done, in progress, overdue and not started, each bar as long
as the line's items, so bars of different lines compare by share. Every state has a colour *and*
a pattern (solid, diagonal lines, cross-hatch, empty), so the chart reads on a black-and-white
printout too. Every count is written in its segment (a segment is never narrower than its number
while the bar has room), and the right-hand column says «выполнено N из M»; heading rows group the
bars (by typical plan). A legend heads the chart; hovering a bar shows all its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cxdesk.domain.reports import Counts


@dataclass(frozen=True)
class Segment:
    """How one state is drawn: base colour, pattern over it, and the colour of its count."""

    key: str
    title: str
    base: QColor
    pattern: Qt.BrushStyle
    ink: QColor


SEGMENTS = (
    Segment("done", "Выполнено", QColor("#2f7d3f"), Qt.BrushStyle.NoBrush, QColor("#1e6b30")),
    Segment("in_progress", "В работе", QColor("#cfe0f5"), Qt.BrushStyle.BDiagPattern,
            QColor("#1456a8")),
    Segment("overdue", "Просрочено", QColor("#f7c9c5"), Qt.BrushStyle.DiagCrossPattern,
            QColor("#b3261e")),
    Segment("not_started", "Не начато", QColor("#ffffff"), Qt.BrushStyle.NoBrush,
            QColor("#4f5b69")),
)  # fmt: skip
OUTLINE = QColor("#5b6670")
SCALE_NOTE = "полоса — все пункты строки, 100 %"
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass
class ChartRow:
    """One bar: its label and the count of each state (keys of :data:`SEGMENTS`).

    A ``heading`` row has no bar: it names the group of the bars under it (a typical plan).
    """

    label: str
    values: dict[str, int] = field(default_factory=dict)
    heading: bool = False

    @property
    def total(self) -> int:
        return sum(self.values.get(s.key, 0) for s in SEGMENTS)

    @classmethod
    def of(cls, label: str, counts: Counts) -> ChartRow:
        return cls(label, {s.key: int(getattr(counts, s.key)) for s in SEGMENTS})


def two_lines(fm: QFontMetrics, text: str, width: int) -> list[str]:
    """``text`` in at most two lines of ``width`` pixels, the second elided when it must be."""
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first and words:  # one word longer than the line
        return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    if not words:
        return [first]
    rest = fm.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return [first, rest]


def segment_widths(values: list[int], width: int, needs: list[int]) -> list[int]:
    """Widths of the segments: proportional to ``values``, but a non-empty segment is never
    narrower than it ``needs`` (for its number) when the bar has room for all of them."""
    total = sum(values)
    if total <= 0 or width <= 0:
        return [0] * len(values)
    shares = [width * v / total for v in values]
    if sum(n for v, n in zip(values, needs, strict=True) if v) <= width:
        fixed: set[int] = set()
        while True:
            short = {i for i, v in enumerate(values)
                     if v and i not in fixed and shares[i] < needs[i]}  # fmt: skip
            if not short:
                break
            fixed |= short
            room = width - sum(needs[i] for i in fixed)
            rest = sum(v for i, v in enumerate(values) if i not in fixed)
            shares = [needs[i] if i in fixed else (room * v / rest if rest else 0.0)
                      for i, v in enumerate(values)]  # fmt: skip
    out, edge, done = [], 0, 0.0
    for share in shares:
        done += share
        out.append(round(done) - edge)
        edge = round(done)
    out[-1] += width - sum(out)
    return out


def fill_segment(painter: QPainter, rect: QRect, segment: Segment) -> None:
    """The segment's colour, then its pattern in the darker ink over it."""
    painter.fillRect(rect, segment.base)
    if segment.pattern != Qt.BrushStyle.NoBrush:
        brush = QBrush(segment.ink, segment.pattern)
        painter.fillRect(rect, brush)


class StackedBarChart(QWidget):
    """The chart; :meth:`set_rows` gives its bars (``rows`` keeps them, for tests)."""

    MARGIN = 10
    BAR = 22
    GAP = 10

    def __init__(self, parent: QWidget | None = None, empty_text: str = "Нет данных") -> None:
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.empty_text = empty_text
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setForegroundRole(QPalette.ColorRole.Text)
        self.setAutoFillBackground(True)

    def bars(self) -> list[ChartRow]:
        """The rows that have a bar (headings left out)."""
        return [r for r in self.rows if not r.heading]

    def set_rows(self, rows: list[ChartRow]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription(
            "; ".join(f"{r.label}: " + ", ".join(f"{s.title.lower()} {r.values.get(s.key, 0)}"
                                                 for s in SEGMENTS) for r in self.bars())
        )  # fmt: skip
        self.setMinimumHeight(self._height())
        self.updateGeometry()
        self.update()

    # --- geometry ----------------------------------------------------------------------------
    def _row_height(self, row: ChartRow) -> int:
        fm = self.fontMetrics()
        if row.heading:
            return fm.height() + self.GAP
        return max(self.BAR, 2 * fm.height() + 2) + self.GAP

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + 14

    def _tops(self) -> list[int]:
        top = self.MARGIN + self._legend_height()
        out = []
        for row in self.rows:
            out.append(top)
            top += self._row_height(row)
        return out

    def _height(self) -> int:
        rows = sum(self._row_height(r) for r in self.rows) or self._row_height(ChartRow(""))
        return self.MARGIN * 2 + self._legend_height() + rows

    def sizeHint(self) -> QSize:
        return QSize(640, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(360, self._height())

    def _columns(self) -> tuple[int, int, int]:
        """Width of the labels, of the bars and of the right-hand text."""
        fm = self.fontMetrics()
        bars = self.bars()
        inner = self.width() - 2 * self.MARGIN
        right = max([fm.horizontalAdvance(self._right_text(r)) for r in bars] + [0]) + 12
        widest = max([fm.horizontalAdvance(r.label) for r in bars] + [0]) + 12
        label = min(widest, max(120, int(inner * 0.36)))
        return label, max(inner - label - right, 40), right

    @staticmethod
    def _right_text(row: ChartRow) -> str:
        return f"выполнено {row.values.get('done', 0)} из {row.total}"

    def bar_rect(self, i: int) -> QRect:
        label, bar, _right = self._columns()
        top = self._tops()[i]
        inner = self._row_height(self.rows[i]) - self.GAP
        return QRect(self.MARGIN + label, top + (inner - self.BAR) // 2, bar, self.BAR)

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        text = self.palette().color(self.foregroundRole())
        self._paint_legend(p, text)
        if not self.rows:
            p.setPen(text)
            area = self.rect().adjusted(0, self.MARGIN + self._legend_height(), 0, 0)
            p.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       self.empty_text)  # fmt: skip
            return
        label_w, _bar_w, right_w = self._columns()
        fm = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        for i, (row, top) in enumerate(zip(self.rows, self._tops(), strict=True)):
            p.setPen(text)
            if row.heading:
                width = self.width() - 2 * self.MARGIN
                shown = QFontMetrics(bold).elidedText(row.label, Qt.TextElideMode.ElideRight, width)
                p.setFont(bold)
                p.drawText(QRect(self.MARGIN, top, width, fm.height()), LEFT, shown)
                p.setFont(self.font())
                continue
            bar = self.bar_rect(i)
            label_rect = QRect(self.MARGIN, bar.center().y() - fm.height(), label_w - 10,
                               2 * fm.height())  # fmt: skip
            lines = two_lines(fm, row.label, label_rect.width())
            p.drawText(label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       "\n".join(lines))  # fmt: skip
            self._paint_bar(p, bar, row)
            p.setPen(text)
            right = QRect(bar.right() + 8, bar.top(), right_w, bar.height())
            p.drawText(right, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self._right_text(row))  # fmt: skip
        p.end()

    def _paint_legend(self, p: QPainter, text: QColor) -> None:
        fm = self.fontMetrics()
        x, y = self.MARGIN, self.MARGIN
        for segment in SEGMENTS:
            swatch = QRect(x, y + (fm.height() - 14) // 2, 26, 14)
            fill_segment(p, swatch, segment)
            p.setPen(QPen(OUTLINE, 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(swatch)
            p.setPen(text)
            p.drawText(QPoint(swatch.right() + 6, y + fm.ascent()), segment.title)
            x = swatch.right() + 6 + fm.horizontalAdvance(segment.title) + 18
        if x + fm.horizontalAdvance(SCALE_NOTE) <= self.width() - self.MARGIN:
            p.setPen(OUTLINE)
            p.drawText(QPoint(x + 6, y + fm.ascent()), SCALE_NOTE)

    def _paint_bar(self, p: QPainter, bar: QRect, row: ChartRow) -> None:
        if row.total <= 0:
            p.setPen(QPen(OUTLINE, 1, Qt.PenStyle.DashLine))
            p.drawRect(bar)
            return
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        values = [row.values.get(s.key, 0) for s in SEGMENTS]
        needs = [fm.horizontalAdvance(str(v)) + 12 for v in values]
        x = bar.left()
        for segment, value, width in zip(
            SEGMENTS, values, segment_widths(values, bar.width(), needs), strict=True
        ):
            if value <= 0 or width <= 0:
                continue
            rect = QRect(x, bar.top(), width, bar.height())
            x += width
            fill_segment(p, rect, segment)
            p.setPen(QPen(OUTLINE, 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            label = str(value)
            box = fm.boundingRect(label).adjusted(-3, -1, 3, 1)
            if box.width() + 2 > rect.width():
                continue
            box.moveCenter(rect.center())
            p.setFont(bold)
            if segment.key == "done":
                p.setPen(QColor("#ffffff"))
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#ffffff"))
                p.drawRoundedRect(box, 3, 3)
                p.setPen(segment.ink)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
            p.setFont(self.font())

    # --- tooltips ----------------------------------------------------------------------------
    def row_at(self, pos: QPoint) -> int | None:
        for i, row in enumerate(self.rows):
            if row.heading:
                continue
            area = self.bar_rect(i)
            area.setLeft(0)
            area.setRight(self.width())
            if area.adjusted(0, -self.GAP // 2, 0, self.GAP // 2).contains(pos):
                return i
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            i = self.row_at(event.pos())
            if i is None:
                QToolTip.hideText()
            else:
                row = self.rows[i]
                lines = [row.label] + [f"{s.title}: {row.values.get(s.key, 0)}" for s in SEGMENTS]
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            return True
        return super().event(event)
