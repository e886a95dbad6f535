"""The progress report as PDF, drawn by the one PDF engine (:mod:`cxdesk.io.pdf_pages`).

A4 portrait, margins of 20 mm, the bundled Liberation Serif (Times New Roman's metrics, 12 pt,
tables 10.5 pt), page numbers at the foot. The content is the docx report's
(:mod:`cxdesk.io.report_parts`): the centred title, then each numbered part with its heading
kept with what follows, its lines, and its table, whose heading row is drawn again at the top of
every page the table goes on to; a row taller than the room left breaks there. With the timeline
asked for, its A4 landscape pages follow (:mod:`cxdesk.io.timeline_pdf`).

QtGui only, imported inside the functions: the command line loads it only when a PDF is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxdesk.io.office_basics import atomic_save
from cxdesk.io.pdf_pages import Cell, Pages, Paper, hyphenate, pdf_writer
from cxdesk.io.report_parts import Part, report_heading, report_parts

if TYPE_CHECKING:
    from cxdesk.domain.reports import ReportData

#: A4 portrait and its margins (left, top, right, bottom), in millimetres; the text's size.
PAGE_MM = (210.0, 297.0)
MARGINS_MM = (20.0, 20.0, 20.0, 20.0)
TEXT_PT = 12.0
TITLE_PT = 14.0
TABLE_PT = 10.5
#: The space after a paragraph and before a part's heading, in millimetres.
_AFTER_MM = 1.6
_BEFORE_MM = 4.0


class _Report(Pages):
    """The report's pages: a table's heading row is drawn again on every page it goes on to."""

    def __init__(self, device: Any, family: str) -> None:
        super().__init__(device, Paper(*PAGE_MM, MARGINS_MM, family, TEXT_PT, "foot"))
        self.head: list[Cell] = []  # the heading row of the table being drawn

    def head_height(self) -> float:
        return self.row_height(self.head) if self.head else 0.0

    def row_height(self, cells: list[Cell]) -> float:
        """The height of a whole row (drawn or not)."""
        return max(cell.height() for cell in cells) + 2 * self.pad_y

    def on_new_page(self) -> None:
        if self.head:
            self.draw_head()

    def draw_head(self) -> None:
        """Draws the table's heading row (again) from the current y."""
        for cell in self.head:
            cell.done = 0
        self.draw_row(self.head)
        self.drawn = 0

    def paragraph(
        self, text: str, bold: bool = False, align: str = "left", size: float = 0.0
    ) -> Cell:
        """A paragraph across the text's width."""
        font = self.font(size or TEXT_PT, bold)
        return self.cell(text, self.left, self.width, bold, align, font)

    def draw_title(self, lines: list[str]) -> None:
        """The title, the body and the date, centred."""
        title, org, as_of = lines
        for text, bold, size in (
            (title, True, TITLE_PT),
            (org, False, TITLE_PT),
            (as_of, False, 0.0),
        ):
            self.draw_paragraph(self.paragraph(text, bold, "center", size))
            self.y += _AFTER_MM * self.dot
        self.y += _AFTER_MM * self.dot

    def draw_part(self, part: Part) -> None:
        """A numbered part: its heading (kept with what follows), lines and table."""
        heading = self.paragraph(part.heading, bold=True)
        lines = [self.paragraph(line) for line in part.lines]
        table = self.table_cells(part) if part.rows else []
        follows = lines[0].height() if lines else 0.0
        if table:
            follows = self.row_height(table[0]) + min(
                self.row_height(table[1]), 2 * self.first_line(table[1]) + 2 * self.pad_y
            )
        before = _BEFORE_MM * self.dot
        need = before + heading.height() + _AFTER_MM * self.dot + follows
        if self.drawn and self.room() < need <= self.body_height():
            self.new_page()
        elif self.drawn:
            self.y += before
        self.draw_paragraph(heading)
        self.y += _AFTER_MM * self.dot
        for cell in lines:
            self.draw_paragraph(cell)
            self.y += _AFTER_MM * self.dot
        if table:
            self.draw_table(table)

    def table_cells(self, part: Part) -> list[list[Cell]]:
        """The part's table laid out: the heading row, then a row per line (the last in bold
        when it holds the totals). Words too long for their column are hyphenated."""
        total = sum(part.widths_mm) or 1.0
        columns, x = [], self.left
        for width_mm in part.widths_mm:
            columns.append((x, width_mm / total * self.width))
            x += width_mm / total * self.width
        regular, bold = self.font(TABLE_PT), self.font(TABLE_PT, True)
        rows = [list(part.headers), *(part.rows or [])]
        narrow = self.narrow_columns(rows, columns, bold)
        last = len(rows) - 1
        out = []
        for r, texts in enumerate(rows):
            strong = r == 0 or (part.bold_last and r == last)
            font = bold if strong else regular
            align = "center" if r == 0 else "left"
            cells = []
            for c, ((left, width), text) in enumerate(zip(columns, texts, strict=True)):
                shown = hyphenate(text) if c in narrow else text
                cells.append(self.cell(shown, left, width, strong, align, font))
                cells[-1].centre_vertically = r == 0
            out.append(cells)
        return out

    def narrow_columns(
        self, rows: list[list[str]], columns: list[tuple[float, float]], font: Any
    ) -> set[int]:
        """The columns where some word is wider than the column (in ``font``, the wider bold)."""
        from PySide6.QtGui import QFontMetricsF

        metrics = QFontMetricsF(font, self.device)
        narrow = set()
        for c, (_x, width) in enumerate(columns):
            inner = width - 2 * self.pad_x
            words = {word for row in rows for word in row[c].split()}
            if any(metrics.horizontalAdvance(word) > inner for word in words):
                narrow.add(c)
        return narrow

    def draw_table(self, table: list[list[Cell]]) -> None:
        """The heading row, then every row (broken across pages; the heading repeated)."""
        head, *rows = table
        first = min(self.row_height(rows[0]), 2 * self.first_line(rows[0]) + 2 * self.pad_y)
        if self.room() < self.row_height(head) + first:
            self.new_page()
        self.head = head
        self.draw_head()
        for cells in rows:
            self.place(cells)
        self.head = []
        self.y += _AFTER_MM * self.dot
        self.drawn += 1


