"""Writes a plan as an Excel workbook (xlsx) in the official table form.

One sheet «План» laid out like the printed document, in the plan's form: the approval block at
the top right (when the form has one), the title centred in bold, the heading rows (two where
columns share an upper heading, merged) and the row of column numbers (those the form repeats
printed again at the top of every page; all frozen on screen), then the rows; block and section
rows are merged across the whole width in bold; the footnotes and the signature below. Dates of
the start and end columns are real dates shown as dd.mm.yyyy, so that they sort and filter. The
page is A4 landscape, fitted to one page in width, with the margins of the options, the print
area set to the plan and page numbers from the second page. A very hidden sheet «cxdesk» carries the
identity of the plan (see :mod:`cxdesk.io.identity`).

User text is always stored as text: a cell that starts with «=» (or looks like an error code)
never becomes a formula, and one that starts with ``= + - @`` is marked with a quote prefix so
that editing it in Excel keeps it as text.

The normal (not write-only) openpyxl workbook is used: with styles copied from prepared cells it
is faster here than write-only mode, and it keeps merged cells simple.
"""

from __future__ import annotations

import functools
import math
import os
import re
from copy import copy
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from cxdesk.io.identity import build_payload, embed_xlsx
from cxdesk.io.layout import (
    APPROVAL_WIDTH_MM,
    CENTRED_KEYS,
    HeadCell,
    Sheet,
    is_spanning,
    prepare,
    span_text,
    tick,
    write_built,
)
from cxdesk.io.model import ExportOptions, PlanDoc
from cxdesk.io.office_basics import xlsx_cell
from cxdesk.progress import Progress

SHEET_TITLE = "План"


#: The tallest row Excel allows, in points.
MAX_ROW_HEIGHT = 409.0

_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
#: Columns whose dates are stored as dates.
DATE_KEYS = frozenset({"start", "deadline"})
_MM_PER_INCH = 25.4
_PT_PER_MM = 72 / 25.4

#: Advance widths of Times New Roman (and the metric-compatible Liberation Serif), in em, by
#: groups of characters; used to foresee how cell text wraps, since a spreadsheet does not grow
#: rows to fit wrapped text when it opens a file.
_WIDTHS = {
    False: {
        0.2: "'", 0.25: " .,", 0.3: "ijlt:;/", 0.35: "frI()-", 0.4: 'гзsJ"',
        0.45: "авестьэяёacez", 0.5: "Збдклорухчъbdghknopquvxy0123456789«»–_",
        0.55: "БРЬийнпцFPS", 0.6: "ГЕТЁELTZ", 0.65: "ВКСЧЭЯмфыBCR",
        0.7: "АДИЙЛНОПУХЦЪжwADGHKNOQUVXY", 0.75: "шщю", 0.8: "Фm", 0.85: "Ы%",
        0.9: "ЖМM", 0.95: "W№", 1.0: "ШЩ—", 1.05: "Ю",
    },
    True: {
        0.25: " .,", 0.3: "il/'", 0.35: "fjt:;()-", 0.4: "зsI", 0.45: "гесэёcerz",
        0.5: "абдотухagovxyJ0123456789«»–_", 0.55: 'ЗвлрчьяbdhknpquS"',
        0.6: "РийкнпцъFP", 0.65: "БВГЕТЬЁBELTZ", 0.7: "АДСХЭЯмфwACDNRUVXY",
        0.75: "КЛУЧЪжю", 0.8: "ИЙНОПЦыGHKOQ", 0.85: "Фшщm", 0.95: "МM", 1.0: "ЖЫW№%—",
        1.1: "ШЩ", 1.15: "Ю",
    },
}  # fmt: skip
_ADVANCE = {
    bold: {char: width for width, chars in groups.items() for char in chars}
    for bold, groups in _WIDTHS.items()
}


#: Spreadsheet programs draw a column of N characters narrower than N digits of the default
#: font plus padding: LibreOffice 7 rendered our 267 mm table 254 mm wide. Columns are widened
#: by this much (measured); the page is fitted to one page wide, so that a table a little too
#: wide would be scaled down to the printable width rather than run over it.
_WIDTH_CORRECTION = 1.055


def _mm_to_chars(mm: float, options: ExportOptions) -> float:
    """Excel column width for ``mm``: characters of the default font's digit (0.5 em) plus
    5 pixels of padding, at 96 pixels per inch, widened by :data:`_WIDTH_CORRECTION`."""
    digit_px = round(options.font_size * 0.5 * 96 / 72)
    return max(1.0, round((mm * _WIDTH_CORRECTION / _MM_PER_INCH * 96 - 5) / digit_px, 2))


@functools.lru_cache(maxsize=65536)
def _text_width(text: str, bold: bool) -> float:
    """The width of ``text`` in em (words repeat a lot in a plan: each is measured once)."""
    advance = _ADVANCE[bold]
    return sum(advance.get(char, 0.6) for char in text)


