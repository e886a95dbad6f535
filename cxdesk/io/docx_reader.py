"""Reading a plan from a Word document (.docx).

The document XML is walked directly with lxml (``w:tbl/w:tr/w:tc``), which is many times faster
than python-docx's cell objects on long tables. Horizontal spans (``w:gridSpan``, ``w:gridBefore``)
and vertical merges (``w:vMerge`` restart/continue) become the :class:`~cxdesk.io.grid.Grid`
shape; every paragraph of a cell is one line (a ``w:br`` inside a paragraph also starts one);
numbers made by Word's automatic numbering are computed by :mod:`cxdesk.io.docx_numbering`.
Deleted revisions, field codes, hidden text and drawings are left out, as Word does on screen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cxdesk.errors import BadFile
from cxdesk.io.docx_numbering import Numbering, w
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import ReadResult
from cxdesk.io.plan_header import load_identity
from cxdesk.io.safezip import SafeZip
from cxdesk.io.table_model import build_plan
from cxdesk.io.table_text import clean_lines
from cxdesk.progress import NO_PROGRESS, Progress

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
#: Tables with more rows than this are never taken for text above the plan (approval blocks).
PREAMBLE_TABLE_ROWS = 40
#: A cell never spans more grid columns than this (Word's own limit is 63); a larger ``gridSpan``
#: in a damaged or hostile file would make every later step loop over it.
MAX_SPAN = 63

_P, _TBL, _TR, _TC = w("p"), w("tbl"), w("tr"), w("tc")
_R, _T, _TAB, _PTAB, _BR, _CR = w("r"), w("t"), w("tab"), w("ptab"), w("br"), w("cr")
_NBHYPHEN, _SDT, _SDTCONTENT, _CUSTOMXML = (
    w("noBreakHyphen"),
    w("sdt"),
    w("sdtContent"),
    w("customXml"),
)
_VAL, _TYPE = w("val"), w("type")
_TRPR, _TCPR, _GRIDBEFORE, _GRIDSPAN, _VMERGE, _DEL = (
    w("trPr"),
    w("tcPr"),
    w("gridBefore"),
    w("gridSpan"),
    w("vMerge"),
    w("del"),
)
_RPR, _VANISH = w("rPr"), w("vanish")
_SKIP = frozenset(
    {
        w("del"),
        w("moveFrom"),
        w("instrText"),
        w("delText"),
        w("drawing"),
        w("pict"),
        w("object"),
        w("footnoteReference"),
        w("endnoteReference"),
        w("commentReference"),
        w("fldChar"),
        f"{{{MC}}}AlternateContent",
    }
)
_WRAPPERS = frozenset({_SDT, _SDTCONTENT, _CUSTOMXML, w("ins"), w("moveTo")})


def _children(parent: Any, wanted: str) -> Iterator[Any]:
    """Children with tag ``wanted``, looking through content controls and custom XML."""
    for child in parent:
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag in _WRAPPERS:
            inner = child.find(_SDTCONTENT) if tag == _SDT else child
            if inner is not None:
                yield from _children(inner, wanted)


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or a cell, in order."""
    for child in parent:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in _WRAPPERS:
            inner = child.find(_SDTCONTENT) if tag == _SDT else child
            if inner is not None:
                yield from _blocks(inner)


def _run_text(run: Any, out: list[str]) -> bool:
    """The text of a plain run (``w:rPr`` and ``w:t`` only, the common case) in one step; False
    when the run holds anything else and must be walked in full."""
    texts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == _T:
            texts.append(child.text or "")
        elif tag == _RPR:
            if child.find(_VANISH) is not None:
                return True
        else:
            return False
    out.extend(texts)
    return True


def _collect(el: Any, out: list[str]) -> None:
    for child in el:
        if child.tag == _R and _run_text(child, out):
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or tag.endswith("Pr"):
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            out.append(" ")
        elif tag == _BR:
            if child.get(_TYPE) in (None, "textWrapping"):
                out.append("\n")
        elif tag == _CR:
            out.append("\n")
        elif tag == _NBHYPHEN:
            out.append("-")
        elif tag == _R:
            rpr = child.find(_RPR)
            if rpr is not None and rpr.find(_VANISH) is not None:
                continue
            _collect(child, out)
        else:
            _collect(child, out)


