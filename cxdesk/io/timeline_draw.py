"""Draws a :class:`~cxdesk.services.timeline.Timeline` with QPainter: the screen and the files.

The window's «График» view, the PDF and PNG export and the progress report's page all call
:func:`paint` with a window onto the timeline (its scroll offsets and size), so the picture is
the same everywhere: the items' names in a column on the left, the years and the quarters or
months across the top, the bars below. Only the rows and months inside the window are drawn,
so a plan of thousands of items paints as fast as one of ten.

A status is told by its colour (the window's status colours) *and* its pattern, so the picture
reads in black and white: not started — hollow, in progress — hatched, done — solid, overdue —
cross-hatched with a thick outline and «!» after the deadline, excluded — dotted, dashed outline.
A point deadline ends with a diamond, a span one («I квартал 2024 года») with a bracket under
the span; the whole period runs across with open ends, a repeated deadline marks every repeat.
Today is a red dashed line.

QtGui only, imported by the modules that draw (never by the core at start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPolygonF,
    QStaticText,
)

from cxdesk.domain import periods as P
from cxdesk.domain.deadlines import format_date

if TYPE_CHECKING:
    from cxdesk.domain.reports import Line, Timeline

#: The window's status colours (ui/mainwindow/status.py holds them as QColors; a test keeps the
#: two the same), and the heading backgrounds.
STATUS_INK = {
    "not_started": "#4f5b69",
    "in_progress": "#1456a8",
    "done": "#1e6b30",
    "overdue": "#b3261e",
    "excluded": "#767b82",
}
BLOCK_BACKGROUND = "#e6edf6"
SECTION_BACKGROUND = "#f1f5fa"
SELECTED_BACKGROUND = "#cfe0f7"
TODAY_INK = "#d0021b"
GRID_INK = {"month": "#eceff3", "quarter": "#c9d0d9", "year": "#8a95a3"}

#: Zoom → pixels per day on screen (a quarter about 120 pixels wide at ``quarter``).
PIXELS_PER_DAY = {"month": 4.0, "quarter": 1.3, "year": 0.45}

#: Status → brush pattern: what tells statuses apart without colour.
PATTERNS = {
    "not_started": Qt.BrushStyle.NoBrush,
    "in_progress": Qt.BrushStyle.BDiagPattern,
    "done": Qt.BrushStyle.SolidPattern,
    "overdue": Qt.BrushStyle.DiagCrossPattern,
    "excluded": Qt.BrushStyle.Dense6Pattern,
}
ROMAN_QUARTERS = ("I", "II", "III", "IV")
MONTHS_SHORT = ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.",
                "окт.", "нояб.", "дек.")  # fmt: skip


@dataclass
class Geometry:
    """Sizes in the device's units: ``ppd`` per day, the label column, a row, the header."""

    ppd: float
    label_width: float = 320.0
    row_height: float = 22.0
    header_height: float = 40.0
    font_px: float = 12.0
    family: str = ""  # "" — the application's font
    _fonts: dict[tuple[float, bool, bool], QFont] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def for_zoom(cls, zoom: str, scale: float = 1.0, family: str = "") -> Geometry:
        s = scale
        return cls(PIXELS_PER_DAY[zoom] * s, 320.0 * s, 22.0 * s, 40.0 * s, 12.0 * s, family)

    def font(self, size: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
        """The font of the drawing, ``size`` times the base size (made once per geometry)."""
        found = self._fonts.get((size, bold, italic))
        if found is None:
            found = QFont(self.family) if self.family else QFont()
            found.setPixelSize(max(int(round(self.font_px * size)), 6))
            found.setBold(bold)
            found.setItalic(italic)
            self._fonts[(size, bold, italic)] = found
        return found

    @property
    def printed(self) -> bool:
        """Drawn for a file (in the bundled font, which its texts are made printable in)."""
        return bool(self.family)

    def x_of(self, tl: Timeline, d: date) -> float:
        """The left edge of day ``d`` in the chart (0 at the first day drawn)."""
        return (d - tl.first).days * self.ppd

    def date_at(self, tl: Timeline, x: float) -> date:
        """The day under chart position ``x`` (clamped to the days drawn)."""
        days = min(max(int(x // self.ppd), 0), tl.days - 1)
        return tl.first + timedelta(days=days)

    def chart_width(self, tl: Timeline) -> float:
        return tl.days * self.ppd

    def chart_height(self, tl: Timeline) -> float:
        return len(tl.lines) * self.row_height

    def bar_rect(self, tl: Timeline, i: int, line: Line) -> QRectF | None:
        """Where the bar of line ``i`` is drawn (chart coordinates), None for headings."""
        if line.bar is None:
            return None
        x0 = self.x_of(tl, line.bar.start)
        x1 = self.x_of(tl, line.bar.end) + self.ppd
        h = self.row_height * 0.52
        y = i * self.row_height + (self.row_height - h) / 2 - self.row_height * 0.06
        return QRectF(x0, y, max(x1 - x0, 3.0), h)


@cache
def _ink(name: str) -> QColor:
    """A colour by its name, parsed once."""
    return QColor(name)


_TEXTS: dict[tuple[str, str, int, bool], QStaticText] = {}
_TEXTS_KEPT = 20000


def _static(text: str, font: QFont, width: float, printed: bool = False) -> QStaticText:
    """``text`` laid out once in ``font``, cut with «…» to ``width`` (kept for the next frame:
    laying text out is most of the cost of a frame). ``printed``: for a file, in the bundled
    font (:func:`cxdesk.io.pdf_text.printable`: footnote marks raised, nothing from the system)."""
    key = (text, font.key(), int(width), printed)
    found = _TEXTS.get(key)
    if found is None:
        if len(_TEXTS) > _TEXTS_KEPT:
            _TEXTS.clear()
        if printed:
            found = _printed_static(text, font, width)
        else:
            shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
            found = QStaticText(shown)
            found.setTextFormat(Qt.TextFormat.PlainText)
        found.prepare(font=font)
        _TEXTS[key] = found
    return found


def _printed_static(text: str, font: QFont, width: float) -> QStaticText:
    """The static text of :func:`_static` for a file (rich text when marks are raised)."""
    from cxdesk.io.pdf_text import Printable, printable, printable_html

    shown = printable(text)
    cut = QFontMetricsF(font).elidedText(shown.text, Qt.TextElideMode.ElideRight, width)
    if cut != shown.text:  # the first characters and «…»
        kept = len(cut) - 1
        shown = Printable(
            cut,
            tuple(i for i in shown.raised if i < kept),
            tuple(i for i in shown.lowered if i < kept),
        )
    if not shown.raised and not shown.lowered:
        found = QStaticText(shown.text)
        found.setTextFormat(Qt.TextFormat.PlainText)
        return found
    found = QStaticText(f'<p style="white-space:pre">{printable_html(shown)}</p>')  # one line
    found.setTextFormat(Qt.TextFormat.RichText)
    return found


def line_text(
    p: QPainter, rect: QRectF, text: str, centre: bool = False, printed: bool = False
) -> None:
    """Draws one line of ``text`` in the painter's font inside ``rect``, centred vertically
    (and across, with ``centre``), cut with «…» when it is longer (``printed``: see
    :func:`_static`)."""
    font = p.font()
    st = _static(text, font, rect.width(), printed)
    size = st.size()
    x = rect.left() + ((rect.width() - size.width()) / 2 if centre else 0)
    p.drawStaticText(QPointF(x, rect.top() + (rect.height() - size.height()) / 2), st)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s month to ``last``'s."""
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def visible_rows(geo: Geometry, tl: Timeline, sy: float, height: float) -> range:
    """The lines inside a window of ``height`` scrolled by ``sy`` (chart height units)."""
    first = max(int(sy // geo.row_height), 0)
    last = min(int((sy + height) // geo.row_height) + 1, len(tl.lines))
    return range(first, max(first, last))


def paint(
    p: QPainter,
    tl: Timeline,
    geo: Geometry,
    zoom: str,
    size: tuple[float, float],
    scroll: tuple[float, float] = (0.0, 0.0),
    selected: int | None = None,
    rows: range | None = None,
    kept: dict[Any, Any] | None = None,
) -> None:
    """Draws the window ``size`` of the timeline scrolled by ``scroll`` (chart units) at the
    painter's origin: labels on the left and the axis on top stay in place. ``rows``: only these
    lines (a printed page), default the ones in the window. ``selected``: a row id. ``kept``:
    a dict the screen passes to keep the axis drawn while only rows scroll."""
    width, height = size
    sx, sy = scroll
    lw, hh = geo.label_width, geo.header_height
    chart_w, chart_h = width - lw, height - hh
    shown = rows if rows is not None else visible_rows(geo, tl, sy, chart_h)
    d0 = geo.date_at(tl, sx)
    d1 = geo.date_at(tl, sx + chart_w)
    p.save()
    p.fillRect(QRectF(0, 0, width, height), _ink("white"))

    p.save()  # the chart
    p.setClipRect(QRectF(lw, hh, chart_w, chart_h))
    p.translate(lw - sx, hh - sy)
    _grid(p, tl, geo, zoom, d0, d1, shown)
    for i in shown:
        _row(p, tl, geo, i, tl.lines[i], selected, sx, sx + chart_w)
    _today(p, tl, geo, shown)
    p.restore()

    if kept is None:
        p.save()  # the axis
        p.setClipRect(QRectF(lw, 0, chart_w, hh))
        p.translate(lw - sx, 0)
        _axis(p, tl, geo, zoom, d0, d1, sx, sx + chart_w)
        p.restore()
    else:
        p.drawPixmap(QPointF(lw, 0), _kept_axis(p, kept, tl, geo, zoom, (d0, d1), sx, chart_w))

    p.save()  # the labels
    p.setClipRect(QRectF(0, hh, lw, chart_h))
    p.translate(0, hh - sy)
    _labels(p, tl, geo, shown, selected)
    p.restore()

    p.setPen(QPen(_ink("#3c4858"), 1))
    p.setFont(geo.font(1.0, bold=True))
    line_text(p, QRectF(6, 0, lw - 12, hh), "Мероприятие")
    p.drawLine(QPointF(lw, 0), QPointF(lw, height))
    p.drawLine(QPointF(0, hh), QPointF(width, hh))
    p.restore()


def _kept_axis(
    p: QPainter,
    kept: dict[Any, Any],
    tl: Timeline,
    geo: Geometry,
    zoom: str,
    days: tuple[date, date],
    sx: float,
    width: float,
) -> Any:
    """The axis of this window as a pixmap, drawn again only when it scrolled across."""
    from PySide6.QtGui import QPixmap

    ratio = p.device().devicePixelRatioF()
    key = ("axis", id(tl), tl.first, tl.last, tl.today, zoom, sx, width, geo.ppd, ratio)
    pix = kept.get(key)
    if pix is None:
        pix = QPixmap(max(int(width * ratio), 1), max(int(geo.header_height * ratio), 1))
        pix.setDevicePixelRatio(ratio)
        pix.fill(_ink("white"))
        pp = QPainter(pix)
        pp.setRenderHints(p.renderHints())
        pp.translate(-sx, 0)
        _axis(pp, tl, geo, zoom, days[0], days[1], sx, sx + width)
        pp.end()
        kept.clear()
        kept[key] = pix
    return pix


def _grid(
    p: QPainter, tl: Timeline, geo: Geometry, zoom: str, d0: date, d1: date, shown: range
) -> None:
    top = shown.start * geo.row_height
    bottom = shown.stop * geo.row_height
    for i in shown:  # heading bands first, lines over them
        line = tl.lines[i]
        if line.kind != "item":
            color = BLOCK_BACKGROUND if line.kind == "block" else SECTION_BACKGROUND
            y = i * geo.row_height
            x0, x1 = geo.x_of(tl, d0), geo.x_of(tl, d1) + geo.ppd * 31
            p.fillRect(QRectF(x0, y, x1 - x0, geo.row_height), _ink(color))
    for m in months_between(d0, d1 + timedelta(days=31)):
        level = "year" if m.month == 1 else "quarter" if m.month % 3 == 1 else "month"
        if level == "month" and zoom == "year":
            continue
        p.setPen(QPen(_ink(GRID_INK[level]), 1))
        x = geo.x_of(tl, m)
        p.drawLine(QPointF(x, top), QPointF(x, bottom))


@cache
def _style(status: str) -> tuple[QColor, QPen, QBrush]:
    """The colour, outline and fill of a status's bars (made once: they never change)."""
    color = QColor(STATUS_INK.get(status, STATUS_INK["not_started"]))
    pen = QPen(color, 2.2 if status == "overdue" else 1.2)
    if status == "excluded":
        pen.setStyle(Qt.PenStyle.DashLine)
    brush = QBrush(color, PATTERNS.get(status, Qt.BrushStyle.NoBrush))
    return color, pen, brush


def _row(
    p: QPainter,
    tl: Timeline,
    geo: Geometry,
    i: int,
    line: Line,
    selected: int | None,
    x_from: float,
    x_to: float,
) -> None:
    if line.row_id == selected:
        y = i * geo.row_height
        p.fillRect(QRectF(x_from, y, x_to - x_from, geo.row_height), _ink(SELECTED_BACKGROUND))
    rect = geo.bar_rect(tl, i, line)
    if rect is None or line.bar is None:
        return
    if rect.right() < x_from - 40 or rect.left() > x_to + 40:
        return
    bar = line.bar
    color, pen, brush = _style(line.status)
    kind = bar.period.kind
    if kind == P.RECURRING:
        thin = QRectF(rect.left(), rect.center().y() - 1.5, rect.width(), 3)
        p.fillRect(thin, QColor(color.red(), color.green(), color.blue(), 90))
        for d in bar.repeats:
            _diamond(p, geo.x_of(tl, d) + geo.ppd, rect.center().y(), rect.height() * 0.5, pen,
                     color)  # fmt: skip
        return
    p.setPen(pen)
    p.fillRect(rect, _ink("white"))
    p.setBrush(brush)
    if kind == P.WHOLE:  # open ends: the work goes on before and after
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRect(rect)
        p.setPen(pen)
        p.drawLine(rect.topLeft(), rect.topRight())
        p.drawLine(rect.bottomLeft(), rect.bottomRight())
        r = rect.height() * 0.5  # arrow heads: «throughout», outward at both ends
        y = rect.center().y()
        p.setPen(QPen(color, 1))
        p.setBrush(color)
        left, right = rect.left(), rect.right()
        p.drawPolygon(QPolygonF([QPointF(left, y - r), QPointF(left - r, y), QPointF(left, y + r)]))
        p.drawPolygon(
            QPolygonF([QPointF(right, y - r), QPointF(right + r, y), QPointF(right, y + r)])
        )
    else:
        p.drawRect(rect)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if kind == P.POINT:
        _diamond(p, rect.right(), rect.center().y(), rect.height() * 0.62, pen, color)
    elif kind == P.SPAN and bar.window is not None:
        x = geo.x_of(tl, bar.window)
        y = rect.bottom() + geo.row_height * 0.12
        bracket = QPen(color, 1.4)
        p.setPen(bracket)
        p.drawLine(QPointF(x, y), QPointF(rect.right(), y))
        p.drawLine(QPointF(x, y), QPointF(x, y - geo.row_height * 0.1))
        p.drawLine(QPointF(rect.right(), y), QPointF(rect.right(), y - geo.row_height * 0.1))
    if line.status == "overdue":
        r = rect.height() * 0.5
        cx = rect.right() + r + 4
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(QPointF(cx, rect.center().y()), r, r)
        p.setPen(QPen(_ink("white"), 1))
        p.setFont(geo.font(r * 1.7 / geo.font_px, bold=True))
        p.drawText(QRectF(cx - r, rect.center().y() - r, 2 * r, 2 * r),
                   Qt.AlignmentFlag.AlignCenter, "!")  # fmt: skip
        p.setBrush(Qt.BrushStyle.NoBrush)


def _diamond(p: QPainter, x: float, y: float, r: float, pen: QPen, color: QColor) -> None:
    p.setPen(QPen(_ink("white") if pen.color() == color else pen.color(), 1))
    p.setBrush(color)
    shape = QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])
    p.drawPolygon(shape)
    p.setBrush(Qt.BrushStyle.NoBrush)


def _today(p: QPainter, tl: Timeline, geo: Geometry, shown: range) -> None:
    if not tl.first <= tl.today <= tl.last:
        return
    x = geo.x_of(tl, tl.today) + geo.ppd / 2
    pen = QPen(_ink(TODAY_INK), 1.6, Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawLine(QPointF(x, shown.start * geo.row_height), QPointF(x, shown.stop * geo.row_height))


def _band_text(
    p: QPainter, x0: float, x1: float, y: float, h: float, text: str, lo: float, hi: float
) -> None:
    """``text`` centred in the part of [x0, x1] inside the window [lo, hi] (stays in sight)."""
    a, b = max(x0, lo), min(x1, hi)
    if b - a < 8:
        return
    whole = _static(text, p.font(), 10000.0)
    if whole.size().width() > b - a - 4:  # cut: only at the edges of the window
        shown = QFontMetricsF(p.font()).elidedText(text, Qt.TextElideMode.ElideRight, b - a - 4)
        if shown in ("", "…"):
            return
        p.drawText(QRectF(a, y, b - a, h), Qt.AlignmentFlag.AlignCenter, shown)
        return
    line_text(p, QRectF(a, y, b - a, h), text, centre=True)


def _axis(
    p: QPainter, tl: Timeline, geo: Geometry, zoom: str, d0: date, d1: date, lo: float, hi: float
) -> None:
    hh = geo.header_height
    top, low = hh * 0.48, hh * 0.52
    p.fillRect(QRectF(lo, 0, hi - lo, hh), _ink("#f7f9fb"))
    ink = QPen(_ink("#3c4858"), 1)
    months = months_between(d0, d1)
    years = sorted({m.year for m in months})
    p.setFont(geo.font(1.0, bold=True))
    for y in years:
        x0 = geo.x_of(tl, max(date(y, 1, 1), tl.first))
        x1 = geo.x_of(tl, min(date(y, 12, 31), tl.last)) + geo.ppd
        p.setPen(ink)
        _band_text(p, x0, x1, 0, top, f"{y} год" if x1 - x0 > 70 else str(y), lo, hi)
        p.setPen(QPen(_ink(GRID_INK["year"]), 1))
        p.drawLine(QPointF(x0, 0), QPointF(x0, hh))
    p.setFont(geo.font(0.92))
    for m in months:
        x0 = geo.x_of(tl, max(m, tl.first))
        end = next_month(m)
        if zoom == "month":
            x1 = geo.x_of(tl, min(end, tl.last + timedelta(days=1)))
            p.setPen(ink)
            _band_text(p, x0, x1, top, low, MONTHS_SHORT[m.month - 1], lo, hi)
            p.setPen(QPen(_ink(GRID_INK["quarter" if m.month % 3 == 1 else "month"]), 1))
            p.drawLine(QPointF(x0, top), QPointF(x0, hh))
        elif m.month % 3 == 1:
            q = (m.month - 1) // 3
            q_end = date(m.year + 1, 1, 1) if q == 3 else date(m.year, m.month + 3, 1)
            x1 = geo.x_of(tl, min(q_end, tl.last + timedelta(days=1)))
            p.setPen(ink)
            label = f"{ROMAN_QUARTERS[q]} кв." if zoom == "quarter" else ROMAN_QUARTERS[q]
            _band_text(p, x0, x1, top, low, label, lo, hi)
            p.setPen(QPen(_ink(GRID_INK["quarter"]), 1))
            p.drawLine(QPointF(x0, top), QPointF(x0, hh))
        elif zoom == "quarter":  # month ticks under the quarters
            p.setPen(QPen(_ink(GRID_INK["quarter"]), 1))
            p.drawLine(QPointF(x0, hh - hh * 0.14), QPointF(x0, hh))
    if tl.first <= tl.today <= tl.last:
        x = geo.x_of(tl, tl.today) + geo.ppd / 2
        p.setPen(QPen(_ink(TODAY_INK), 1.6))
        p.drawLine(QPointF(x, top), QPointF(x, hh))
        p.setFont(geo.font(0.8, bold=True))
        fm = QFontMetricsF(p.font())
        text = f"сегодня {format_date(tl.today)}"
        w = fm.horizontalAdvance(text) + 6
        box = QRectF(x + 2, hh - fm.height() - 2, w, fm.height())
        p.fillRect(box, _ink("white"))
        p.setPen(QPen(_ink(TODAY_INK), 1))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    p.setPen(QPen(_ink("#c9d0d9"), 1))
    p.drawLine(QPointF(lo, top), QPointF(hi, top))


def _labels(p: QPainter, tl: Timeline, geo: Geometry, shown: range, selected: int | None) -> None:
    rh, lw = geo.row_height, geo.label_width
    fonts = {
        "block": geo.font(1.0, bold=True),
        "section": geo.font(1.0, bold=True),
        "item": geo.font(1.0),
        "excluded": geo.font(1.0, italic=True),
    }
    ink = _ink("#1f2933")
    for i in shown:
        line = tl.lines[i]
        y = i * rh
        if line.kind == "block":
            p.fillRect(QRectF(0, y, lw, rh), _ink(BLOCK_BACKGROUND))
        elif line.kind == "section":
            p.fillRect(QRectF(0, y, lw, rh), _ink(SECTION_BACKGROUND))
        if line.row_id == selected:
            p.fillRect(QRectF(0, y, lw, rh), _ink(SELECTED_BACKGROUND))
        key = "excluded" if line.status == "excluded" else line.kind
        key = key if key in fonts else "item"
        p.setFont(fonts[key])
        color = _ink(STATUS_INK[line.status]) if line.status in ("overdue", "excluded") else ink
        p.setPen(color)
        indent = 6 if line.kind == "block" else 14 if line.kind == "section" else 22
        line_text(p, QRectF(indent, y, lw - indent - 6, rh), line.label, printed=geo.printed)
        p.setPen(QPen(_ink("#eceff3"), 1))
        p.drawLine(QPointF(0, y + rh), QPointF(lw, y + rh))


def legend(p: QPainter, geo: Geometry, x: float, y: float) -> float:
    """Draws the key of statuses and marks in one line at (x, y); returns its height."""
    from cxdesk.io.model import STATUS_TITLES

    p.save()
    p.setFont(geo.font(0.9))
    h = geo.row_height * 0.52
    for status in ("not_started", "in_progress", "done", "overdue", "excluded"):
        _color, pen, brush = _style(status)
        rect = QRectF(x, y + (geo.row_height - h) / 2, h * 2.4, h)
        p.fillRect(rect, _ink("white"))
        p.setPen(pen)
        p.setBrush(brush)
        p.drawRect(rect)
        p.setBrush(Qt.BrushStyle.NoBrush)
        x = _legend_text(p, rect.right() + 5, y, geo, STATUS_TITLES.get(status, status))
    mid = y + geo.row_height / 2
    p.setPen(QPen(_ink(TODAY_INK), 1.6, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(x + 4, y + 3), QPointF(x + 4, y + geo.row_height - 3))
    x = _legend_text(p, x + 10, y, geo, "сегодня")
    ink = _ink(STATUS_INK["not_started"])
    _diamond(p, x + h * 0.6, mid, h * 0.6, QPen(ink, 1), ink)
    x = _legend_text(p, x + h * 1.4, y, geo, "срок — дата")
    p.setPen(QPen(ink, 1.4))
    p.drawLine(QPointF(x, mid + h * 0.4), QPointF(x + h * 2.4, mid + h * 0.4))
    p.drawLine(QPointF(x, mid + h * 0.4), QPointF(x, mid))
    p.drawLine(QPointF(x + h * 2.4, mid + h * 0.4), QPointF(x + h * 2.4, mid))
    _legend_text(p, x + h * 2.4 + 5, y, geo, "срок — квартал, полугодие, год")
    p.restore()
    return geo.row_height


def _legend_text(p: QPainter, x: float, y: float, geo: Geometry, text: str) -> float:
    """One word of the key at ``x``; returns where the next entry goes."""
    width = QFontMetricsF(p.font()).horizontalAdvance(text)
    p.setPen(_ink("#1f2933"))
    p.drawText(QRectF(x, y, width + 4, geo.row_height), Qt.AlignmentFlag.AlignVCenter, text)
    return x + width + 16


def image_of(tl: Timeline, zoom: str, size: tuple[int, int], scroll: tuple[float, float]) -> Any:
    """A QImage of one window of the timeline at screen scale (tests, previews)."""
    from PySide6.QtGui import QImage

    img = QImage(size[0], size[1], QImage.Format.Format_ARGB32)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint(p, tl, Geometry.for_zoom(zoom), zoom, (float(size[0]), float(size[1])), scroll)
    p.end()
    return img
