"""What the list, summary and report writers share: atomic saving, an A4 docx in Times New
Roman with plain bordered tables, and the styles of an xlsx table.

Every cell of every xlsx cxdesk writes (the plan, the summary, the audit's findings, any list)
goes through :func:`xlsx_cell`, the one neutralising writer: text is always a text cell, never a
formula, and text a spreadsheet would take for one (``= + - @``, also after leading blanks, tabs
or line breaks, and their full-width forms) gets the quote prefix, so that editing it keeps it
text; characters XML cannot hold are dropped. Organisations and titles come from other bodies'
files, so ``=HYPERLINK(…)`` must stay words.

No database access here: the writers receive plain rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cxdesk.errors import UserError, os_fault
from cxdesk.fsutil import atomic_target

FONT = "Times New Roman"


def output_format(path: Path, fmt: str | None, allowed: Sequence[str]) -> str:
    """The format to write: ``fmt`` when given, else the file's extension; checked."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in allowed:
        kinds = ", ".join(f".{a}" for a in allowed)
        raise UserError(f"Формат файла «{path.name}» не поддерживается: укажите имя с {kinds}.")
    return chosen


def atomic_save(path: Path, write: Callable[[Path], object]) -> Path:
    """Calls ``write`` on a temporary file beside ``path``, then puts it in place at once.

    A failure leaves any earlier file at ``path`` as it was and no temporary file behind.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"Папка «{folder}» не существует. Укажите существующую папку.")
    try:
        with atomic_target(path) as tmp:
            write(tmp)
    except OSError as exc:
        raise os_fault(exc, path) from exc
    return path


# --- docx ------------------------------------------------------------------------------------


def new_docx(landscape: bool, size: float = 12) -> Any:
    """An empty A4 document (portrait or landscape) in Times New Roman of ``size`` points."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(15)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(0)
    return doc


def text_width_mm(doc: Any) -> float:
    """The width between the margins, in millimetres."""
    section = doc.sections[0]
    return float((section.page_width - section.left_margin - section.right_margin) / 36000)


def paragraph(
    doc: Any, text: str, bold: bool = False, center: bool = False, size: float | None = None
) -> Any:
    """Adds one paragraph of text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(6)
    return p


def _cell_text(cell: Any, text: str, bold: bool, size: float | None) -> None:
    from docx.shared import Pt

    lines = str(text).split("\n")
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if i < len(lines) - 1:
            run.add_break()


def table(
    doc: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float],
    size: float | None = None,
    bold_rows: Sequence[int] = (),
) -> Any:
    """A bordered table with a header row repeated on every page; ``bold_rows`` are indexes of
    ``rows`` to set in bold (a totals row)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    header = t.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, h in enumerate(headers):
        _cell_text(header.cells[i], h, True, size)
    bold = set(bold_rows)
    for r, values in enumerate(rows):
        cells = t.rows[r + 1].cells
        for i, value in enumerate(values):
            _cell_text(cells[i], "" if value is None else str(value), r in bold, size)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    for i, w in enumerate(widths_mm):
        t.columns[i].width = Mm(w)  # the grid, which LibreOffice reads
        for row in t.rows:
            row.cells[i].width = Mm(w)  # the cells, which Word reads
    return t


# --- xlsx ------------------------------------------------------------------------------------

#: The longest text Excel keeps in one cell.
MAX_CELL = 32767
#: First characters that make a spreadsheet read a cell as a formula (with full-width forms).
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_LEADING_BLANKS = " \t\r\n\u00a0\u3000"


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (or run it once edited)."""
    if not text:
        return False
    if text[0] in "\t\r\n":
        return True
    return text.lstrip(_LEADING_BLANKS)[:1] in FORMULA_START


def xlsx_text(value: object) -> str:
    """User text as a cell may hold it: XML-illegal characters dropped, cut at Excel's limit."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = str(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


def xlsx_cell(ws: Any, row: int, column: int, value: object, style: Any = None) -> Any:
    """Writes one cell: numbers stay numbers; anything else is a text cell, never a formula.

    ``style`` (a prepared cell's ``_style``) is copied onto the cell when given.
    """
    from copy import copy
    from datetime import date

    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (int, float, date)) and not isinstance(value, bool):
        cell.value = value
    else:
        text = xlsx_text(value)
        cell.value = None
        cell._value = text or None  # set directly: ``cell.value = "=…"`` would make a formula
        cell.data_type = "s"
    if style is not None:
        cell._style = copy(style)
    if isinstance(cell._value, str) and formula_like(cell._value):
        cell.quotePrefix = True
    return cell


def xlsx_table(
    ws: Any,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    bold_rows: Sequence[int] = (),
) -> int:
    """Writes a bordered table with a bold header at row ``top``; returns the next free row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="E7E6E6")
    for i, h in enumerate(headers, start=1):
        c = xlsx_cell(ws, top, i, h)
        c.font = Font(name=FONT, bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = border
        c.fill = fill
    bold = set(bold_rows)
    for r, values in enumerate(rows, start=1):
        for i, value in enumerate(values, start=1):
            c = xlsx_cell(ws, top + r, i, value)
            c.font = Font(name=FONT, bold=(r - 1) in bold)
            c.alignment = wrap
            c.border = border
    return top + len(rows) + 1


def xlsx_title(ws: Any, row: int, text: str, bold: bool = True, size: int = 12) -> None:
    """One line of text in column A (a title or a caption)."""
    from openpyxl.styles import Font

    c = xlsx_cell(ws, row, 1, text)
    c.font = Font(name=FONT, bold=bold, size=size)


def xlsx_page(ws: Any, landscape: bool) -> None:
    """A4, fit to the page width, the header row printed on each page left to the caller."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
