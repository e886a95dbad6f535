"""Reading a plan from a Word document (.docx).

The document XML is walked once with lxml, which hands over only the elements that matter
(tables, rows, cells, paragraphs, text and the few properties read), many times faster than
python-docx's cell objects on long tables. Horizontal spans (``w:gridSpan``, ``w:gridBefore``)
and vertical merges (``w:vMerge`` restart/continue) become the :class:`~cxdesk.io.grid.Grid`
shape; every paragraph of a cell is one line (a ``w:br`` inside a paragraph also starts one);
numbers made by Word's automatic numbering are computed by :mod:`cxdesk.io.docx_numbering`.
Deleted revisions, field codes, hidden text and drawings are left out, as Word does on screen.
"""

from __future__ import annotations

import gc
from functools import partial
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


_TABS, _PPR, _NUMPR, _PSTYLE = w("tabs"), w("pPr"), w("numPr"), w("pStyle")
#: What the walk looks at; everything else (runs, properties, wrappers) it passes over in C.
_WALKED = (
    _P, _TBL, _TR, _TC, _T, _TAB, _PTAB, _BR, _CR, _NBHYPHEN, _NUMPR, _PSTYLE, _GRIDSPAN,
    _VMERGE, _GRIDBEFORE, _DEL,
)  # fmt: skip
_TEXT_OF = {_PTAB: " ", _CR: "\n", _NBHYPHEN: "-"}
_RUN_MARKS = frozenset({_TAB, _BR, *_TEXT_OF})
#: Which open element owns each structural one: a paragraph or a table sits in a cell or the body.
_OWNER = {_P: _TC, _TBL: _TC, _TC: _TR, _TR: _TBL}


def _depth_of(owner: Any, elements: list[Any]) -> int:
    """Where on the stack of open elements ``owner`` is, or the element that holds it through
    content controls and custom XML; -1 if it is not open."""
    while owner is not None:
        for depth in range(len(elements) - 1, -1, -1):
            if elements[depth] is owner:
                return depth
        if owner.tag not in _WRAPPERS:
            return -1
        owner = owner.getparent()
    return -1


def _drop_unshown(body: Any) -> None:
    """Removes from the (private) tree what Word does not show as text: deleted and moved-away
    revisions, drawings and text boxes, and hidden runs. Markers inside properties (a deleted
    row's ``w:trPr/w:del``) stay: the walk reads them."""
    gone = []
    for el in body.iter(*_SKIP, _VANISH):
        parent = el.getparent()
        if el.tag == _VANISH:
            run = parent.getparent() if parent.tag == _RPR else None
            if run is not None and run.tag == _R:
                gone.append(run)
        elif not parent.tag.endswith("Pr"):
            gone.append(el)
    for el in gone:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


class _Table:
    """An open table: its finished rows, and the row being read."""

    __slots__ = ("cells", "col", "dead", "merges", "number", "rows")

    def __init__(self) -> None:
        self.rows: list[GridRow] = []
        self.merges: dict[int, list[str]] = {}  # grid column → lines of the merge's first cell
        self.number = 0  # rows so far, deleted ones included (messages name rows by it)
        self.cells: list[Cell] = []
        self.col = 0
        self.dead = False  # the row is a deleted revision


class _Cell:
    """An open cell: its paragraphs' lines so far, and what its properties say."""

    __slots__ = ("lines", "span", "vmerge")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.span = 1
        self.vmerge: str | None = None


