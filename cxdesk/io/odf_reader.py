"""Reading a plan from OpenDocument files (.odt text, .ods spreadsheet), as LibreOffice saves them.

LibreOffice is the standard office suite on Astra Linux and RED OS, so plans often arrive as
.odt or .ods. Their ``content.xml`` is read directly with lxml through
:class:`~cxdesk.io.safezip.SafeZip` (the same limits and the same refusal of DTDs as for Office
files), and comes down to the :class:`~cxdesk.io.grid.Grid` shape:

- a text document's tables are walked as a Word document's are (paragraphs between tables are the
  text above and below each table; ``number-columns-spanned`` gives a span and a
  ``covered-table-cell`` under a ``number-rows-spanned`` cell a copy of its text);
- a spreadsheet's tables go through the Excel sheet reader (:func:`~cxdesk.io.xlsx_reader.
  sheet_grid`), hidden rows and columns (``table:visibility``) left out and named in a warning.

Repeated rows and cells (``number-*-repeated``, which spreadsheets use for their empty tail) cost
nothing when empty and are capped when not, so that the work follows the real content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cxdesk.errors import BadFile
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import ReadResult
from cxdesk.io.safezip import SafeZip
from cxdesk.io.table_layout import find_layout
from cxdesk.io.table_model import build_plan, no_table_message
from cxdesk.io.table_text import clean_lines
from cxdesk.io.xlsx_reader import MAX_COLUMNS, MAX_ROWS, Rows, hidden_warning, sheet_grid
from cxdesk.progress import NO_PROGRESS, Progress

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#: Tables with more rows than this are never taken for text above the plan.
PREAMBLE_TABLE_ROWS = 40
#: A non-empty row or cell repeated more times than this is read this many times.
MAX_REPEAT = 1000


def _t(name: str) -> str:
    return f"{{{TABLE}}}{name}"


def _x(name: str) -> str:
    return f"{{{TEXT}}}{name}"


_P, _H, _LIST, _ITEM, _HEADER = _x("p"), _x("h"), _x("list"), _x("list-item"), _x("list-header")
_S, _TAB, _BREAK, _NOTE = _x("s"), _x("tab"), _x("line-break"), _x("note")
_SECTION = _x("section")
_TBL, _ROW, _CELL, _COVERED = (
    _t("table"),
    _t("table-row"),
    _t("table-cell"),
    _t("covered-table-cell"),
)
_COLUMN = _t("table-column")
_ROW_GROUPS = frozenset({_t("table-header-rows"), _t("table-rows"), _t("table-row-group")})
_COLUMN_GROUPS = frozenset({_t("table-header-columns"), _t("table-columns"),
                            _t("table-column-group")})  # fmt: skip
_SKIP = frozenset({_NOTE, f"{{{OFFICE}}}annotation", _x("soft-page-break"), _x("bookmark")})


def _count(el: Any, name: str) -> int:
    try:
        return max(1, int(el.get(_t(name)) or 1))
    except ValueError:
        return 1


def _inline(el: Any, out: list[str]) -> None:
    """The text of a paragraph: spans, links, spaces (``text:s``), tabs and line breaks."""
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if tag in _SKIP:
            pass
        elif tag == _S:
            try:
                out.append(" " * min(max(1, int(child.get(_x("c")) or 1)), 100))
            except ValueError:
                out.append(" ")
        elif tag == _TAB:
            out.append(" ")
        elif tag == _BREAK:
            out.append("\n")
        elif isinstance(tag, str):
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _paragraphs(parent: Any) -> list[str]:
    """The paragraphs of a cell or a list, each as one text (lists and sections looked into)."""
    out: list[str] = []
    for child in parent:
        tag = child.tag
        if tag in (_P, _H):
            parts: list[str] = []
            _inline(child, parts)
            out.append("".join(parts))
        elif tag in (_LIST, _ITEM, _HEADER, _SECTION):
            out.extend(_paragraphs(child))
        elif tag == _TBL:
            for row in _table_rows(child):
                out.append(" ".join(text for _, text in row))
    return out


def _table_rows(tbl: Any) -> list[list[tuple[int, str]]]:
    """A nested table's rows as (column, text), for text inside a cell."""
    out = []
    for row in _rows_of(tbl):
        cells = []
        for col, cell in enumerate(c for c in row if c.tag == _CELL):
            text = " ".join(clean_lines(_paragraphs(cell)))
            if text:
                cells.append((col, text))
        out.append(cells)
    return out


