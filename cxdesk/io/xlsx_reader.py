"""Reading a plan from an Excel workbook (.xlsx).

The workbook is opened with openpyxl in read-only (streaming) mode: on a 5,000-row plan it reads
the cells about a third faster than the normal mode and does not load sheets it does not need.
Read-only mode does not report merged cells, so the ``<mergeCells>`` of the one sheet that holds
the plan are read from its XML through :class:`~cxdesk.io.safezip.SafeZip` (streamed, rows
discarded as they pass). Every sheet is looked at, visible ones first; the first one whose header
names the activity is the plan. Dates stored as Excel dates become ``dd.mm.yyyy`` text.

Hidden rows and columns (drafts people hide instead of deleting) are left out and named in a
warning; sheets without a plan table are named with their row counts. Only rows with text are
kept, and vertical merges are copied by a sweep over those rows, so that time and memory follow
the real content whatever dimension or ranges the sheet declares. A workbook whose parts turn
out broken while its cells are read (shared strings, styles, cell references) is refused as
damaged, like one that does not open.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.read_only import EmptyCell
from openpyxl.utils.cell import get_column_letter, range_boundaries

from cxdesk.errors import BadFile
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import ReadResult
from cxdesk.io.plan_header import load_identity
from cxdesk.io.safezip import SafeZip
from cxdesk.io.table_layout import MAX_HEADER_SCAN, find_layout
from cxdesk.io.table_model import build_plan, no_table_message
from cxdesk.io.table_text import clean_lines, number_ranges
from cxdesk.progress import NO_PROGRESS, Cancelled, Progress

log = logging.getLogger(__name__)

_DECIMALS_RE = re.compile(r"^0[.,](0+)$")
_ELEMENT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(mergeCell|row|col)\s([^>]*)>")
_MERGE_OVERLAP = 256
#: Excel writes characters XML cannot hold as «_x0007_» («_x005F_» is the underscore itself).
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


#: Columns beyond this are never part of a plan table (guards against sheets «used» to XFD).
MAX_COLUMNS = 60
#: More filled rows than this on the plan's sheet is not a plan (the longest real ones have
#: a few thousand).
MAX_ROWS = 200_000
#: More merged ranges than this on one sheet is not a plan.
MAX_MERGES = 50_000
#: The very hidden sheet where cxdesk's own exports keep the plan's identity.
IDENTITY_SHEET = "cxdesk"
#: Rows of a sheet without a plan table read to say how much of it was not taken.
OTHER_SHEET_SCAN = 10_000


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


@dataclass
class SheetLayout:
    """What the sheet XML says beside its cells: merged ranges, hidden rows and columns."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def _flag(attrs: bytes, name: bytes) -> bool:
    match = re.search(rb"\b" + name + rb"\s*=\s*[\"'](1|true)[\"']", attrs)
    return match is not None


def _number(attrs: bytes, name: bytes) -> int | None:
    match = re.search(rb"\b" + name + rb"\s*=\s*[\"'](\d{1,7})[\"']", attrs)
    return int(match.group(1)) if match else None


def _sheet_layout(zf: SafeZip, part: str) -> SheetLayout:
    """The merged ranges and the hidden rows and columns of one sheet.

    The sheet XML is scanned as a byte stream (openpyxl parses the same XML next and refuses it
    if it is malformed); a regular expression over the chunks is ten times faster than building
    a tree for a sheet of thousands of rows. A sheet with more merged ranges than
    :data:`MAX_MERGES` is refused: real plans have a few hundred at most.
    """
    out = SheetLayout()
    if not zf.has(part):
        return out
    tail = b""
    for block in zf.iter_chunks(part):
        data = tail + block
        last = 0
        for match in _ELEMENT_RE.finditer(data):
            last = match.end()
            tag, attrs = match.group(1), match.group(2)
            if tag == b"mergeCell":
                _add_merge(out, attrs, zf.label)
            elif tag == b"row" and _flag(attrs, b"hidden"):
                row = _number(attrs, b"r")
                if row is not None:
                    out.hidden_rows.add(row)
            elif tag == b"col" and _flag(attrs, b"hidden"):
                low, high = _number(attrs, b"min"), _number(attrs, b"max")
                if low is not None and high is not None and low <= MAX_COLUMNS:
                    out.hidden_cols.update(range(low, min(high, MAX_COLUMNS) + 1))
        tail = data[max(last, len(data) - _MERGE_OVERLAP) :]
    return out


