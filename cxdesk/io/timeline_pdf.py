"""The timeline on paper: PDF pages or PNG images, A4 or A3 landscape.

A timeline wider than a page goes on in time on the next page (cut at a month's start), one
taller goes on in rows (a block or section is not left alone at a page's foot); every page
repeats the axis and the names column, and carries the plan's name, the page's months and its
number at the top and the key of statuses at the foot. The items whose deadlines cannot be drawn
are listed on the last page. The pages are drawn by :func:`cxdesk.io.timeline_draw.paint`, the
window's own drawing.

QtGui only, imported when a timeline is written (like :mod:`cxdesk.io.pdf_render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxdesk.domain import periods as P
from cxdesk.domain.deadlines import format_date
from cxdesk.io.office_basics import atomic_save

if TYPE_CHECKING:
    from cxdesk.domain.reports import Timeline

#: Paper (landscape) in millimetres, the margin, and the drawing's units per millimetre.
PAPER_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
MARGIN_MM = 10.0
DPI = 96.0
UNITS_PER_MM = DPI / 25.4
PNG_SCALE = 2.0  # PNG pages at 192 dpi
_TITLE_ROWS = 1.6  # the page's heading, in rows
_LEGEND_ROWS = 1.4


@dataclass
class Page:
    """One page: the lines ``rows`` and the days ``first``..``last`` it shows."""

    rows: range
    first: date
    last: date


def _geometry(zoom: str, family: str = "") -> Any:
    from cxdesk.io.timeline_draw import Geometry

    return Geometry.for_zoom(zoom, 0.8, family)


def _area(paper: str) -> tuple[float, float]:
    w, h = PAPER_MM[paper]
    return (w - 2 * MARGIN_MM) * UNITS_PER_MM, (h - 2 * MARGIN_MM) * UNITS_PER_MM


def _time_cuts(tl: Timeline, geo: Any, width: float) -> list[tuple[date, date]]:
    """Stretches of days that fit ``width`` each, cut at months' starts."""
    from cxdesk.io.timeline_draw import months_between, next_month

    cuts: list[tuple[date, date]] = []
    start = tl.first
    for m in months_between(tl.first, tl.last):
        end = next_month(m)
        if m > start and geo.x_of(tl, end) - geo.x_of(tl, start) > width:
            cuts.append((start, m - timedelta(days=1)))
            start = m
    cuts.append((start, tl.last))
    return cuts


def _row_cuts(tl: Timeline, per_page: int) -> list[range]:
    cuts: list[range] = []
    start, n = 0, len(tl.lines)
    while start < n:
        stop = min(start + per_page, n)
        while stop < n and stop - 1 > start and tl.lines[stop - 1].kind != "item":
            stop -= 1  # a heading goes to the next page with its first item
        cuts.append(range(start, stop))
        start = stop
    return cuts or [range(0, 0)]


