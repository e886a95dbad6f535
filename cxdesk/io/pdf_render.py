"""Draws a plan on paged paint devices: the PDF file and the printer use this one layout.

It uses Qt, only QtGui (never QtWidgets), imported inside the functions so that the command
line and the core load Qt only when a PDF or a print is asked for. The page is
drawn with QPainter and QTextLayout in the plan's form: A4 landscape, the margins of the options,
the approval block at the top right when the form has one, the title centred in bold, then the
table whose heading rows (two where columns share an upper heading) are drawn again at the top of
every page as the form says, then the footnotes and the signature. A row that does not fit on the
rest of a page breaks there and goes on at the top of the next, after the repeated headings, as
Word and LibreOffice break a table row (unless not even two of its lines fit: then it starts on
the next page). A block or section row is not left alone at the foot of a page. Words in columns
too narrow for them are hyphenated after the Russian rules (pyphen's dictionary), with a visible
hyphen at the break. Page numbers stand at the top centre from the second page.

The text is set in Liberation Serif (metric-compatible with Times New Roman), loaded from
``resources/fonts`` and embedded in the PDF, so that the file looks the same on every machine.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cxdesk.fsutil import atomic_target
from cxdesk.io.layout import (
    APPROVAL_WIDTH_MM,
    CELL_PADDING_MM,
    CENTRED_KEYS,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    HeadCell,
    Sheet,
    is_spanning,
    prepare,
    span_text,
    tick,
)
from cxdesk.io.model import ExportOptions, PlanDoc
from cxdesk.io.pdf_text import ensure_app as ensure_app
from cxdesk.io.pdf_text import font_family, format_ranges, printable
from cxdesk.progress import Progress

_PADDING_Y_MM = 0.8
#: Words at least this long are given soft hyphens in narrow columns.
_HYPHENATE_FROM = 7
_WORDS = re.compile(r"[А-Яа-яЁёA-Za-z]{" + str(_HYPHENATE_FROM) + ",}")
_HYPHENATOR: list[Any] = []
_LINE_PT = 0.5


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
class _Cell:
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


class _Painter:
    """Lays out and draws one plan on a paged device, page after page."""

    def __init__(self, device: Any, sheet: Sheet, options: ExportOptions) -> None:
        from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
        from PySide6.QtGui import QFont, QPainter, QPen, QTextLayout, QTextOption

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
        self.sheet = sheet
        self.dot: float = float(device.logicalDpiY()) / 25.4  # device units per millimetre
        self.left = options.margin_left_mm * self.dot
        self.top = options.margin_top_mm * self.dot
        self.width = (PAGE_WIDTH_MM - options.margin_left_mm - options.margin_right_mm) * self.dot
        self.bottom = (PAGE_HEIGHT_MM - options.margin_bottom_mm) * self.dot
        self.pad_x = CELL_PADDING_MM * self.dot
        self.pad_y = _PADDING_Y_MM * self.dot
        family = font_family(options)
        self.fonts = {}
        for bold in (False, True):
            font = QFont(family)
            font.setPointSizeF(options.font_size)
            font.setBold(bold)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self.fonts[bold] = font
        self.columns: list[tuple[float, float]] = []
        x = self.left
        for width_mm in sheet.widths_mm:
            self.columns.append((x, width_mm * self.dot))
            x += width_mm * self.dot
        self.painter = QPainter()
        self.pen = QPen(Qt.GlobalColor.black, _LINE_PT / 72 * 25.4 * self.dot)
        self.page = 0
        self.y = 0.0
        self.drawn = 0  # table rows (or parts) drawn on this page below the headings

    # -- layout ------------------------------------------------------------------------------

    def cell(
        self, text: str, x: float, width: float, bold: bool, align: str, font: Any = None
    ) -> _Cell:
        """Lays out ``text`` in a column ``width`` wide (padding inside), one layout a line."""
        point, option = self.QPointF, self.text_options[align]
        font = font or self.fonts[bold]
        inner = max(1.0, width - 2 * self.pad_x)
        result = _Cell(x, width, [], [], [])
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

    def row_cells(self, texts: list[str], bold: bool) -> list[_Cell]:
        """The cells of an item row, one per column (words hyphenated in narrow columns)."""
        cells = []
        narrow = self.sheet.narrow
        for index, ((x, width), key, text) in enumerate(
            zip(self.columns, self.sheet.keys, texts, strict=True)
        ):
            align = "center" if key in CENTRED_KEYS else "left"
            cells.append(
                self.cell(hyphenate(text) if index in narrow else text, x, width, bold, align)
            )
        return cells

    def head_cells(
        self, rows: list[list[HeadCell]]
    ) -> tuple[list[tuple[_Cell, int, int]], list[float]]:
        """The heading rows laid out: (cell, first row, last row) and each row's height."""
        placed: list[tuple[_Cell, int, int]] = []
        heights = [0.0] * len(rows)
        last = len(self.sheet.head) - 1
        offset = len(self.sheet.head) - len(rows)
        for r, cells in enumerate(rows):
            bold = not (self.sheet.form.number_row and r + offset == last)
            for head in cells:
                x = self.columns[head.col][0]
                width = sum(w for _, w in self.columns[head.col : head.col + head.colspan])
                text = (
                    hyphenate(head.text)
                    if head.colspan == 1 and head.col in self.sheet.narrow
                    else head.text
                )
                cell = self.cell(text, x, width, bold, "center")
                cell.centre_vertically = True
                end = min(len(rows) - 1, r + head.rowspan - 1)
                placed.append((cell, r, end))
                if end == r:
                    heights[r] = max(heights[r], self.height([cell]))
        for cell, first, end in placed:
            if end > first:
                short = self.height([cell]) - sum(heights[first : end + 1])
                if short > 0:
                    heights[end] += short
        return placed, heights

    def draw_head(self, rows: list[list[HeadCell]]) -> None:
        """Draws heading rows with their merged cells, from the current y."""
        if not rows:
            return
        line = self.QLineF
        placed, heights = self.head_cells(rows)
        tops = [self.y]
        for height in heights:
            tops.append(tops[-1] + height)
        for cell, first, end in placed:
            top, bottom = tops[first], tops[end + 1]
            self.draw_lines(cell, top, 1e12, bottom - top)
            right = cell.x + cell.width
            for x0, y0, x1, y1 in (
                (cell.x, top, right, top), (cell.x, bottom, right, bottom),
                (cell.x, top, cell.x, bottom), (right, top, right, bottom),
            ):  # fmt: skip
                self.painter.drawLine(line(x0, y0, x1, y1))
        self.y = tops[-1]

    def head_height(self, rows: list[list[HeadCell]]) -> float:
        """The height of heading rows."""
        return sum(self.head_cells(rows)[1]) if rows else 0.0

    def span_cells(self, text: str, kind: str) -> list[_Cell]:
        """The one cell of a block or section row, across the whole width."""
        align = "center" if kind == "block" else "left"
        return [self.cell(text, self.left, self.width, True, align)]

    def height(self, cells: list[_Cell]) -> float:
        """The height of what is left of a row."""
        return max(cell.rest() for cell in cells) + 2 * self.pad_y

    def first_line(self, cells: list[_Cell]) -> float:
        """The height of the tallest next line of the row's cells."""
        return max(
            (c.bottoms[c.done] - c.tops[c.done] for c in cells if c.done < len(c.lines)),
            default=0.0,
        )

    def room(self) -> float:
        """The height left on the page."""
        return self.bottom - self.y

    # -- drawing -----------------------------------------------------------------------------

    def draw_lines(self, cell: _Cell, y: float, room: float, row_height: float) -> float:
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

    def draw_row(self, cells: list[_Cell], fit: float | None = None) -> None:
        """Draws the row (or, given ``fit``, as much of it as fits in that height) with borders."""
        line = self.QLineF
        full = self.height(cells)
        room = (fit if fit is not None else full) - 2 * self.pad_y
        used = max(self.draw_lines(cell, self.y, room, full) for cell in cells)
        height = used + 2 * self.pad_y if fit is not None else full
        top, bottom = self.y, self.y + height
        right = self.left + self.width
        self.painter.drawLine(line(self.left, top, right, top))
        self.painter.drawLine(line(self.left, bottom, right, bottom))
        for cell in cells:
            self.painter.drawLine(line(cell.x, top, cell.x, bottom))
        self.painter.drawLine(line(right, top, right, bottom))
        self.y = bottom
        self.drawn += 1

    def draw_block(self, texts: list[str], x: float, width: float, bold: bool, align: str) -> None:
        """Paragraph lines outside the table (approval block, title), from the current y."""
        for text in texts:
            cell = self.cell(text, x, width, bold, align)
            self.draw_lines(cell, self.y - self.pad_y, 1e12, 0.0)
            self.y += cell.bottoms[-1] if cell.bottoms else 0.0

    def start_page(self) -> None:
        """Begins a page: a new sheet of paper, its number (from the second), the headings."""
        self.page += 1
        if self.page > 1:
            self.device.newPage()
            self.painter.setFont(self.fonts[False])
            rect = self.QRectF(self.left, 0, self.width, self.top * 0.9)
            self.painter.drawText(rect, self.centre, str(self.page))
            self.y = self.top
        else:
            self.y = self.top
            text_x = self.left + max(0.0, self.width - APPROVAL_WIDTH_MM * self.dot)
            self.draw_block(
                self.sheet.approval, text_x, APPROVAL_WIDTH_MM * self.dot, False, "left"
            )
            if self.sheet.approval:
                self.y += self.fonts[False].pointSizeF() / 72 * 25.4 * self.dot
            self.draw_block(self.sheet.title, self.left, self.width, True, "center")
            self.y += self.fonts[False].pointSizeF() / 72 * 25.4 * self.dot
            self.draw_head(self.sheet.head)
            self.drawn = 0
            return
        self.draw_head(self.sheet.head[self.sheet.first_repeat :])
        self.drawn = 0

    def body_height(self) -> float:
        """The room for rows on a page after its headings."""
        return self.bottom - self.top - self.head_height(self.sheet.head[self.sheet.first_repeat :])

    def draw_tail(self) -> None:
        """The footnotes and the signature block below the table (on a new page if need be)."""
        small = _font_at(self.fonts[False], max(8.0, self.fonts[False].pointSizeF() - 2))
        gap = self.fonts[False].pointSizeF() / 72 * 25.4 * self.dot
        for texts, font, space in (
            (self.sheet.footnotes, small, gap / 3),
            (self.sheet.signature, None, gap),
        ):
            if not texts:
                continue
            self.y += space
            for text in texts:
                cell = self.cell(text, self.left, self.width, False, "left", font)
                height = cell.bottoms[-1] if cell.bottoms else 0.0
                if self.y + height > self.bottom:
                    self.page += 1
                    self.device.newPage()
                    self.painter.setFont(self.fonts[False])
                    rect = self.QRectF(self.left, 0, self.width, self.top * 0.9)
                    self.painter.drawText(rect, self.centre, str(self.page))
                    self.y = self.top
                self.draw_lines(cell, self.y - self.pad_y, 1e12, 0.0)
                self.y += height


