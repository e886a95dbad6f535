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

import os
from collections.abc import Iterator
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
from cxdesk.io.pdf_pages import Cell, Pages, Paper, hyphenate, pdf_writer, setup_device
from cxdesk.io.pdf_text import ensure_app as ensure_app
from cxdesk.io.pdf_text import font_family
from cxdesk.progress import Progress


class _Painter(Pages):
    """Lays out and draws one plan on a paged device, page after page."""

    def __init__(self, device: Any, sheet: Sheet, options: ExportOptions) -> None:
        o = options
        margins = (o.margin_left_mm, o.margin_top_mm, o.margin_right_mm, o.margin_bottom_mm)
        paper = Paper(PAGE_WIDTH_MM, PAGE_HEIGHT_MM, margins, font_family(options),
                      options.font_size, "top", CELL_PADDING_MM)  # fmt: skip
        super().__init__(device, paper)
        self.sheet = sheet
        self.repeated_height: float | None = None
        self.columns: list[tuple[float, float]] = []
        x = self.left
        for width_mm in sheet.widths_mm:
            self.columns.append((x, width_mm * self.dot))
            x += width_mm * self.dot

    def row_cells(self, texts: list[str], bold: bool) -> list[Cell]:
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
    ) -> tuple[list[tuple[Cell, int, int]], list[float]]:
        """The heading rows laid out: (cell, first row, last row) and each row's height."""
        placed: list[tuple[Cell, int, int]] = []
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

    def head_height(self) -> float:
        """The height of the heading rows repeated on every page (laid out once)."""
        if self.repeated_height is None:
            rows = self.sheet.head[self.sheet.first_repeat :]
            self.repeated_height = sum(self.head_cells(rows)[1]) if rows else 0.0
        return self.repeated_height

    def span_cells(self, text: str, kind: str) -> list[Cell]:
        """The one cell of a block or section row, across the whole width."""
        align = "center" if kind == "block" else "left"
        return [self.cell(text, self.left, self.width, True, align)]

    def on_new_page(self) -> None:
        """The first page begins with the approval block, the title and the headings, every
        later one with the headings the form repeats."""
        if self.page > 1:
            self.draw_head(self.sheet.head[self.sheet.first_repeat :])
            return
        text_x = self.left + max(0.0, self.width - APPROVAL_WIDTH_MM * self.dot)
        self.draw_block(self.sheet.approval, text_x, APPROVAL_WIDTH_MM * self.dot, False, "left")
        if self.sheet.approval:
            self.y += self.line_height()
        self.draw_block(self.sheet.title, self.left, self.width, True, "center")
        self.y += self.line_height()
        self.draw_head(self.sheet.head)

    def draw_tail(self) -> None:
        """The footnotes and the signature block below the table (on a new page if need be)."""
        small = self.font(max(8.0, self.paper.size - 2))
        gap = self.line_height()
        for texts, font, space in (
            (self.sheet.footnotes, small, gap / 3),
            (self.sheet.signature, None, gap),
        ):
            if not texts:
                continue
            self.y += space
            for text in texts:
                cell = self.cell(text, self.left, self.width, False, "left", font)
                if self.y + cell.height() > self.bottom:
                    self.new_page(repeat=False)
                self.draw_text(cell)


def _laid_out(pages: _Painter, plan: PlanDoc) -> Iterator[tuple[bool, list[Cell]]]:
    """Every row of the plan laid out: (spans the width, cells)."""
    for row in pages.sheet.rows:
        if is_spanning(row):
            yield True, pages.span_cells(span_text(row), row.kind)
        else:
            yield False, pages.row_cells(pages.sheet.cells(row), False)


def _with_next(
    rows: Iterator[tuple[bool, list[Cell]]],
) -> Iterator[tuple[bool, list[Cell], list[Cell] | None]]:
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
    if not pages.painter.begin(device):
        raise OSError("Не удалось начать печать или запись PDF.")
    try:
        pages.painter.setPen(pages.pen)
        pages.new_page()
        total = len(sheet.rows)
        for done, (spanning, cells, following) in enumerate(_with_next(_laid_out(pages, plan))):
            keep = None
            if spanning:  # a heading goes whole, with a few lines of what follows it
                keep = 0.0
                if following is not None:
                    keep = min(pages.height(following), 3 * pages.first_line(following))
            pages.place(cells, keep)
            tick(progress, done + 1, total)
        pages.draw_tail()
    finally:
        pages.painter.end()
    return pages.page


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
    if progress is not None:
        progress.set_status("Формирование PDF…")
    with atomic_target(path) as tmp:
        writer = pdf_writer(tmp, plan.title)
        try:
            pages = render(plan, options, writer, progress)
            if info is not None:
                info["pages"] = pages
        finally:
            del writer  # closes the file before it is put in place
    if progress is not None:
        progress.set_value(1.0)
    return len(plan.rows)