class _Walker:
    """Walks the body once, in order, so that list counters advance as Word's do."""

    def __init__(self, numbering: Numbering, progress: Progress) -> None:
        self.numbering = numbering
        self.progress = progress
        self.rows_seen = 0

    def paragraph(self, p: Any) -> str:
        label = self.numbering.label(p)
        parts: list[str] = []
        _collect(p, parts)
        text = "".join(parts)
        return f"{label} {text}" if label and text.strip() else (label or text)

    def block(self, block: Any, out: list[str]) -> None:
        """Appends the lines of one paragraph, or of a table nested in a cell, to ``out``."""
        if block.tag == _P:
            out.append(self.paragraph(block))
        else:
            for row in self.table_rows(block):
                out.extend(" ".join(cell.lines) for cell in row.cells if cell.lines)

    def cell(self, tc: Any) -> tuple[list[str], Any]:
        """A cell's paragraphs and its ``w:tcPr``, in one pass over its children."""
        out: list[str] = []
        tcpr = None
        for child in tc:
            tag = child.tag
            if tag == _P:
                out.append(self.paragraph(child))
            elif tag == _TCPR:
                tcpr = child if tcpr is None else tcpr
            elif tag == _TBL:
                self.block(child, out)
            elif tag in _WRAPPERS:
                inner = child.find(_SDTCONTENT) if tag == _SDT else child
                if inner is not None:
                    for block in _blocks(inner):
                        self.block(block, out)
        return out, tcpr

    def table_rows(self, tbl: Any) -> list[GridRow]:
        rows: list[GridRow] = []
        merges: dict[int, list[str]] = {}
        for number, tr in enumerate(_children(tbl, _TR), start=1):
            self.rows_seen += 1
            if self.rows_seen % 500 == 0:
                self.progress.check()
            trpr = tr.find(_TRPR)
            if trpr is not None and trpr.find(_DEL) is not None:
                continue
            col = 0
            if trpr is not None:
                before = trpr.find(_GRIDBEFORE)
                if before is not None:
                    col = min(max(0, _to_int(before.get(_VAL), 0)), MAX_SPAN)
            cells: list[Cell] = []
            for tc in _children(tr, _TC):
                paragraphs, tcpr = self.cell(tc)
                span, vmerge = 1, None
                if tcpr is not None:
                    grid_span = tcpr.find(_GRIDSPAN)
                    if grid_span is not None:
                        span = min(max(1, _to_int(grid_span.get(_VAL), 1)), MAX_SPAN)
                    merge = tcpr.find(_VMERGE)
                    if merge is not None:
                        vmerge = merge.get(_VAL) or "continue"
                lines = clean_lines(paragraphs)
                copied = False
                if vmerge == "continue":
                    lines, copied = list(merges.get(col, [])), True
                elif vmerge == "restart":
                    merges[col] = lines
                else:
                    merges.pop(col, None)
                cells.append(Cell(lines=lines, col=col, span=span, copied=copied))
                col += span
            rows.append(GridRow(cells=cells, line=number))
        return rows

    def body(self, body: Any) -> list[Grid]:
        grids: list[Grid] = []
        text: list[str] = []
        after_table = False
        text_before = 0  # how much preamble text there was before the last table
        for block in _blocks(body):
            if block.tag == _P:
                lines = clean_lines([self.paragraph(block)])
                text.extend(lines)
                if grids:
                    grids[-1].after.extend(lines)
                after_table = after_table and not lines  # an empty paragraph keeps it
                continue
            rows = self.table_rows(block)
            if after_table and _continues(grids[-1], rows):
                # the headings in a table of their own, the rows (from the number row that
                # repeats on every page) right under it, at most empty paragraphs between
                grids[-1].rows.extend(rows)
                del text[text_before:]
                continue
            after_table, text_before = True, len(text)
            grids.append(Grid(rows=rows, label=f"таблица {len(grids) + 1}", before=list(text)))
            if len(rows) <= PREAMBLE_TABLE_ROWS:
                for row in rows:
                    for cell in row.cells:
                        if not cell.copied:
                            text.extend(cell.lines)
        return grids


def _continues(grid: Grid, rows: list[GridRow]) -> bool:
    """Whether a table right after ``grid`` (no text between) continues it: ``grid`` is only a
    few heading rows and the table starts with the row of column numbers."""
    from cxdesk.io.table_layout import is_number_row

    return len(grid.rows) <= 3 and bool(rows) and is_number_row(rows[0])


def _to_int(text: Any, default: int) -> int:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return default


def read_docx(path: str | Path, progress: Progress | None = None) -> ReadResult:
    """Reads the plan (approval block, title, table) from a .docx file.

    Raises :class:`~cxdesk.errors.BadFile` when the file is not a readable Word document or holds
    no plan table; everything merely guessed is returned as warnings.
    """
    progress = progress or NO_PROGRESS
    progress.set_status("Проверка файла…")
    with SafeZip(path, "docx") as zf:
        main = zf.main_part("word/document.xml")
        if not zf.has(main):
            raise BadFile(f"Файл {zf.label} не прочитан: в нём нет основного текста документа.")
        rels = zf.relationships(main)
        numbering_part = rels.get("numbering", "word/numbering.xml")
        styles_part = rels.get("styles", "word/styles.xml")
        numbering = Numbering(
            zf.parse_xml(numbering_part) if zf.has(numbering_part) else None,
            zf.parse_xml(styles_part) if zf.has(styles_part) else None,
        )
        progress.set_status("Чтение документа…")
        progress.set_value(0.1)
        root = zf.parse_xml(main)
        body = root.find(w("body"))
        if body is None:
            raise BadFile(f"Файл {zf.label} не прочитан: в документе нет текста (w:body).")
        progress.set_value(0.3)
        # The walk makes hundreds of thousands of small objects that all live until the plan is
        # built; the cyclic collector would rescan them again and again for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            grids = _Walker(numbering, progress).body(body)
            progress.set_status("Разбор таблицы плана…")
            result = build_plan(grids, zf.label, progress)
        finally:
            if collecting:
                gc.enable()
        load_identity("read_docx", zf.zip, result)
    progress.set_value(1.0)
    return result