def _add_merge(out: SheetLayout, attrs: bytes, label: str) -> None:
    ref = re.search(rb"\bref\s*=\s*[\"']([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)[\"']", attrs)
    if ref is None:
        return
    try:
        bounds = range_boundaries(ref.group(1).decode("ascii"))
    except (ValueError, TypeError):
        return
    if not all(isinstance(b, int) for b in bounds):
        return
    min_col, min_row, max_col, max_row = (int(b) for b in bounds)
    if min_col > MAX_COLUMNS or max_col < min_col or max_row < min_row:
        return
    out.merges.append((min_col, min_row, min(max_col, MAX_COLUMNS), max_row))
    if len(out.merges) > MAX_MERGES:
        raise BadFile(
            f"Файл {label} не прочитан: на листе больше {MAX_MERGES} объединённых ячеек, "
            "а в планах их не бывает столько. Файл испорчен или создан, чтобы вывести программу "
            "из строя; откройте его в Excel, снимите объединение ячеек и сохраните заново."
        )


Rows = list[tuple[int, list[tuple[int, str]]]]


def _rows(
    ws: Any, limit: int | None, progress: Progress | None, hidden_cols: set[int] | None = None
) -> Rows:
    """The non-empty rows of a sheet as (1-based row, [(1-based column, text)]).

    Read-only mode yields missing rows as one shared empty tuple, which is recognised by
    identity and skipped cheaply; only rows with text are kept, so that the cost follows the
    real content, not the declared dimension. Cells of ``hidden_cols`` are left out.
    """
    out: Rows = []
    filler: Any = None
    hidden = hidden_cols or set()
    for index, row in enumerate(ws.iter_rows(max_row=limit, max_col=MAX_COLUMNS), start=1):
        if row is filler:
            continue
        if progress is not None and index % 500 == 0:
            progress.check()
        cells: list[tuple[int, str]] = []
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            column = int(cell.column)
            if column in hidden:
                continue
            text = cell_text(value, getattr(cell, "number_format", "General"))
            if text.strip():
                cells.append((column, text))
        if cells:
            out.append((index, cells))
            if len(out) > MAX_ROWS:
                raise BadFile(
                    f"На листе «{ws.title}» больше {MAX_ROWS} заполненных строк; планы "
                    "мероприятий не бывают такими. Проверьте, тот ли это файл."
                )
        elif filler is None and all(isinstance(c, EmptyCell) for c in row):
            filler = row
    return out


def sheet_grid(rows: Rows, merges: list[tuple[int, int, int, int]], label: str) -> Grid:
    """The sheet's cells as a grid: a merged range gives its first cell a span, and the rows
    below it (a vertical merge) copies of that cell's text.

    Copies are made only on rows that have text of their own (a row of nothing but copies says
    nothing new), found by a sweep over the rows, so that the work is bounded by the rows read
    times the columns, whatever ranges the sheet declares.
    """
    spans: dict[tuple[int, int], int] = {}
    starts: list[tuple[int, int, int, int]] = []
    for min_col, min_row, max_col, max_row in merges:
        spans[(min_row, min_col)] = max_col - min_col + 1
        if max_row > min_row:
            starts.append((min_row, min_col, max_row, max_col))
    starts.sort()
    sources = {(first, col) for first, col, _, _ in starts}
    active: dict[int, tuple[int, int]] = {}  # column → (first row, last row) of a vertical merge
    lines: dict[tuple[int, int], list[str]] = {}
    grid_rows: list[GridRow] = []
    at = 0
    below: dict[int, tuple[int, int]] = {}
    for r, cells in rows:
        while at < len(starts) and starts[at][0] < r:
            first, col, last, _ = starts[at]
            active[col] = (first, last)
            at += 1
        if active:
            below = {}
            for col, (first, last) in list(active.items()):
                if last < r:
                    del active[col]
                else:
                    below[col] = (first, col)
        elif below:
            below = {}
        out: list[Cell] = []
        for c, text in cells:
            if below and c in below:
                continue  # hidden under a merged range: Excel shows the range's first cell
            cell_lines = clean_lines([text])
            if (r, c) in sources:
                lines[(r, c)] = cell_lines
            out.append(Cell(cell_lines, c - 1, spans.get((r, c), 1) if spans else 1))
        for c, source in below.items():
            out.append(Cell(lines=list(lines.get(source, [])), col=c - 1,
                            span=spans.get(source, 1), copied=True))  # fmt: skip
        if below:
            out.sort(key=lambda cell: cell.col)
        grid_rows.append(GridRow(cells=out, line=r))
    return Grid(rows=grid_rows, label=label)


