"""The one PDF and print engine: text laid out and drawn on paged devices, page after page.

:class:`Pages` holds a page's geometry (paper and margins, in the device's units), the fonts (the
bundled family, every text made printable in it by :mod:`cxdesk.io.pdf_text`) and where drawing
goes on. It lays out paragraphs and table cells with QTextLayout, draws them, draws table rows
with their borders and breaks them across pages as Word and LibreOffice break a table row:
:meth:`Pages.place` draws a row, starting a new page when it does not fit (unless not even two of
its lines would fit here, it is drawn in part and goes on at the top of the next page, after the
headings that :meth:`Pages.on_new_page` draws again). Page numbers stand at the top or at the foot.

The plan (:mod:`cxdesk.io.pdf_render`) and the progress report (:mod:`cxdesk.io.report_pdf`)
are drawn by it; QtGui only, imported inside the functions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from cxdesk.io.pdf_text import format_ranges, printable

#: The vertical padding of a table cell, in millimetres (the horizontal one is the layout's).
PADDING_Y_MM = 0.8
#: The width of table borders, in points.
LINE_PT = 0.5


#: Words at least this long are given soft hyphens in narrow columns.
_HYPHENATE_FROM = 7
_WORDS = re.compile(r"[А-Яа-яЁёA-Za-z]{" + str(_HYPHENATE_FROM) + ",}")
_HYPHENATOR: list[Any] = []


@functools.lru_cache(maxsize=65536)
def _hyphenated_word(word: str) -> str:
    if not _HYPHENATOR:
        try:
            import pyphen

            _HYPHENATOR.append(pyphen.Pyphen(lang="ru_RU", left=2, right=2))
        except (ImportError, KeyError, OSError):  # no dictionary: words break without hyphens
            import logging

            logging.getLogger(__name__).warning("Russian hyphenation dictionary not found")
            _HYPHENATOR.append(None)
    if _HYPHENATOR[0] is None:
        return word
    return str(_HYPHENATOR[0].inserted(word, hyphen="\u00ad"))


def hyphenate(text: str) -> str:
    """``text`` with soft hyphens (U+00AD) where Russian words may break; Qt breaks a line at
    one and draws the hyphen there, and draws nothing where the word is not broken."""
    return _WORDS.sub(lambda m: _hyphenated_word(m.group(0)), text)


@dataclass
class Cell:
    """A laid-out cell: its lines (QTextLine) with their tops, and where drawing goes on."""

    x: float
    width: float
    lines: list[Any]
    tops: list[float]
    bottoms: list[float]
    layouts: list[Any] = field(default_factory=list)
    centre_vertically: bool = False
    done: int = 0  # lines already drawn (on earlier pages)

    def rest(self) -> float:
        """The height of the lines not yet drawn."""
        if self.done >= len(self.lines):
            return 0.0
        return self.bottoms[-1] - self.tops[self.done]

    def height(self) -> float:
        """The height of all its lines."""
        return self.bottoms[-1] if self.bottoms else 0.0


@dataclass(frozen=True)
class Paper:
    """A page's size and margins in millimetres, its font, and where its number stands."""

    width_mm: float
    height_mm: float
    margins_mm: tuple[float, float, float, float]  # left, top, right, bottom
    family: str
    size: float  # points
    number: str = "top"  # "top" (from the second page) or "foot" (on every page)
    padding_x_mm: float = 1.0