def _lines(text: str, width_mm: float, options: ExportOptions, bold: bool = False) -> int:
    """How many lines ``text`` takes in a cell ``width_mm`` wide, wrapped at spaces as a
    spreadsheet does (a word longer than the line is cut); errs on the side of more lines."""
    room = max(1.0, (width_mm - 1.5) * _PT_PER_MM / options.font_size)
    space = _ADVANCE[bold][" "]
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split(" "):
            width = _text_width(word, bold)
            if used and used + space + width <= room:
                used += space + width
                continue
            if used:
                count += 1
            extra = math.ceil(width / room) - 1 if width > room else 0
            count += extra
            used = width - extra * room
    return count


class _Styles:
    """Prepared cells whose styles are copied onto new cells (much faster than setting each)."""

    def __init__(self, sheet: Worksheet, options: ExportOptions, keys: list[str]) -> None:
        size = options.font_size
        family = options.font_family
        regular = Font(name=family, size=size)
        bold = Font(name=family, size=size, bold=True)
        side = Side(style="thin", color="000000")
        grid = Border(left=side, right=side, top=side, bottom=side)

        def make(font: Font, align: str, border: Border | None, vertical: str = "top") -> Any:
            cell = Cell(sheet)
            cell.font = font
            cell.alignment = Alignment(horizontal=align, vertical=vertical, wrap_text=True)
            if border is not None:
                cell.border = border
            return cell._style

        self.plain = make(regular, "left", None)
        self.title = make(bold, "center", None)
        self.heading = make(bold, "center", grid, "center")
        self.number = make(regular, "center", grid, "center")
        self.block = make(bold, "center", grid)
        self.section = make(bold, "left", grid)
        self.columns = [
            make(regular, "center" if k in CENTRED_KEYS else "left", grid) for k in keys
        ]
        dated = Cell(sheet)
        dated._style = copy(self.columns[0])
        dated.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        dated.border = grid
        dated.number_format = "DD.MM.YYYY"
        self.date = dated._style
        self.note = make(Font(name=family, size=max(8.0, size - 2)), "left", None)


def _put(sheet: Worksheet, row: int, column: int, text: str, style: Any) -> Cell:
    """Writes ``text`` as a text cell with a prepared style, through the one neutralising
    writer (:func:`cxdesk.io.office_basics.xlsx_cell`): never a formula."""
    cell: Cell = xlsx_cell(sheet, row, column, text or "", style)
    return cell