def hidden_warning(title: str, rows: list[int], cols: list[int]) -> str:
    """The warning that names the hidden rows and columns with text that were left out."""
    parts = []
    if rows:
        parts.append(f"строки {number_ranges(rows, str)} ({len(rows)})")
    if cols:
        parts.append(f"столбцы {number_ranges(cols, get_column_letter)} ({len(cols)})")
    return (
        f"На листе «{title}» скрыты {' и '.join(parts)}: они не прочитаны. Если в них есть "
        "пункты плана, покажите их в Excel и загрузите файл снова."
    )


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
            raise _damaged(zf.label, exc) from exc
        try:
            result = _read_workbook(zf, workbook, progress)
        except (BadFile, Cancelled):
            raise
        except Exception as exc:  # broken shared strings, styles, cell references, zip parts
            log.info("workbook %s refused as damaged", zf.label, exc_info=True)
            raise _damaged(zf.label, exc) from exc
        finally:
            workbook.close()
        load_identity("read_xlsx", zf.path, result)
    progress.set_value(1.0)
    return result


def _damaged(label: str, exc: BaseException) -> BadFile:
    return BadFile(
        f"Файл {label} не прочитан: Excel-книга повреждена ({type(exc).__name__}). "
        "Откройте её в Excel или LibreOffice и сохраните заново."
    )


def read_sheets(zf: SafeZip, sheets: list[Any], progress: Progress) -> tuple[Any, list[str]]:
    """The sheet that holds the plan (visible sheets first) and warnings about the others."""
    found: list[Any] = []
    others: list[Any] = []
    for ws in sheets:
        head = sheet_grid(_rows(ws, MAX_HEADER_SCAN + 5, None), [], f"лист «{ws.title}»")
        (found if find_layout(head) is not None else others).append(ws)
    if not found:
        raise BadFile(no_table_message(zf.label, len(sheets), sheets=True))
    ws = found[0]
    warnings: list[str] = []
    if len(found) > 1:
        names = ", ".join(f"«{other.title}»" for other in found[1:])
        warnings.append(
            f"В книге несколько листов с таблицей плана; прочитан лист «{ws.title}», "
            f"пропущены: {names}."
        )
    for other in others:
        if other.title == IDENTITY_SHEET and other.sheet_state == "veryHidden":
            continue  # cxdesk's own hidden identity, read by cxdesk.io.identity
        filled = len(_rows(other, OTHER_SHEET_SCAN, progress))
        if filled:
            count = f"{filled}+" if filled >= OTHER_SHEET_SCAN else str(filled)
            warnings.append(
                f"Лист «{other.title}» (заполненных строк: {count}) не прочитан: на нём нет "
                "таблицы плана."
            )
    return ws, warnings


def _read_workbook(zf: SafeZip, workbook: Any, progress: Progress) -> ReadResult:
    progress.set_status("Поиск листа с планом…")
    sheets = sorted(workbook.worksheets, key=lambda ws: ws.sheet_state != "visible")
    ws, warnings = read_sheets(zf, sheets, progress)
    progress.set_status(f"Чтение листа «{ws.title}»…")
    progress.set_value(0.1)
    part = str(getattr(ws, "_worksheet_path", "") or "").lstrip("/")
    layout = _sheet_layout(zf, part)
    rows = _rows(ws, None, progress)
    if layout.hidden_rows or layout.hidden_cols:
        rows, hidden = _visible(rows, layout)
        if hidden[0] or hidden[1]:
            warnings.append(hidden_warning(ws.title, *hidden))
    grid = sheet_grid(rows, layout.merges, f"лист «{ws.title}»")
    progress.set_status("Разбор таблицы плана…")
    progress.set_value(0.5)
    result = build_plan([grid], zf.label, progress)
    result.warnings[:0] = warnings
    return result


def _visible(rows: Rows, layout: SheetLayout) -> tuple[Rows, tuple[list[int], list[int]]]:
    """The rows without hidden rows and hidden columns, and which of them held text."""
    hidden_rows = [r for r, _ in rows if r in layout.hidden_rows]
    hidden_cols = sorted({c for _, cells in rows for c, _ in cells if c in layout.hidden_cols})
    kept: Rows = []
    for r, cells in rows:
        if r in layout.hidden_rows:
            continue
        shown = [(c, text) for c, text in cells if c not in layout.hidden_cols]
        if shown:
            kept.append((r, shown))
    return kept, (hidden_rows, hidden_cols)