class Pages:
    """Lays out and draws text on a paged device (see the module's text)."""

    def __init__(self, device: Any, paper: Paper) -> None:
        from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
        from PySide6.QtGui import QPainter, QPen, QTextLayout, QTextOption

        self.QLineF = QLineF
        self.QPointF = QPointF
        self.QRectF = QRectF
        self.QTextLayout = QTextLayout
        self.text_options = {}
        for align, flag in (
            ("left", Qt.AlignmentFlag.AlignLeft),
            ("center", Qt.AlignmentFlag.AlignHCenter),
        ):
            option = QTextOption(flag)
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            self.text_options[align] = option
        self.centre = int(Qt.AlignmentFlag.AlignCenter)

        self.device = device
        self.paper = paper
        self.dot: float = float(device.logicalDpiY()) / 25.4  # device units per millimetre
        left, top, right, bottom = paper.margins_mm
        self.left = left * self.dot
        self.top = top * self.dot
        self.width = (paper.width_mm - left - right) * self.dot
        self.bottom = (paper.height_mm - bottom) * self.dot
        self.foot = bottom * self.dot
        self.pad_x = paper.padding_x_mm * self.dot
        self.pad_y = PADDING_Y_MM * self.dot
        self._fonts: dict[tuple[float, bool], Any] = {}
        self.fonts = {bold: self.font(paper.size, bold) for bold in (False, True)}
        self.painter = QPainter()
        self.pen = QPen(Qt.GlobalColor.black, LINE_PT / 72 * 25.4 * self.dot)
        self.page = 0
        self.y = 0.0
        self.drawn = 0  # table rows (or parts) drawn on this page below the headings

    def font(self, size: float, bold: bool = False) -> Any:
        """The family's font at ``size`` points (made once)."""
        from PySide6.QtGui import QFont

        found = self._fonts.get((size, bold))
        if found is None:
            found = QFont(self.paper.family)
            found.setPointSizeF(size)
            found.setBold(bold)
            found.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[(size, bold)] = found
        return found

    def line_height(self, font: Any = None) -> float:
        """The height of one line of ``font`` (the page's regular font by default)."""
        size = (font or self.fonts[False]).pointSizeF()
        return float(size) / 72 * 25.4 * self.dot

    # -- layout ------------------------------------------------------------------------------

    def cell(
        self, text: str, x: float, width: float, bold: bool, align: str, font: Any = None
    ) -> Cell:
        """Lays out ``text`` in a column ``width`` wide (padding inside), one layout a line."""
        point, option = self.QPointF, self.text_options[align]
        font = font or self.fonts[bold]
        inner = max(1.0, width - 2 * self.pad_x)
        result = Cell(x, width, [], [], [])
        y = 0.0
        for paragraph in text.split("\n"):
            shown = printable(paragraph)
            layout = self.QTextLayout(shown.text, font, self.device)
            layout.setTextOption(option)
            if shown.raised or shown.lowered:
                layout.setFormats(format_ranges(shown))
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLeadingIncluded(True)
                line.setLineWidth(inner)
                line.setPosition(point(0, y))
                result.lines.append(line)
                result.tops.append(y)
                y += line.height()
                result.bottoms.append(y)
            layout.endLayout()
            result.layouts.append(layout)
        return result

    def height(self, cells: list[Cell]) -> float:
        """The height of what is left of a row."""
        return max(cell.rest() for cell in cells) + 2 * self.pad_y

    def first_line(self, cells: list[Cell]) -> float:
        """The height of the tallest next line of the row's cells."""
        return max(
            (c.bottoms[c.done] - c.tops[c.done] for c in cells if c.done < len(c.lines)),
            default=0.0,
        )

    def room(self) -> float:
        """The height left on the page."""
        return self.bottom - self.y

    def head_height(self) -> float:
        """The height of what :meth:`on_new_page` draws at the top of a later page."""
        return 0.0

    def body_height(self) -> float:
        """The room for rows on a page after its headings."""
        return self.bottom - self.top - self.head_height()

    # -- drawing -----------------------------------------------------------------------------

    def draw_lines(self, cell: Cell, y: float, room: float, row_height: float) -> float:
        """Draws the cell's next lines that fit in ``room``; returns the height they take."""
        first = cell.done
        if first >= len(cell.lines):
            return 0.0
        last = first
        while last < len(cell.lines) and cell.bottoms[last] - cell.tops[first] <= room + 0.01:
            last += 1
        used = cell.bottoms[last - 1] - cell.tops[first] if last > first else 0.0
        shift = 0.0
        if cell.centre_vertically and last == len(cell.lines) and first == 0:
            shift = max(0.0, (row_height - 2 * self.pad_y - used) / 2)
        origin = self.QPointF(cell.x + self.pad_x, y + self.pad_y + shift - cell.tops[first])
        for index in range(first, last):
            cell.lines[index].draw(self.painter, origin)
        cell.done = last
        return used

    def draw_row(self, cells: list[Cell], fit: float | None = None) -> None:
        """Draws the row (or, given ``fit``, as much of it as fits in that height) with borders."""
        line = self.QLineF
        full = self.height(cells)
        room = (fit if fit is not None else full) - 2 * self.pad_y
        used = max(self.draw_lines(cell, self.y, room, full) for cell in cells)
        height = used + 2 * self.pad_y if fit is not None else full
        top, bottom = self.y, self.y + height
        left, right = cells[0].x, cells[-1].x + cells[-1].width
        self.painter.drawLine(line(left, top, right, top))
        self.painter.drawLine(line(left, bottom, right, bottom))
        for cell in cells:
            self.painter.drawLine(line(cell.x, top, cell.x, bottom))
        self.painter.drawLine(line(right, top, right, bottom))
        self.y = bottom
        self.drawn += 1

    def draw_text(self, cell: Cell) -> None:
        """Draws a laid-out paragraph outside a table at the current y, which it moves on."""
        self.draw_lines(cell, self.y - self.pad_y, 1e12, 0.0)
        self.y += cell.height()

    def draw_block(
        self, texts: list[str], x: float, width: float, bold: bool, align: str, font: Any = None
    ) -> None:
        """Paragraphs outside the table (approval block, title), from the current y."""
        for text in texts:
            self.draw_text(self.cell(text, x, width, bold, align, font))

    def draw_paragraph(self, cell: Cell) -> None:
        """Draws a paragraph, on the next page when it does not fit on this one."""
        if self.y + cell.height() > self.bottom and self.drawn:
            self.new_page()
        self.draw_text(cell)
        self.drawn += 1

    def new_page(self, repeat: bool = True) -> None:
        """Begins a page: a new sheet of paper, its number, then (with ``repeat``) what
        :meth:`on_new_page` draws."""
        self.page += 1
        if self.page > 1:
            self.device.newPage()
        self.y = self.top
        if self.paper.number == "foot" or self.page > 1:
            self.painter.setFont(self.fonts[False])
            if self.paper.number == "foot":
                height = self.foot * 0.6
                rect = self.QRectF(self.left, self.bottom + self.foot * 0.2, self.width, height)
            else:
                rect = self.QRectF(self.left, 0, self.width, self.top * 0.9)
            self.painter.drawText(rect, self.centre, str(self.page))
        self.drawn = 0
        if repeat:
            self.on_new_page()

    def on_new_page(self) -> None:
        """What a new page begins with (the repeated headings of a table); nothing here."""

    def place(self, cells: list[Cell], keep: float | None = None) -> None:
        """Draws a table row, on the next page when it does not fit here. An ordinary row
        breaks across pages when at least two of its lines fit; a heading row (``keep``: the
        height to keep with it of what follows) goes whole to the next page with that."""
        body = self.body_height()
        need = self.height(cells)
        if keep is not None:
            need += keep
        else:
            need = min(need, 2 * self.first_line(cells) + 2 * self.pad_y)
        if self.drawn and self.room() < need <= body:
            self.new_page()
        while self.height(cells) > self.room() + 0.01:
            no_line = self.room() < self.first_line(cells) + 2 * self.pad_y
            if no_line and (self.drawn or self.page == 1):
                self.new_page()
                continue
            self.draw_row(cells, fit=self.room())
            self.new_page()
        self.draw_row(cells)


def setup_device(device: Any, paper: str = "A4", landscape: bool = True) -> None:
    """Sets a PDF writer or a printer to ``paper`` (A4, A3), drawn from the paper's corner."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    size = QPageSize.PageSizeId.A3 if paper == "A3" else QPageSize.PageSizeId.A4
    device.setPageSize(QPageSize(size))
    orientation = QPageLayout.Orientation
    device.setPageOrientation(orientation.Landscape if landscape else orientation.Portrait)
    if isinstance(device, QPdfWriter):
        device.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    else:  # a QPrinter: margins are ours, not the driver's
        device.setFullPage(True)


def pdf_writer(
    path: Any, title: str, paper: str = "A4", landscape: bool = True, resolution: int = 600
) -> Any:
    """A QPdfWriter to ``path`` set up for :class:`Pages` (delete it to close the file)."""
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setResolution(resolution)
    writer.setTitle(title)
    writer.setCreator("cxdesk")
    setup_device(writer, paper, landscape)
    return writer