def _draw(writer: Any, data: ReportData) -> None:
    """Draws the report's pages on ``writer`` (and the timeline's after them)."""
    from cxdesk.io.pdf_text import bundled_family

    pages = _Report(writer, bundled_family())
    if not pages.painter.begin(writer):
        raise OSError("Не удалось начать запись PDF.")
    try:
        pages.painter.setPen(pages.pen)
        pages.new_page()
        pages.draw_title(report_heading(data))
        pages.drawn = 1
        for part in report_parts(data):
            pages.draw_part(part)
        if data.timeline is not None:
            _draw_timeline(writer, pages.painter, data.timeline)
    finally:
        pages.painter.end()


def _draw_timeline(writer: Any, painter: Any, timeline: Any) -> None:
    """The plan's timeline on A4 landscape pages after the text."""
    from PySide6.QtGui import QPageLayout

    from cxdesk.io.timeline_pdf import DPI, paint_pages

    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.newPage()
    scale = writer.resolution() / DPI
    painter.save()
    painter.scale(scale, scale)
    paint_pages(painter, timeline, "quarter", "A4", writer.newPage)
    painter.restore()


def write_report_pdf(data: ReportData, path: Path) -> Path:
    """Writes the progress report as PDF (temporary file, then put in place); with the
    timeline asked for (``data.timeline``), its pages follow the text."""
    from cxdesk.io.pdf_text import ensure_app

    ensure_app()

    def write(tmp: Path) -> None:
        writer = pdf_writer(tmp, report_heading(data)[0], landscape=False)
        try:
            _draw(writer, data)
        finally:
            del writer  # closes the file before it is put in place

    return atomic_save(Path(path), write)