def _nested(tbl: Any, tag: str, groups: frozenset[str]) -> list[Any]:
    """Rows (or columns) of a table, looking into header and group wrappers."""
    out: list[Any] = []
    for child in tbl:
        if child.tag == tag:
            out.append(child)
        elif child.tag in groups:
            out.extend(_nested(child, tag, groups))
    return out


def _rows_of(tbl: Any) -> list[Any]:
    return _nested(tbl, _ROW, _ROW_GROUPS)


def _columns_of(tbl: Any) -> list[Any]:
    return _nested(tbl, _COLUMN, _COLUMN_GROUPS)


def _hidden(el: Any) -> bool:
    return el.get(_t("visibility")) in ("collapse", "filter")


def _cell_lines(cell: Any) -> list[str]:
    kind = cell.get(f"{{{OFFICE}}}value-type")
    if kind == "date":
        value = str(cell.get(f"{{{OFFICE}}}date-value") or "")
        try:
            return [dt.date.fromisoformat(value[:10]).strftime("%d.%m.%Y")]
        except ValueError:
            pass
    return clean_lines(_paragraphs(cell))


class _Table:
    """One table read into cells: rows of (column, lines, span, copied), spans and merges."""

    def __init__(self, tbl: Any, name: str) -> None:
        self.name = name
        self.rows: list[tuple[int, list[Cell]]] = []
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self.merges: list[tuple[int, int, int, int]] = []
        col = 1
        for column in _columns_of(tbl):
            repeat = _count(column, "number-columns-repeated")
            if _hidden(column) and col <= MAX_COLUMNS:
                self.hidden_cols.update(range(col, min(col + repeat, MAX_COLUMNS + 1)))
            col += repeat
        self._read(tbl)

    def _read(self, tbl: Any) -> None:
        line = 0
        vertical: dict[int, tuple[list[str], int, int]] = {}  # col → (lines, last row, span)
        for row in _rows_of(tbl):
            repeat = _count(row, "number-rows-repeated")
            cells = self._cells(row, line + 1, vertical)
            if not cells:
                line += repeat
                continue
            for _ in range(min(repeat, MAX_REPEAT)):
                line += 1
                if _hidden(row):
                    self.hidden_rows.add(line)
                self.rows.append((line, [Cell(c.lines, c.col, c.span, c.copied) for c in cells]))
                if len(self.rows) > MAX_ROWS:
                    raise BadFile(
                        f"В таблице «{self.name}» больше {MAX_ROWS} заполненных строк: это не план."
                    )
            line += max(0, repeat - MAX_REPEAT)

    def _cells(
        self, row: Any, line: int, vertical: dict[int, tuple[list[str], int, int]]
    ) -> list[Cell]:
        out: list[Cell] = []
        col = 1
        for el in row:
            if el.tag not in (_CELL, _COVERED):
                continue
            repeat = _count(el, "number-columns-repeated")
            if col > MAX_COLUMNS:
                break
            if el.tag == _COVERED:
                merge = vertical.get(col)
                if merge is not None and merge[1] >= line and merge[0]:
                    out.append(Cell(list(merge[0]), col - 1, merge[2], copied=True))
                col += repeat
                continue
            lines = _cell_lines(el)
            if not lines:
                vertical.pop(col, None)
                col += repeat
                continue
            span = min(_count(el, "number-columns-spanned"), MAX_COLUMNS)
            down = _count(el, "number-rows-spanned")
            taken = min(repeat, MAX_COLUMNS - col + 1)
            for _ in range(taken):
                out.append(Cell(lines, col - 1, span))
                if span > 1 or down > 1:
                    self.merges.append((col, line, col + span - 1, line + down - 1))
                if down > 1:
                    vertical[col] = (lines, line + down - 1, span)
                else:
                    vertical.pop(col, None)
                col += 1
            col += repeat - taken
        return out