def _as_date(text: str) -> datetime | None:
    """The date a cell of dd.mm.yyyy holds, else None."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return datetime(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def _height(lines: int, options: ExportOptions) -> float:
    """Row height in points for ``lines`` lines of text, as Excel spaces them (Times New Roman
    12 pt: 15.75 pt a line), at most the 409 pt Excel allows."""
    return min(MAX_ROW_HEIGHT, round(lines * options.font_size * 1.3125 + 1, 2))


class _Writer:
    """Fills one worksheet from a prepared :class:`Sheet`."""

    def __init__(self, sheet: Worksheet, layout: Sheet, options: ExportOptions) -> None:
        self.ws = sheet
        self.layout = layout
        self.options = options
        self.count = len(layout.columns)
        self.styles = _Styles(sheet, options, layout.keys)
        self.dates = {i for i, key in enumerate(layout.keys) if key in DATE_KEYS}
        self.row = 1

    def merged(self, text: str, first: int, style: Any, bold: bool) -> None:
        """One line of text merged from column ``first`` to the last, with a fitting height."""
        for column in range(first, self.count + 1):
            _put(self.ws, self.row, column, text if column == first else "", style)
        if first < self.count:
            # Every cell of the row already carries its style and border, so the range is only
            # recorded: openpyxl's merge_cells would restyle each cell and compare the range with
            # every earlier one, which made a 5,000-item plan several times slower.
            self.ws.merged_cells.ranges.add(
                MergedCellRange(
                    self.ws,
                    CellRange(
                        min_col=first, min_row=self.row, max_col=self.count, max_row=self.row
                    ).coord,
                )
            )
        width = sum(self.layout.widths_mm[first - 1 :])
        lines = _lines(text, width, self.options, bold)
        self.ws.row_dimensions[self.row].height = _height(lines, self.options)
        self.row += 1

    def top(self) -> tuple[int, int]:
        """The approval block, the title and the heading rows; returns the rows that repeat on
        every page (first, last)."""
        widths = self.layout.widths_mm
        first = self.count
        while first > 1 and sum(widths[first - 1 :]) < APPROVAL_WIDTH_MM * 0.8:
            first -= 1
        for line in self.layout.approval:
            self.merged(line, first, self.styles.plain, False)
        if self.layout.approval:
            self.row += 1
        for line in self.layout.title:
            self.merged(line, 1, self.styles.title, True)
        self.row += 1
        head = self.row
        last = len(self.layout.head) - 1
        for index, cells in enumerate(self.layout.head):
            number_row = self.layout.form.number_row and index == last
            style = self.styles.number if number_row else self.styles.heading
            self.head_row(cells, style, not number_row)
        return head + self.layout.first_repeat, self.row - 1

    def head_row(self, cells: list[HeadCell], style: Any, bold: bool) -> None:
        """A heading row; cells spanning columns or two rows are merged."""
        for column in range(1, self.count + 1):
            _put(self.ws, self.row, column, "", style)
        lines = 1
        for cell in cells:
            _put(self.ws, self.row, cell.col + 1, cell.text, style)
            if cell.colspan > 1 or cell.rowspan > 1:
                for extra in range(1, cell.rowspan):
                    for column in range(cell.col + 1, cell.col + cell.colspan + 1):
                        _put(self.ws, self.row + extra, column, "", style)
                self.ws.merged_cells.ranges.add(
                    MergedCellRange(
                        self.ws,
                        CellRange(
                            min_col=cell.col + 1,
                            min_row=self.row,
                            max_col=cell.col + cell.colspan,
                            max_row=self.row + cell.rowspan - 1,
                        ).coord,
                    )
                )
            width = sum(self.layout.widths_mm[cell.col : cell.col + cell.colspan])
            count = _lines(cell.text, width, self.options, bold)
            lines = max(lines, math.ceil(count / cell.rowspan))
        self.ws.row_dimensions[self.row].height = _height(lines, self.options)
        self.row += 1

    def below(self) -> None:
        """The footnotes and the signature block under the table."""
        if self.layout.footnotes:
            self.row += 1
        for line in self.layout.footnotes:
            self.merged(line, 1, self.styles.note, False)
        if self.layout.signature:
            self.row += 1
        for line in self.layout.signature:
            self.merged(line, 1, self.styles.plain, False)

    def span(self, text: str, kind: str) -> None:
        """A block or section row merged across the whole width, in bold."""
        style = self.styles.block if kind == "block" else self.styles.section
        self.merged(text, 1, style, True)

    def item(self, texts: list[str]) -> None:
        """An item row, as high as its tallest cell."""
        lines = 1
        for index, text in enumerate(texts):
            when = _as_date(text) if index in self.dates else None
            if when is not None:
                cell = self.ws.cell(row=self.row, column=index + 1, value=when)
                cell._style = copy(self.styles.date)
                continue
            _put(self.ws, self.row, index + 1, text, self.styles.columns[index])
            if text:
                lines = max(lines, _lines(text, self.layout.widths_mm[index], self.options))
        self.ws.row_dimensions[self.row].height = _height(lines, self.options)
        self.row += 1


def _setup_page(
    sheet: Worksheet, layout: Sheet, options: ExportOptions, repeat: tuple[int, int], last: int
) -> None:
    """A4 landscape, fitted to the page width, margins, repeated headings, page numbers, the
    print area."""
    for index, width in enumerate(layout.widths_mm, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _mm_to_chars(width, options)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    inch = _MM_PER_INCH
    sheet.page_margins = PageMargins(
        left=options.margin_left_mm / inch,
        right=options.margin_right_mm / inch,
        top=options.margin_top_mm / inch,
        bottom=options.margin_bottom_mm / inch,
        header=min(10.0, options.margin_top_mm / 2) / inch,
        footer=min(10.0, options.margin_bottom_mm / 2) / inch,
    )
    first, end = repeat
    if first <= end:
        sheet.print_title_rows = f"{first}:{end}"
    sheet.freeze_panes = f"A{end + 1}"
    sheet.print_area = f"A1:{get_column_letter(len(layout.columns))}{last}"
    footer = sheet.HeaderFooter
    footer.differentFirst = True
    footer.oddHeader.center.text = "&P"
    footer.oddHeader.center.font = f"{options.font_family},Regular"
    footer.oddHeader.center.size = round(options.font_size)


def build_workbook(plan: PlanDoc, options: ExportOptions, progress: Progress | None = None) -> Any:
    """The openpyxl ``Workbook`` of a plan, with its identity sheet, not yet saved."""
    layout = prepare(plan, options)
    workbook = Workbook()
    # The default font is the document's, so that column widths (counted in its digits) and
    # empty rows come out the same in every spreadsheet program.
    normal = Font(name=options.font_family, size=options.font_size, family=1)
    workbook._fonts = IndexedList([normal])
    workbook._named_styles["Normal"].font = normal
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    workbook.properties.creator = plan.org
    workbook.properties.lastModifiedBy = plan.org
    workbook.properties.title = plan.title
    writer = _Writer(sheet, layout, options)
    repeat = writer.top()
    total = len(layout.rows)
    for index, row in enumerate(layout.rows):
        if is_spanning(row):
            writer.span(span_text(row), row.kind)
        else:
            writer.item(layout.cells(row))
        tick(progress, index + 1, total)
    writer.below()
    _setup_page(sheet, layout, options, repeat, writer.row - 1)
    embed_xlsx(workbook, build_payload(plan, layout.layout, layout.columns, layout))
    return workbook


def write_xlsx(
    plan: PlanDoc,
    path: str | os.PathLike[str],
    options: ExportOptions,
    progress: Progress | None = None,
) -> int:
    """Writes ``plan`` to ``path`` as xlsx and returns the number of table rows written."""
    return write_built(plan, path, options, progress, "Формирование таблицы Excel…", build_workbook)