def _font_at(font: Any, size: float) -> Any:
    """A copy of ``font`` at ``size`` points."""
    from PySide6.QtGui import QFont

    out = QFont(font)
    out.setPointSizeF(size)
    return out


def _laid_out(pages: _Painter, plan: PlanDoc) -> Iterator[tuple[bool, list[_Cell]]]:
    """Every row of the plan laid out: (spans the width, cells)."""
    for row in pages.sheet.rows:
        if is_spanning(row):
            yield True, pages.span_cells(span_text(row), row.kind)
        else:
            yield False, pages.row_cells(pages.sheet.cells(row), False)


def _with_next(
    rows: Iterator[tuple[bool, list[_Cell]]],
) -> Iterator[tuple[bool, list[_Cell], list[_Cell] | None]]:
    """The rows, each with the cells of the row after it (None for the last)."""
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        yield current[0], current[1], following[1] if following is not None else None
        current = following


def render(
    plan: PlanDoc, options: ExportOptions, device: Any, progress: Progress | None = None
) -> int:
    """Draws ``plan`` on a paged paint device already set to A4 landscape; returns the pages."""
    sheet = prepare(plan, options)
    pages = _Painter(device, sheet, options)
    body = pages.body_height()
    if not pages.painter.begin(device):
        raise OSError("Не удалось начать печать или запись PDF.")
    try:
        pages.painter.setPen(pages.pen)
        pages.start_page()
        total = len(sheet.rows)
        for done, (spanning, cells, following) in enumerate(_with_next(_laid_out(pages, plan))):
            need = pages.height(cells)
            if spanning and following is not None:  # keep a heading with a few lines after it
                need += min(pages.height(following), 3 * pages.first_line(following))
            elif not spanning:  # a row breaks across pages, but not after its first line
                need = min(need, 2 * pages.first_line(cells) + 2 * pages.pad_y)
            if pages.drawn and pages.room() < need <= body:
                pages.start_page()
            while pages.height(cells) > pages.room() + 0.01:
                no_line = pages.room() < pages.first_line(cells) + 2 * pages.pad_y
                if no_line and (pages.drawn or pages.page == 1):
                    pages.start_page()
                    continue
                pages.draw_row(cells, fit=pages.room())
                pages.start_page()
            pages.draw_row(cells)
            tick(progress, done + 1, total)
        pages.draw_tail()
    finally:
        pages.painter.end()
    return pages.page