def _content(path: str | Path, kind: str, progress: Progress) -> Any:
    """The checked ``content.xml`` of an OpenDocument file: its text or spreadsheet body."""
    progress.set_status("Проверка файла…")
    with SafeZip(path, kind) as zf:
        zf.check_no_dtd()
        root = zf.parse_xml("content.xml")
        label = zf.label
    body = root.find(f"{{{OFFICE}}}body")
    name = "text" if kind == "odt" else "spreadsheet"
    inner = body.find(f"{{{OFFICE}}}{name}") if body is not None else None
    if inner is None:
        raise BadFile(f"Файл {label} не прочитан: в нём нет содержимого документа.")
    progress.set_status("Чтение документа…")
    return inner


def read_odt(path: str | Path, progress: Progress | None = None) -> ReadResult:
    """Reads the plan from a LibreOffice text document (.odt)."""
    progress = progress or NO_PROGRESS
    body = _content(path, "odt", progress)
    grids: list[Grid] = []
    _walk(body, grids, [])
    result = build_plan(grids, f"«{Path(path).name}»", progress)
    progress.set_value(1.0)
    return result


def _walk(parent: Any, grids: list[Grid], text: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if tag in (_P, _H, _LIST):
            lines = clean_lines(_paragraphs([child]) if tag != _LIST else _paragraphs(child))
            text.extend(lines)
            if grids:
                grids[-1].after.extend(lines)
        elif tag == _SECTION:
            _walk(child, grids, text)
        elif tag == _TBL:
            table = _Table(child, str(child.get(_t("name")) or ""))
            rows = [GridRow(cells=cells, line=line) for line, cells in table.rows]
            grids.append(Grid(rows=rows, label=f"таблица {len(grids) + 1}", before=list(text)))
            if len(rows) <= PREAMBLE_TABLE_ROWS:
                text.extend(line for row in rows for cell in row.cells if not cell.copied
                            for line in cell.lines)  # fmt: skip


def read_ods(path: str | Path, progress: Progress | None = None) -> ReadResult:
    """Reads the plan from a LibreOffice spreadsheet (.ods): the first sheet with a plan table."""
    progress = progress or NO_PROGRESS
    body = _content(path, "ods", progress)
    tables = [_Table(tbl, str(tbl.get(_t("name")) or "")) for tbl in body.iter(_TBL)]
    warnings: list[str] = []
    chosen = None
    for table in tables:
        head = sheet_grid(_as_rows(table.rows[:40]), [], f"лист «{table.name}»")
        if find_layout(head) is not None and chosen is None:
            chosen = table
        elif table.rows:
            warnings.append(
                f"Лист «{table.name}» (заполненных строк: {len(table.rows)}) не прочитан: "
                + ("план уже прочитан с другого листа." if chosen is not None and
                   find_layout(head) is not None else "на нём нет таблицы плана.")
            )  # fmt: skip
    if chosen is None:
        raise BadFile(no_table_message(f"«{Path(path).name}»", len(tables), sheets=True))
    rows = _as_rows(chosen.rows)
    hidden_rows = [r for r, _ in rows if r in chosen.hidden_rows]
    hidden_cols = sorted({c for _, cells in rows for c, _ in cells if c in chosen.hidden_cols})
    if hidden_rows or hidden_cols:
        warnings.append(hidden_warning(chosen.name, hidden_rows, hidden_cols))
        rows = [
            (r, [(c, t) for c, t in cells if c not in chosen.hidden_cols])
            for r, cells in rows
            if r not in chosen.hidden_rows
        ]
        rows = [(r, cells) for r, cells in rows if cells]
    grid = sheet_grid(rows, chosen.merges, f"лист «{chosen.name}»")
    result = build_plan([grid], f"«{Path(path).name}»", progress)
    result.warnings[:0] = warnings
    progress.set_value(1.0)
    return result


def _as_rows(rows: list[tuple[int, list[Cell]]]) -> Rows:
    """A sheet's cells in the shape the Excel sheet reader takes (its merges give the spans)."""
    return [
        (line, [(cell.col + 1, "\n".join(cell.lines)) for cell in cells if not cell.copied])
        for line, cells in rows
        if any(not cell.copied for cell in cells)
    ]
