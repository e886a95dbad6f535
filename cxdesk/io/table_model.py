"""From a grid of cells to the plan: the part of reading that does not depend on the file format.

The docx and xlsx readers turn their tables into :class:`Grid` objects (cells with clean text
lines, horizontal spans and vertical-merge copies) and hand them to :func:`build_plan`, which

1. finds the plan's table: the first whose header names the activity («Мероприятие» …);
2. maps its columns by their headings (:mod:`cxdesk.io.table_layout`);
3. reads the rows (:mod:`cxdesk.io.table_rows`): skips repeated headers and the row of column
   numbers, joins rows broken across pages, tells blocks, sections and items apart;
4. reads the approval block and the title above the table (:mod:`cxdesk.io.plan_header`) and
   the signature and executor below it (:mod:`cxdesk.io.table_tail`).

Later tables join the plan when they repeat its header or, without a header, have its columns;
a table that is not taken is named in a warning with its row count.

Everything it guessed, skipped or did not understand becomes a warning in Russian.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cxdesk.errors import BadFile
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import PlanDoc, ReadResult
from cxdesk.io.plan_header import parse_preamble
from cxdesk.io.table_layout import Layout, find_layout, is_number_row
from cxdesk.io.table_rows import read_rows
from cxdesk.io.table_tail import cut_tail, is_signature_line, read_tail
from cxdesk.io.table_text import number_ranges, parse_number
from cxdesk.progress import NO_PROGRESS, Progress

__all__ = ["Cell", "Grid", "GridRow", "build_plan", "no_table_message"]

#: A table after the plan's table with at most this many rows and few columns is read as text
#: (a signature laid out in a table), not as a part of the plan.
SMALL_TABLE_ROWS = 6
#: Lines between the parts of a split table that say only that it goes on.
_CONTINUED_RE = re.compile(
    r"^\s*(?:продолжение|окончание)(?:\s+таблицы|\s+приложения)?\b.*$|^\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*$",
    re.I,
)
#: A remark made about more rows than this is said once for all of them.
MAX_SAME_WARNINGS = 10
_ROW_WARNING_RE = re.compile(r"^Строка (\d+): (.*)$", re.S)
#: Heading rows are kept at most this wide.
MAX_HEADER_COLUMNS = 100


def build_plan(grids: Sequence[Grid], source: str, progress: Progress | None = None) -> ReadResult:
    """Reads the plan from the tables of one file; ``source`` names the file in messages.

    Raises :class:`BadFile` when no table names the activity in its header.
    """
    progress = progress or NO_PROGRESS
    parse_number.cache_clear()  # numbers are parsed once per file; nothing is kept between files
    found = None
    for index, grid in enumerate(grids):
        layout = find_layout(grid)
        if layout is not None:
            found = (index, grid, layout)
            break
    if found is None:
        raise BadFile(no_table_message(source, len(grids)))
    index, grid, layout = found
    warnings = list(layout.warnings)
    rows = list(grid.rows[layout.first_data :])
    last: Grid | None = grid
    below = list(grid.after)
    between: list[str] = []
    width = grid.width
    for extra in grids[index + 1 :]:
        more = find_layout(extra)
        counted = sum(1 for row in extra.rows if any(cell.text for cell in row.cells))
        if (more is not None and more.keys == layout.keys) or (
            more is None and _continues(extra, width)
        ):
            between.extend(line for line in below if not _CONTINUED_RE.match(line))
        if more is not None and more.keys == layout.keys:
            warnings.append(
                f"Таблица плана продолжена отдельной таблицей ({extra.label}); строки объединены."
            )
            rows.extend(extra.rows[more.first_data :])
        elif more is None and _continues(extra, width):
            warnings.append(
                f"Таблица плана продолжена отдельной таблицей без заголовка ({extra.label}, "
                f"{_rows_word(counted)}); строки объединены."
            )
            rows.extend(extra.rows)
        elif more is None and last is not None and _is_small_text(extra):
            below.extend(
                line
                for row in extra.rows
                for cell in row.cells
                if cell.text and not cell.copied
                for line in [cell.text]
            )
            below.extend(extra.after)
            continue
        else:
            if counted:
                why = (
                    "у неё другие столбцы"
                    if more is not None
                    else f"в ней {extra.width} столбцов, а в таблице плана {width}"
                )
                warnings.append(
                    f"{extra.label.capitalize()} ({_rows_word(counted)}) не прочитана: {why}. "
                    "Если это часть плана, перенесите её строки в таблицу плана."
                )
            last = None
            continue
        last, below = extra, list(extra.after)
    if between:
        shown = "; ".join(f"«{_short(line)}»" for line in between[:3])
        warnings.append(
            f"Между частями таблицы плана не прочитан текст ({_rows_word(len(between))}): "
            f"{shown}{f' и ещё {len(between) - 3}' if len(between) > 3 else ''}."
        )
    rows, tail_lines = cut_tail(rows, layout)
    plan_rows, row_warnings = read_rows(rows, layout, progress)
    warnings.extend(row_warnings)
    above = [
        line
        for row in grid.rows[: layout.header_row]
        for cell in row.cells
        if not cell.copied
        for line in cell.lines
    ]
    header = parse_preamble(grid.before + above)
    warnings.extend(header.warnings)
    tail = read_tail(tail_lines + below)
    if tail.other:
        shown = "; ".join(f"«{_short(line)}»" for line in tail.other[:3])
        more_lines = f" и ещё {len(tail.other) - 3}" if len(tail.other) > 3 else ""
        warnings.append(
            f"Под таблицей плана не прочитан текст, который не подпись и не строка исполнителя "
            f"({_rows_word(len(tail.other))}): {shown}{more_lines}."
        )
    plan = PlanDoc(
        title=header.title,
        org=header.org,
        approver_position=header.approver_position,
        approver_name=header.approver_name,
        approval_date=header.approval_date,
        as_of=header.as_of,
        columns=layout.columns(),
        rows=plan_rows,
        signature="\n".join(tail.signature),
        executor="\n".join(tail.executor),
        has_approval=header.has_approval,
        header_rows=header_rows(grid, layout),
    )
    if not plan_rows:
        warnings.append(f"В таблице плана ({grid.label}) нет ни одной строки с мероприятием.")
    return ReadResult(plan=plan, warnings=collapse_warnings(warnings))


def collapse_warnings(warnings: list[str]) -> list[str]:
    """The same remark about many rows said once: «Строки 5–900 (896): …» instead of 896 lines
    (the first such remark keeps its place)."""
    groups: dict[str, list[int]] = {}
    for text in warnings:
        match = _ROW_WARNING_RE.match(text)
        if match is not None:
            groups.setdefault(match.group(2), []).append(int(match.group(1)))
    out: list[str] = []
    said: set[str] = set()
    for text in warnings:
        match = _ROW_WARNING_RE.match(text)
        if match is None or len(groups[match.group(2)]) <= MAX_SAME_WARNINGS:
            out.append(text)
        elif match.group(2) not in said:
            said.add(match.group(2))
            lines = groups[match.group(2)]
            out.append(f"Строки {number_ranges(lines)} ({len(lines)}): {match.group(2)}")
    return out


def header_rows(grid: Grid, layout: Layout) -> list[list[str]]:
    """The heading rows of the plan's table as texts, a merged heading repeated over its columns."""
    width = min(grid.width, MAX_HEADER_COLUMNS)
    out: list[list[str]] = []
    for row in grid.rows[layout.header_row : layout.first_data]:
        texts = [""] * width
        for cell in row.cells:
            for col in range(cell.col, min(cell.col + cell.span, width)):
                texts[col] = " ".join(cell.text.split())
        out.append(texts)
    return out


