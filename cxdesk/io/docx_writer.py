"""Writes a plan as a Word document (docx) in the official table form.

A4 landscape, margins from :class:`ExportOptions`, the plan's form (:mod:`cxdesk.domain.form`)
for the rest: the approval block at the top right when the form has one, the title centred in
bold, then one bordered table whose heading rows (two rows where columns share an upper heading)
and row of column numbers repeat on every page as the form says, block and section rows spanning
the whole width in bold, rows breaking across pages; the template's footnotes and the signature
block below the table. When only the number row repeats, the headings stand in a table of their
own right above the main one, a paragraph one point high between them. Words are hyphenated
automatically (Russian), except in the approval block and the title. Page numbers stand at the
top centre from the second page on.

python-docx builds the page, the styles and the table's heading rows; the item, block and
section rows are written as WordprocessingML text from prepared cell templates and streamed into
the file when it is saved (see :class:`_Built`): python-docx's cell API grows quadratically with
the number of rows, and an element tree of thousands of rows took most of the time and memory.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from cxdesk import clock
from cxdesk.io.identity import build_payload, embed_docx
from cxdesk.io.layout import (
    APPROVAL_WIDTH_MM,
    CELL_PADDING_MM,
    CENTRED_KEYS,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    HeadCell,
    Sheet,
    content_width_mm,
    is_spanning,
    prepare,
    span_text,
    tick,
    write_built,
)
from cxdesk.io.model import ExportOptions, PlanDoc
from cxdesk.progress import Progress

#: Rows parsed at a time.
_BATCH = 400
#: The comment that stands for the rows until the file is written.
_ROWS_MARK = "cxdesk-rows"

_RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_BORDER = {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): "000000"}


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


_CELL_MARGIN = _twips(CELL_PADDING_MM)  # inner left and right margin of a cell


def _el(tag: str, parent: Any = None, **attrs: str) -> Any:
    """A WordprocessingML element ``w:<tag>`` with ``w:``-qualified attributes."""
    attrib = {qn(f"w:{name}"): value for name, value in attrs.items()}
    if parent is None:
        return etree.Element(qn(f"w:{tag}"), attrib)
    return etree.SubElement(parent, qn(f"w:{tag}"), attrib)


def _paragraph(align: str, bold: bool = False, keep_next: bool = False) -> Any:
    """A paragraph template ``w:p`` with one run holding an empty ``w:t`` as its last child."""
    p = _el("p")
    ppr = _el("pPr", p)
    if keep_next:
        _el("keepNext", ppr)
    _el("jc", ppr, val=align)
    run = _el("r", p)
    if bold:
        rpr = _el("rPr", run)
        _el("b", rpr)
        _el("bCs", rpr)
    t = _el("t", run)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _cell(width: int, span: int = 1, centre_vertically: bool = False) -> Any:
    """A cell template ``w:tc`` with its width (and span), holding no paragraph yet."""
    tc = _el("tc")
    tcpr = _el("tcPr", tc)
    _el("tcW", tcpr, w=str(width), type="dxa")
    if span > 1:
        _el("gridSpan", tcpr, val=str(span))
    if centre_vertically:
        _el("vAlign", tcpr, val="center")
    return tc


def _fill(tc: Any, template: Any, text: str) -> Any:
    """Appends one paragraph per line of ``text`` (at least one) to the cell ``tc``."""
    for line in text.split("\n"):
        p = copy.deepcopy(template)
        p[-1][-1].text = line
        tc.append(p)
    return tc


class _TableBuilder:
    """Builds the table element: one prepared row is copied and filled for every item row."""

    def __init__(self, sheet: Sheet) -> None:
        self.widths = [_twips(mm) for mm in sheet.widths_mm]
        self.total = sum(self.widths)
        self.paragraphs = [
            _paragraph("center" if key in CENTRED_KEYS else "left") for key in sheet.keys
        ]
        self.item_cells = [
            _template(_cell(width), paragraph)
            for width, paragraph in zip(self.widths, self.paragraphs, strict=True)
        ]
        span = len(self.widths)
        self.span_cells = {
            kind: _template(_cell(self.total, span=span), _paragraph(align, True, True))
            for kind, align in (("block", "center"), ("section", "left"))
        }

    def table(self) -> Any:
        """The empty table: properties (borders, fixed layout, cell margins) and the grid."""
        tbl = _el("tbl")
        tblpr = _el("tblPr", tbl)
        _el("tblW", tblpr, w=str(self.total), type="dxa")
        _el("tblInd", tblpr, w="0", type="dxa")
        borders = _el("tblBorders", tblpr)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            etree.SubElement(borders, qn(f"w:{side}"), _BORDER)
        _el("tblLayout", tblpr, type="fixed")
        margins = _el("tblCellMar", tblpr)
        _el("left", margins, w=str(_CELL_MARGIN), type="dxa")
        _el("right", margins, w=str(_CELL_MARGIN), type="dxa")
        _el("tblLook", tblpr, val="0000", noHBand="1", noVBand="1")
        grid = _el("tblGrid", tbl)
        for width in self.widths:
            _el("gridCol", grid, w=str(width))
        return tbl

    def header_row(
        self, cells: Sequence[HeadCell], above: Sequence[HeadCell], bold: bool, repeat: bool
    ) -> Any:
        """A heading row (repeated at the top of every page when ``repeat``); a cell of the row
        ``above`` that spans two rows continues into this one."""
        tr = _el("tr")
        if repeat:
            _el("tblHeader", _el("trPr", tr))
        template = _paragraph("center", bold=bold)
        placed = [(c.col, c, False) for c in cells]
        placed += [(c.col, c, True) for c in above if c.rowspan > 1]
        for _, cell, continued in sorted(placed, key=lambda p: p[0]):
            width = sum(self.widths[cell.col : cell.col + cell.colspan])
            tc = _cell(width, span=cell.colspan, centre_vertically=True)
            if cell.rowspan > 1 or continued:
                _el("vMerge", tc[0], **({} if continued else {"val": "restart"}))
            tr.append(_fill(tc, template, "" if continued else cell.text))
        return tr

    def item_row(self, texts: Sequence[str]) -> str:
        """An item row as WordprocessingML text: the prepared cells with the texts filled in."""
        parts = ["<w:tr>"]
        for (head, para, tail), text in zip(self.item_cells, texts, strict=True):
            if "\n" in text:
                parts.append(head)
                for line in text.split("\n"):
                    parts += (para, escape(line), tail)
                parts.append("</w:tc>")
            else:  # most cells: one line
                parts += (head, para, escape(text), tail, "</w:tc>")
        parts.append("</w:tr>")
        return "".join(parts)

    def span_row(self, text: str, kind: str) -> str:
        """A block or section row: one bold cell across the whole width, as text."""
        head, para, tail = self.span_cells[kind]
        lines = "".join(para + escape(line) + tail for line in text.split("\n"))
        return f"<w:tr>{head}{lines}</w:tc></w:tr>"


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARK = "\ue000"  # stands for the text in a template, never in a cell (cleaned text)


def _template(tc: Any, paragraph: Any) -> tuple[str, str, str]:
    """(the cell's start, a paragraph up to its text, the rest of the paragraph) as text."""
    holder = etree.Element(qn("w:tbl"), nsmap={"w": _W})  # so that the prefix is «w»
    holder.append(copy.deepcopy(tc))
    cell = etree.tostring(holder[0], encoding="unicode").replace(f' xmlns:w="{_W}"', "")
    p = copy.deepcopy(paragraph)
    p[-1][-1].text = _MARK
    holder.append(p)
    para = etree.tostring(holder[1], encoding="unicode").replace(f' xmlns:w="{_W}"', "")
    before, _, after = para.partition(_MARK)
    return cell[: -len("</w:tc>")], before, after


def escape(text: str) -> str:
    """``text`` fit for an XML text node."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _setup_styles(document: Any, options: ExportOptions, hyphenate: bool) -> None:
    """The default font, size, language and spacing of every paragraph of the document.

    ``hyphenate`` turns on automatic hyphenation, for tables whose columns are too narrow for
    their longest words.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    defaults = _el("docDefaults")
    styles.insert(0, defaults)
    rpr = _el("rPr", _el("rPrDefault", defaults))
    family = options.font_family
    _el("rFonts", rpr, ascii=family, hAnsi=family, cs=family, eastAsia=family)
    half_points = str(round(options.font_size * 2))
    _el("sz", rpr, val=half_points)
    _el("szCs", rpr, val=half_points)
    _el("lang", rpr, val="ru-RU", eastAsia="ru-RU", bidi="ar-SA")
    ppr = _el("pPr", _el("pPrDefault", defaults))
    _el("spacing", ppr, after="0", line="240", lineRule="auto")
    settings = document.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        if hyphenate:  # narrow columns: break words more eagerly
            tab_stop.addnext(_el("hyphenationZone", val="142"))
        tab_stop.addnext(_el("autoHyphenation"))


def _setup_page(document: Any, options: ExportOptions) -> None:
    """A4 landscape with the margins of the options; page numbers from the second page."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.left_margin = Mm(options.margin_left_mm)
    section.right_margin = Mm(options.margin_right_mm)
    section.top_margin = Mm(options.margin_top_mm)
    section.bottom_margin = Mm(options.margin_bottom_mm)
    section.header_distance = Mm(min(10.0, options.margin_top_mm / 2))
    section.footer_distance = Mm(min(10.0, options.margin_bottom_mm / 2))
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = paragraph._p
    for kind in ("begin", None, "separate", "2", "end"):
        run = _el("r", p)
        if kind in ("begin", "separate", "end"):
            _el("fldChar", run, fldCharType=kind)
        elif kind is None:
            instr = _el("instrText", run)
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
        else:
            _el("t", run).text = kind


def _setup_properties(document: Any, plan: PlanDoc) -> None:
    """Document properties that speak of the plan, not of the tools."""
    props = document.core_properties
    now = clock.now_utc().replace(microsecond=0, tzinfo=None)
    props.title = plan.title[:255]
    props.author = plan.org[:255]
    props.last_modified_by = plan.org[:255]
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.language = "ru-RU"
    props.revision = 1
    props.created = now
    props.modified = now
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == _RT_THUMBNAIL:
            package_rels.pop(rel_id)


def _text_paragraph(
    text: str,
    align: str,
    bold: bool,
    indent: int = 0,
    after: int = 0,
    size: float = 0.0,
    before: int = 0,
) -> Any:
    """A body paragraph (approval block, title, footnotes, signature)."""
    p = _el("p")
    ppr = _el("pPr", p)
    _el("suppressAutoHyphens", ppr)
    if after or before:
        _el("spacing", ppr, after=str(after), before=str(before))
    if indent:
        _el("ind", ppr, left=str(indent))
    _el("jc", ppr, val=align)
    run = _el("r", p)
    if bold or size:
        rpr = _el("rPr", run)
        if bold:
            _el("b", rpr)
            _el("bCs", rpr)
        if size:
            _el("sz", rpr, val=str(round(size * 2)))
            _el("szCs", rpr, val=str(round(size * 2)))
    t = _el("t", run)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return p


def _spacer() -> Any:
    """A paragraph one point high: it keeps the heading table and the main table apart, so
    that Word and LibreOffice do not join them (the main table's repeated row would be lost)."""
    p = _el("p")
    ppr = _el("pPr", p)
    _el("spacing", ppr, before="0", after="0", line="20", lineRule="exact")
    rpr = _el("rPr", ppr)
    _el("sz", rpr, val="2")
    _el("szCs", rpr, val="2")
    return p


def build_document(plan: PlanDoc, options: ExportOptions, progress: Progress | None = None) -> Any:
    """The document of a plan with its identity payload, not yet saved (see :class:`_Built`)."""
    sheet = prepare(plan, options)
    document = Document()
    _setup_styles(document, options, sheet.tight)
    _setup_page(document, options)
    _setup_properties(document, plan)
    body = document.element.body
    for old in list(body):
        if old.tag != qn("w:sectPr"):
            body.remove(old)
    section_properties = body[-1]
    content = _twips(content_width_mm(options))
    indent = max(0, content - _twips(APPROVAL_WIDTH_MM))
    parts = [_text_paragraph(line, "left", False, indent) for line in sheet.approval]
    spacing = round(options.font_size * 20)
    if parts:
        parts.append(_text_paragraph("", "left", False))
    for index, line in enumerate(sheet.title):
        after = spacing if index == len(sheet.title) - 1 else 0
        parts.append(_text_paragraph(line, "center", True, after=after))
    builder = _TableBuilder(sheet)
    table = builder.table()
    first = sheet.first_repeat
    if first and sheet.repeat:  # only the last heading rows repeat: the others stand above
        heads = builder.table()
        parts += [heads, _spacer()]
    else:
        heads = table
    parts.append(table)
    for line in sheet.footnotes:
        parts.append(_text_paragraph(line, "both", False, size=max(8.0, options.font_size - 2)))
    for index, line in enumerate(sheet.signature):
        parts.append(_text_paragraph(line, "left", False, before=spacing if not index else 0))
    parts.append(_el("p"))  # Word needs a paragraph after a table that ends the body
    for part in parts:
        section_properties.addprevious(part)
    # Rows are appended one by one to the table once it is inside the document: moving a whole
    # finished table into python-docx's document at once costs far more.
    above: Sequence[HeadCell] = ()
    for index, cells in enumerate(sheet.head):
        target = heads if index < first else table
        number_row = sheet.form.number_row and index == len(sheet.head) - 1
        repeat = index >= first and sheet.repeat > 0
        target.append(builder.header_row(cells, above, not number_row, repeat))
        above = cells if index + 1 != first else ()
    total = len(sheet.rows)
    rows: list[str] = []
    for index, row in enumerate(sheet.rows):
        if is_spanning(row):
            rows.append(builder.span_row(span_text(row), row.kind))
        else:
            rows.append(builder.item_row(sheet.cells(row)))
        tick(progress, index + 1, total)
    table.append(etree.Comment(_ROWS_MARK))  # where the rows go when the file is written
    embed_docx(document, build_payload(plan, sheet.layout, sheet.columns, sheet))
    return _Built(document, rows)


class _Built:
    """A document and its table rows as text, written together by :meth:`save`.

    python-docx writes the document with a marker where the rows go; the file is then copied
    part by part and the rows are streamed into ``word/document.xml`` at the marker, so that
    they never become an element tree (which took most of the time and the memory of a large
    plan). Parts are compressed at zlib level 1 (python-docx uses level 6: five times slower for
    a file a fifth smaller).
    """

    def __init__(self, document: Any, rows: list[str]) -> None:
        self.document = document
        self.rows = rows

    def save(self, path: str) -> None:
        import functools
        import io
        import zipfile

        from docx.opc import phys_pkg

        first = io.BytesIO()
        original = phys_pkg.ZipFile
        phys_pkg.ZipFile = functools.partial(original, compresslevel=1)  # type: ignore[misc,assignment]
        try:
            self.document.save(first)
        finally:
            phys_pkg.ZipFile = original  # type: ignore[misc]
        mark = f"<!--{_ROWS_MARK}-->".encode()
        first.seek(0)
        with (
            zipfile.ZipFile(first) as src,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
        ):
            for info in src.infolist():
                data = src.read(info)
                if info.filename != "word/document.xml" or mark not in data:
                    dst.writestr(info, data, compresslevel=1)
                    continue
                head, _, tail = data.partition(mark)
                with dst.open(info.filename, "w") as out:
                    out.write(head)
                    for start in range(0, len(self.rows), _BATCH):
                        out.write("".join(self.rows[start : start + _BATCH]).encode())
                    out.write(tail)


def write_docx(
    plan: PlanDoc,
    path: str | os.PathLike[str],
    options: ExportOptions,
    progress: Progress | None = None,
) -> int:
    """Writes ``plan`` to ``path`` as docx and returns the number of table rows written."""
    return write_built(
        plan, path, options, progress, "Формирование документа Word…", build_document
    )