def setup_device(device: Any) -> None:
    """Sets a PDF writer or a printer to A4 landscape, drawn from the paper's corner."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Landscape)
    if hasattr(device, "setFullPage"):  # a QPrinter: margins are ours, not the driver's
        device.setFullPage(True)
    else:
        device.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def render_to_printer(plan: PlanDoc, options: ExportOptions, printer: Any) -> int:
    """Prints ``plan`` on a QPrinter (or any QPagedPaintDevice), as the PDF looks; returns the
    number of pages. The print preview dialog calls it from its ``paintRequested`` signal."""
    ensure_app()
    setup_device(printer)
    return render(plan, options, printer)


def write_pdf(
    plan: PlanDoc,
    path: str | os.PathLike[str],
    options: ExportOptions,
    progress: Progress | None = None,
    info: dict[str, Any] | None = None,
) -> int:
    """Writes ``plan`` to ``path`` as PDF and returns the number of table rows written;
    ``info`` (when given) gets the number of ``pages``."""
    ensure_app()
    from PySide6.QtGui import QPdfWriter

    if progress is not None:
        progress.set_status("Формирование PDF…")
    with atomic_target(path) as tmp:
        writer = QPdfWriter(str(tmp))
        try:
            writer.setResolution(600)
            writer.setTitle(plan.title)
            writer.setCreator("cxdesk")
            setup_device(writer)
            pages = render(plan, options, writer, progress)
            if info is not None:
                info["pages"] = pages
        finally:
            del writer  # closes the file before it is put in place
    if progress is not None:
        progress.set_value(1.0)
    return len(plan.rows)
