"""Reading a plan from an Excel workbook (.xlsx).

The workbook is opened with openpyxl in read-only (streaming) mode: on a 5,000-row plan it reads
the cells about a third faster than the normal mode and does not load sheets it does not need.
Read-only mode does not report merged cells, so the ``<mergeCells>`` of the one sheet that holds
the plan are read from its XML through :class:`~cxdesk.io.safezip.SafeZip` (streamed, rows
discarded as they pass). Every sheet is looked at, visible ones first; the first one whose header
names the activity is the plan. Dates stored as Excel dates become ``dd.mm.yyyy`` text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from cxdesk.errors import BadFile
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import ReadResult
from cxdesk.io.plan_header import load_identity
from cxdesk.io.safezip import SafeZip
from cxdesk.io.table_layout import MAX_HEADER_SCAN, find_layout
from cxdesk.io.table_model import build_plan, no_table_message
from cxdesk.io.table_text import clean_lines
from cxdesk.progress import NO_PROGRESS, Progress

_DECIMALS_RE = re.compile(r"^0[.,](0+)$")
_MERGE_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']"
    rb"([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)[\"']"
)
_MERGE_OVERLAP = 256
#: Excel writes characters XML cannot hold as «_x0007_» («_x005F_» is the underscore itself).
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))
#: Columns beyond this are never part of a plan table (guards against sheets «used» to XFD).
MAX_COLUMNS = 60


def cell_text(value: Any, number_format: str = "General") -> str:
    """The text a cell shows, as far as a plan needs it: dates as dd.mm.yyyy, whole numbers
    without «.0», decimals as many as the number format asks for."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _ESCAPE_RE.sub(_unescape, value) if "_x" in value else value
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0) and value.date() <= dt.date(1900, 1, 1):
            return value.strftime("%H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        match = _DECIMALS_RE.match(number_format or "")
        if match:
            return f"{value:.{len(match.group(1))}f}"
        if value.is_integer():
            return str(int(value))
        return f"{value:.10g}"
    return str(value)


def _merges(zf: SafeZip, part: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of one sheet as (min_col, min_row, max_col, max_row), 1-based.

    The sheet XML is scanned as a byte stream for its ``mergeCell`` elements (openpyxl parses the
    same XML next and refuses it if it is malformed); a regular expression over the chunks is
    ten times faster than building a tree for a sheet of thousands of rows.
    """
    if not zf.has(part):
        return []
    out: list[tuple[int, int, int, int]] = []
    tail = b""
    for block in zf.iter_chunks(part):
        data = tail + block
        last = 0
        for match in _MERGE_RE.finditer(data):
            last = match.end()
            try:
                bounds = range_boundaries(match.group(1).decode("ascii"))
            except (ValueError, TypeError):
                continue
            if all(isinstance(b, int) for b in bounds):
                out.append((int(bounds[0]), int(bounds[1]), int(bounds[2]), int(bounds[3])))
        tail = data[max(last, len(data) - _MERGE_OVERLAP):]
    return out


def _rows(ws: Any, limit: int | None, progress: Progress | None) -> list[list[tuple[int, str]]]:
    """The non-empty cells of a sheet, row by row, as (1-based column, text); item ``i`` of the
    result is sheet row ``i + 1`` (read-only mode yields missing rows as one shared empty tuple,
    which is recognised by identity and skipped cheaply)."""
    out: list[list[tuple[int, str]]] = []
    filler: Any = None
    for index, row in enumerate(ws.iter_rows(max_row=limit, max_col=MAX_COLUMNS), start=1):
        if row is filler:
            out.append([])
            continue
        if progress is not None and index % 500 == 0:
            progress.check()
        cells: list[tuple[int, str]] = []
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = cell_text(value, getattr(cell, "number_format", "General"))
            if text.strip():
                cells.append((int(cell.column), text))
        if not cells and filler is None and not any(hasattr(c, "column") for c in row):
            filler = row
        out.append(cells)
    return out


def _grid(rows: list[list[tuple[int, str]]], merges: list[tuple[int, int, int, int]],
          label: str) -> Grid:
    """The sheet's cells as a grid: a merged range gives its first cell a span, and the cells
    below it (a vertical merge) copies of that cell's text."""
    spans: dict[tuple[int, int], int] = {}
    copies: dict[int, dict[int, tuple[int, int]]] = {}
    for min_col, min_row, max_col, max_row in merges:
        spans[(min_row, min_col)] = max_col - min_col + 1
        for r in range(min_row + 1, min(max_row, len(rows)) + 1):
            copies.setdefault(r, {})[min_col] = (min_row, min_col)
    lines: dict[tuple[int, int], list[str]] = {}
    grid_rows: list[GridRow] = []
    for r, cells in enumerate(rows, start=1):
        out: list[Cell] = []
        below = copies.get(r, {})
        for c, text in cells:
            if c in below:
                continue  # hidden under a merged range: Excel shows the range's first cell
            lines[(r, c)] = clean_lines([text])
            out.append(Cell(lines=lines[(r, c)], col=c - 1, span=spans.get((r, c), 1)))
        for c, source in below.items():
            out.append(Cell(lines=list(lines.get(source, [])), col=c - 1,
                            span=spans.get(source, 1), copied=True))
        if below:
            out.sort(key=lambda cell: cell.col)
        grid_rows.append(GridRow(cells=out, line=r))
    return Grid(rows=grid_rows, label=label)


def read_xlsx(path: str | Path, progress: Progress | None = None) -> ReadResult:
    """Reads the plan (title, approval block, table) from a .xlsx file.

    Raises :class:`~cxdesk.errors.BadFile` when the file is not a readable Excel workbook or no
    sheet holds a plan table; everything merely guessed is returned as warnings.
    """
    progress = progress or NO_PROGRESS
    progress.set_status("Проверка файла…")
    with SafeZip(path, "xlsx") as zf:
        zf.check_no_dtd()
        try:
            workbook = load_workbook(zf.path, read_only=True, data_only=True)
        except BadFile:
            raise
        except Exception as exc:  # openpyxl raises many kinds on a broken workbook
            raise BadFile(
                f"Файл {zf.label} не прочитан: Excel-книга повреждена ({type(exc).__name__}). "
                "Откройте её в Excel и сохраните заново."
            ) from exc
        try:
            result = _read_workbook(zf, workbook, progress)
        finally:
            workbook.close()
        load_identity("read_xlsx", zf.path, result)
    progress.set_value(1.0)
    return result


def _read_workbook(zf: SafeZip, workbook: Any, progress: Progress) -> ReadResult:
    progress.set_status("Поиск листа с планом…")
    sheets = sorted(workbook.worksheets, key=lambda ws: ws.sheet_state != "visible")
    found = []
    for ws in sheets:
        head = _grid(_rows(ws, MAX_HEADER_SCAN + 5, None), [], f"лист «{ws.title}»")
        if find_layout(head) is not None:
            found.append(ws)
    if not found:
        raise BadFile(no_table_message(zf.label, len(sheets), sheets=True))
    ws = found[0]
    warnings: list[str] = []
    if len(found) > 1:
        others = ", ".join(f"«{other.title}»" for other in found[1:])
        warnings.append(
            f"В книге несколько листов с таблицей плана; прочитан лист «{ws.title}», "
            f"пропущены: {others}."
        )
    progress.set_status(f"Чтение листа «{ws.title}»…")
    progress.set_value(0.1)
    rows = _rows(ws, None, progress)
    part = str(getattr(ws, "_worksheet_path", "") or "").lstrip("/")
    grid = _grid(rows, _merges(zf, part), f"лист «{ws.title}»")
    progress.set_status("Разбор таблицы плана…")
    progress.set_value(0.5)
    result = build_plan([grid], zf.label, progress)
    result.warnings[:0] = warnings
    return result
