"""From a grid of cells to the plan: the part of reading that does not depend on the file format.

The docx and xlsx readers turn their tables into :class:`Grid` objects (cells with clean text
lines, horizontal spans and vertical-merge copies) and hand them to :func:`build_plan`, which

1. finds the plan's table: the first whose header names the activity («Мероприятие» …);
2. maps its columns by their headings (:mod:`cxdesk.io.table_layout`);
3. reads the rows (:mod:`cxdesk.io.table_rows`): skips repeated headers and the row of column
   numbers, joins rows broken across pages, tells blocks, sections and items apart;
4. reads the approval block and the title above the table (:mod:`cxdesk.io.plan_header`).

Everything it guessed, skipped or did not understand becomes a warning in Russian.
"""

from __future__ import annotations

from collections.abc import Sequence

from cxdesk.errors import BadFile
from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import PlanDoc, ReadResult
from cxdesk.io.plan_header import parse_preamble
from cxdesk.io.table_layout import find_layout
from cxdesk.io.table_rows import read_rows
from cxdesk.progress import NO_PROGRESS, Progress

__all__ = ["Cell", "Grid", "GridRow", "build_plan", "no_table_message"]


def build_plan(
    grids: Sequence[Grid], source: str, progress: Progress | None = None
) -> ReadResult:
    """Reads the plan from the tables of one file; ``source`` names the file in messages.

    Raises :class:`BadFile` when no table names the activity in its header.
    """
    progress = progress or NO_PROGRESS
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
    rows = list(grid.rows[layout.first_data:])
    for extra in grids[index + 1 :]:
        more = find_layout(extra)
        if more is None or more.keys != layout.keys:
            break
        warnings.append(
            f"Таблица плана продолжена отдельной таблицей ({extra.label}); строки объединены."
        )
        rows.extend(extra.rows[more.first_data :])
    plan_rows, row_warnings = read_rows(rows, layout, progress)
    warnings.extend(row_warnings)
    above = [line for row in grid.rows[: layout.header_row] for cell in row.cells
             if not cell.copied for line in cell.lines]
    header = parse_preamble(grid.before + above)
    warnings.extend(header.warnings)
    plan = PlanDoc(
        title=header.title,
        org=header.org,
        approver_position=header.approver_position,
        approver_name=header.approver_name,
        approval_date=header.approval_date,
        as_of=header.as_of,
        columns=layout.columns(),
        rows=plan_rows,
    )
    if not plan_rows:
        warnings.append(f"В таблице плана ({grid.label}) нет ни одной строки с мероприятием.")
    return ReadResult(plan=plan, warnings=warnings)


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