class _Walker:
    """Walks the body once, in document order, so that list counters advance as Word's do.

    lxml's ``iter`` hands over only the elements named in ``_WALKED``, in C; each paragraph,
    cell, row and table finds its owner (through content controls and custom XML) on a stack of
    the open ones, and what it closes on the way is finished. An element whose owner is not open
    (a row outside a table, the cells of a deleted row) is left out with all it holds. At most
    one paragraph is open at a time (one inside another is left out), held by the top of the
    stack, so it is kept beside the stack, in the walk's own variables. Properties count only
    where they belong: a cell's in its ``w:tcPr``, a row's in its ``w:trPr``, a paragraph's list
    and style in its ``w:pPr``; anywhere else (a damaged or hostile file) they change nothing.
    """

    def __init__(self, numbering: Numbering, progress: Progress) -> None:
        self.numbering = numbering
        self.progress = progress
        self.rows_seen = 0
        self.grids: list[Grid] = []
        self.text: list[str] = []  # the body's text so far, where the approval block is looked for
        self.after_table = False
        self.text_before = 0  # how much of it there was before the last table

    def body(self, body: Any) -> list[Grid]:  # noqa: C901 - one loop, kept whole for speed
        _drop_unshown(body)
        elements: list[Any] = [body]  # the open elements, the body at the bottom
        tags: list[str] = [_TC]  # their tags (the body holds what a cell holds)
        states: list[Any] = [None]  # what each gathers: _Table (a row's too), _Cell; None: body
        para: Any = None  # the open paragraph, held by the top of the stack; None: none open
        pieces: list[str] = []  # its text, piece by piece
        numpr: Any = None  # its list (its w:numPr) and style
        style: str | None = None
        parts: list[str] | None = None  # where text goes: ``pieces``, or None (nowhere)
        # An empty paragraph after all the body holds: met last, it finishes whatever is still
        # open, and is left open itself (it has nothing to give).
        body.append(body.makeelement(_P))
        for el in body.iter(*_WALKED):
            tag = el.tag
            if tag == _T:
                if parts is not None:
                    parts.append(el.text or "")
                continue
            wanted = _OWNER.get(tag)
            if wanted is None:
                if tag in _RUN_MARKS:
                    if parts is not None:
                        _run_mark(el, tag, parts)
                    continue
                holder = el.getparent()
                owner = holder.getparent()
                if para is not None and owner is para:
                    if holder.tag == _PPR:
                        if tag == _NUMPR:
                            numpr = el
                        elif tag == _PSTYLE:
                            style = el.get(_VAL)
                    continue
                if owner is elements[-1]:
                    at = -1
                elif para is None and len(elements) > 1 and owner is elements[-2]:
                    at = -2  # a cell's or a row's properties after a table inside it
                else:
                    continue
                held_by = tags[at]
                if held_by == _TC:
                    if holder.tag == _TCPR and states[at] is not None:
                        if tag == _GRIDSPAN:
                            states[at].span = min(max(1, _to_int(el.get(_VAL), 1)), MAX_SPAN)
                        elif tag == _VMERGE:
                            states[at].vmerge = el.get(_VAL) or "continue"
                elif held_by == _TR and holder.tag == _TRPR:
                    if tag == _GRIDBEFORE:
                        states[at].col = min(max(0, _to_int(el.get(_VAL), 0)), MAX_SPAN)
                    elif tag == _DEL:
                        states[at].dead = True
                continue
            parts = None
            owner = el.getparent()
            if owner is para:
                continue  # a table, row or cell inside a paragraph: left out
            top = len(elements) - 1
            # the owner is nearly always one of the top two (a cell under its last paragraph,
            # a row under its last cell)
            if elements[top] is owner:
                depth = top
            elif top and elements[top - 1] is owner:
                depth = top - 1
            else:
                depth = _depth_of(owner, elements)
            if depth < 0 or tags[depth] != wanted:
                continue  # the owner is not open, or is not what holds such an element
            if para is not None:  # the paragraph is finished: one line of its cell or the body
                line = "".join(pieces)
                if numpr is not None or style is not None:
                    line = self._numbered(line, numpr, style)
                if states[top] is None:
                    self._body_paragraph(line)
                else:
                    states[top].lines.append(line)
                para = None
            while top > depth:
                elements.pop()
                closed, done = tags.pop(), states.pop()
                into = states[-1]
                if closed == _TC:  # a cell: its lines cleaned, its place in the row
                    lines = clean_lines(done.lines)
                    col, copied = into.col, False
                    vmerge = done.vmerge
                    if vmerge is None:
                        if into.merges:
                            into.merges.pop(col, None)
                    elif vmerge == "continue":
                        lines, copied = list(into.merges.get(col, ())), True
                    elif vmerge == "restart":
                        into.merges[col] = lines
                    else:
                        into.merges.pop(col, None)
                    into.cells.append(Cell(lines, col, done.span, copied))
                    into.col = col + done.span
                else:
                    self._close(closed, done, into)
                top -= 1
            if tag == _P:
                para = el
                pieces = parts = []
                numpr = style = None
                continue
            if tag == _TC:
                if states[-1].dead:
                    continue
                state: Any = _Cell()
            elif tag == _TR:
                state = states[-1]  # a row gathers into its table
                self._open_row(state)
            else:
                state = _Table()
            elements.append(el)
            tags.append(tag)
            states.append(state)
        return self.grids

    def _open_row(self, table: _Table) -> None:
        self.rows_seen += 1
        if self.rows_seen % 500 == 0:
            self.progress.check()
        table.number += 1
        table.cells, table.col, table.dead = [], 0, False

    def _close(self, tag: str, state: Any, owner: Any) -> None:
        """Finishes a row or a table and hands what it made to the ``owner`` under it (None:
        the body)."""
        if tag == _TR:
            if not owner.dead:
                owner.rows.append(GridRow(owner.cells, owner.number))
            owner.cells, owner.dead = [], False
        elif owner is None:
            self._body_table(state.rows)
        else:  # a table inside a cell: its rows become the cell's lines
            owner.lines.extend(
                " ".join(cell.lines) for row in state.rows for cell in row.cells if cell.lines
            )

    def _numbered(self, text: str, numpr: Any, style: str | None) -> str:
        """A paragraph's text after the number its list shows (counted here, in document
        order: a paragraph is finished before the next one starts)."""
        label = self.numbering.label_for(numpr, style)
        return f"{label} {text}" if label and text.strip() else (label or text)

    def _body_paragraph(self, line: str) -> None:
        lines = clean_lines([line])
        self.text.extend(lines)
        if self.grids:
            self.grids[-1].after.extend(lines)
        self.after_table = self.after_table and not lines  # an empty paragraph keeps it

    def _body_table(self, rows: list[GridRow]) -> None:
        grids, text = self.grids, self.text
        if self.after_table and _continues(grids[-1], rows):
            # the headings in a table of their own, the rows (from the number row that repeats
            # on every page) right under it, at most empty paragraphs between
            grids[-1].rows.extend(rows)
            del text[self.text_before :]
            return
        self.after_table, self.text_before = True, len(text)
        grids.append(Grid(rows=rows, label=f"таблица {len(grids) + 1}", before=list(text)))
        if len(rows) <= PREAMBLE_TABLE_ROWS:
            for row in rows:
                for cell in row.cells:
                    if not cell.copied:
                        text.extend(cell.lines)


def _run_mark(el: Any, tag: str, parts: list[str]) -> None:
    """A tab, a break or a hyphen in the open paragraph."""
    if tag == _TAB:
        if el.getparent().tag != _TABS:  # not a tab stop of the paragraph's properties
            parts.append(" ")
    elif tag == _BR:
        if el.get(_TYPE) in (None, "textWrapping"):
            parts.append("\n")
    else:
        parts.append(_TEXT_OF[tag])


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
            partial(zf.parse_xml, styles_part) if zf.has(styles_part) else None,
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
            # The document's tree is not needed after the walk, nor the grids after the plan is
            # built: each goes at once rather than on return (less memory at the peak, and on
            # 5,000 rows 10-15 ms less than when both were freed on return).
            del body, root
            progress.set_status("Разбор таблицы плана…")
            result = build_plan(grids, zf.label, progress)
            del grids
        finally:
            if collecting:
                gc.enable()
        load_identity("read_docx", zf.zip, result)
    progress.set_value(1.0)
    return result