def _continues(extra: Grid, width: int) -> bool:
    """Whether a table without a header continues the plan's table: it starts with the row of
    column numbers, or its first rows carry item numbers or fill several columns; and it has as
    many columns as the plan's table."""
    first = [row for row in extra.rows[:10] if any(cell.text for cell in row.cells)][:3]
    if not first:
        return False
    numbered = is_number_row(first[0]) or any(
        parse_number(cell.text) is not None
        for row in first for cell in row.cells[:2] if cell.text and not cell.copied
    )  # fmt: skip
    if extra.width != width:
        return False
    return numbered or any(sum(1 for cell in row.cells if cell.text) >= 2 for row in first)


def _is_small_text(extra: Grid) -> bool:
    """A small table that holds a signature or an executor line (laid out in a borderless
    table below the plan)."""
    if len(extra.rows) > SMALL_TABLE_ROWS or extra.width > 4:
        return False
    return any(is_signature_line(line) for row in extra.rows for cell in row.cells
               for line in cell.lines)  # fmt: skip


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _rows_word(n: int) -> str:
    return f"{n} {_plural(n, 'строка', 'строки', 'строк')}"


def no_table_message(source: str, tables: int, sheets: bool = False) -> str:
    """The message for a file in which no table (or no sheet) is the plan's table."""
    heading = "столбца «Мероприятие» («Наименование мероприятия»)"
    if sheets:
        where = f"ни на одном листе книги нет {heading}"
    elif tables == 0:
        where = "в нём нет ни одной таблицы"
    else:
        where = f"ни в одной его таблице нет {heading}"
    return (
        f"В файле {source} не найдена таблица плана: {where}. План должен быть таблицей "
        "с заголовками столбцов (№ п/п, Мероприятие, Срок реализации, Ответственный, Результат); "
        "проверьте, что выбран нужный файл."
    )