def pages_of(tl: Timeline, zoom: str, paper: str = "A4") -> list[Page]:
    """The pages the timeline takes: rows first, then time within each run of rows."""
    geo = _geometry(zoom)
    width, height = _area(paper)
    chart_h = height - geo.header_height - (_TITLE_ROWS + _LEGEND_ROWS) * geo.row_height
    per_page = max(int(chart_h // geo.row_height), 1)
    times = _time_cuts(tl, geo, width - geo.label_width)
    return [Page(rows, a, b) for rows in _row_cuts(tl, per_page) for a, b in times]


def _draw_page(
    p: Any, tl: Timeline, zoom: str, geo: Any, page: Page, number: str, size: Any
) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor

    from cxdesk.io.timeline_draw import legend, line_text, paint

    width, height = size
    top = _TITLE_ROWS * geo.row_height
    p.setFont(geo.font(1.15, bold=True))
    p.setPen(QColor("#1f2933"))
    title = f"График реализации плана: {tl.org}"
    line_text(p, QRectF(0, 0, width * 0.7, top), title, printed=True)
    p.setFont(geo.font(0.95))
    when = f"{format_date(page.first)} — {format_date(page.last)}   {number}"
    p.drawText(QRectF(width * 0.5, 0, width * 0.5, top),
               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, when)  # fmt: skip
    chart_w = geo.x_of(tl, page.last) + geo.ppd - geo.x_of(tl, page.first)
    rows_h = len(page.rows) * geo.row_height
    box = (geo.label_width + chart_w, geo.header_height + rows_h)
    p.save()
    p.translate(0, top)
    scroll = (geo.x_of(tl, page.first), page.rows.start * geo.row_height)
    paint(p, tl, geo, zoom, box, scroll, rows=page.rows)
    p.restore()
    legend(p, geo, 0, height - _LEGEND_ROWS * geo.row_height)


def _draw_apart(p: Any, tl: Timeline, geo: Any, size: tuple[float, float], start: int) -> int:
    """The list of items not drawn, from ``start``; returns where the next page goes on."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor

    from cxdesk.io.timeline_draw import line_text

    width, height = size
    y = 0.0
    p.setPen(QColor("#1f2933"))
    p.setFont(geo.font(1.15, bold=True))
    p.drawText(QRectF(0, y, width, geo.row_height * 1.5), Qt.AlignmentFlag.AlignVCenter,
               "Пункты, не показанные на графике (срок не указан или не распознан)")  # fmt: skip
    y += geo.row_height * 1.6
    p.setFont(geo.font(1.0))
    i = start
    while i < len(tl.apart) and y + geo.row_height <= height:
        line = tl.apart[i]
        why = P.KIND_TITLES[P.period(line.deadline).kind]
        text = (
            f"{line.number}  {line.title}  —  «{line.deadline}»: {why}"
            if line.deadline
            else (f"{line.number}  {line.title}  —  {why}")
        )
        line_text(p, QRectF(0, y, width, geo.row_height), text, printed=True)
        y += geo.row_height
        i += 1
    return i


def _family() -> str:
    from cxdesk.io.model import ExportOptions
    from cxdesk.io.pdf_text import ensure_app, font_family

    ensure_app()
    return font_family(ExportOptions())


def draw_pages(device: Any, tl: Timeline, zoom: str, paper: str, new_page: Any) -> int:
    """Draws every page on ``device`` (a PDF writer or a printer at :data:`DPI`), calling
    ``new_page()`` between pages; returns the number of pages."""
    from PySide6.QtGui import QPainter

    p = QPainter(device)
    try:
        return paint_pages(p, tl, zoom, paper, new_page)
    finally:
        p.end()


def paint_pages(p: Any, tl: Timeline, zoom: str, paper: str, new_page: Any) -> int:
    """Draws every page with painter ``p`` (in units of :data:`DPI` per inch, from the paper's
    corner), calling ``new_page()`` between pages; returns the number of pages. The progress
    report draws its timeline pages after its text with this."""
    from PySide6.QtGui import QPainter

    geo = _geometry(zoom, _family())
    pages = pages_of(tl, zoom, paper)
    size = _area(paper)
    margin = MARGIN_MM * UNITS_PER_MM
    count = 0
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for n, page in enumerate(pages, 1):
        if count:
            new_page()
        p.save()
        p.translate(margin, margin)
        _draw_page(p, tl, zoom, geo, page, f"стр. {n} из {len(pages)}", size)
        p.restore()
        count += 1
    start = 0
    while start < len(tl.apart):
        new_page()
        p.save()
        p.translate(margin, margin)
        start = _draw_apart(p, tl, geo, size, start)
        p.restore()
        count += 1
    return count


def _pdf(tl: Timeline, path: Path, zoom: str, paper: str) -> int:
    from cxdesk.io.pdf_pages import pdf_writer

    writer = pdf_writer(path, f"График реализации плана: {tl.org}", paper, True, int(DPI))
    try:
        return draw_pages(writer, tl, zoom, paper, writer.newPage)
    finally:
        del writer  # closes the file before it is put in place


def _pngs(tl: Timeline, path: Path, zoom: str, paper: str, margin_mm: float = MARGIN_MM) -> int:
    """The pages as PNG images: ``path``, then «…-2.png» and on. ``margin_mm``: the white
    border (none for pictures placed on a page with margins of its own)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    geo = _geometry(zoom, _family())
    size = _area(paper)
    margin = margin_mm * UNITS_PER_MM
    px = (int((size[0] + 2 * margin) * PNG_SCALE), int((size[1] + 2 * margin) * PNG_SCALE))
    pages = pages_of(tl, zoom, paper)
    images: list[Any] = []

    def new_image() -> Any:
        img = QImage(px[0], px[1], QImage.Format.Format_RGB32)
        img.setDotsPerMeterX(int(DPI * PNG_SCALE / 0.0254))
        img.setDotsPerMeterY(int(DPI * PNG_SCALE / 0.0254))
        img.fill(QColor("white"))
        images.append(img)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(PNG_SCALE, PNG_SCALE)
        p.translate(margin, margin)
        return p

    for n, page in enumerate(pages, 1):
        p = new_image()
        _draw_page(p, tl, zoom, geo, page, f"стр. {n} из {len(pages)}", size)
        p.end()
    start = 0
    while start < len(tl.apart):
        p = new_image()
        start = _draw_apart(p, tl, geo, size, start)
        p.end()
    for n, img in enumerate(images, 1):
        target = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        atomic_save(target, partial(_save_png, img))
    return len(images)


def _save_png(img: Any, tmp: Path) -> None:
    if not img.save(str(tmp), "PNG"):
        raise OSError(f"cannot write {tmp}")


def write_timeline(tl: Timeline, path: Path, zoom: str, paper: str = "A4") -> tuple[Path, int]:
    """Writes the timeline to ``path`` (.pdf or .png); returns the path and the page count."""
    _family()
    if path.suffix.lower() == ".png":
        return path, _pngs(tl, path, zoom, paper)
    pages = [0]

    def write(tmp: Path) -> None:
        pages[0] = _pdf(tl, tmp, zoom, paper)

    return atomic_save(path, write), pages[0]


def add_to_docx(doc: Any, tl: Timeline, zoom: str = "quarter") -> int:
    """Adds the timeline to a python-docx document: a new A4 landscape section, one picture
    per page (drawn as the PNG pages are); returns the number of pictures."""
    import tempfile

    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    with tempfile.TemporaryDirectory(prefix="cxdesk-timeline-") as folder:
        first = Path(folder) / "page.png"
        pages = _pngs(tl, first, zoom, "A4", margin_mm=0.0)
        for n in range(1, pages + 1):
            picture = first if n == 1 else first.with_name(f"page-{n}.png")
            if n > 1:
                doc.add_page_break()
            doc.add_picture(str(picture), width=Mm(297 - 2 * MARGIN_MM))
    return pages
