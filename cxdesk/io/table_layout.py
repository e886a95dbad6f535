"""The header of the plan's table: which grid column holds which field.

The header is found among the first rows of a table as the first row that names the activity and
at least one other known column. A second header row is read with it when the first has headings
spanning several columns («Срок реализации» over «Дата начала» | «Дата окончания») or when a
heading is split across two rows («No» over «п/п»). Header rows repeated on later pages and the
row of column numbers (1 2 3 4 5 6) are recognised here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxdesk.io.grid import Cell, Grid, GridRow
from cxdesk.io.model import DEFAULT_HEADINGS, Column
from cxdesk.io.table_text import (
    MAX_HEADING,
    map_heading,
    normalize_heading,
    parse_number,
    single_line,
)

#: How many rows from the top of a table may come before its header.
MAX_HEADER_SCAN = 30
#: Headings of the tail row of a two-row header are short.
MAX_TAIL_TEXT = 40


@dataclass
class Layout:
    """The mapped header of the plan's table.

    ``keys`` maps a grid column to a column key (see ``COLUMN_KEYS``); ``headings`` holds the
    heading as printed for each mapped column; ``first_data`` is the index of the first row after
    the header and ``header_row`` the index of the header's first row.
    """

    keys: dict[int, str]
    headings: dict[int, str]
    first_data: int
    header_row: int = 0
    warnings: list[str] = field(default_factory=list)

    def columns(self) -> list[Column]:
        """The columns of the table, left to right."""
        return [Column(self.keys[col], self.headings[col]) for col in sorted(self.keys)]

    def col_of(self, key: str) -> int | None:
        """The grid column mapped to ``key``, if any."""
        for col, value in self.keys.items():
            if value == key:
                return col
        return None


def _cells(row: GridRow) -> list[Cell]:
    return [cell for cell in row.cells if cell.text and not cell.copied]


def _candidate(row: GridRow) -> dict[int, tuple[str, bool, Cell]]:
    out: dict[int, tuple[str, bool, Cell]] = {}
    for cell in row.cells:
        if not cell.text:
            continue
        key, fuzzy = map_heading(cell.text)
        if key is not None:
            out[cell.col] = (key, fuzzy, cell)
    return out


def find_layout(grid: Grid) -> Layout | None:
    """The header of ``grid`` when it is a plan table, else None."""
    rows = grid.rows
    for index, row in enumerate(rows[:MAX_HEADER_SCAN]):
        mapped = _candidate(row)
        found = {key for key, _, _ in mapped.values()}
        if "title" not in found or len(found) < 2:
            continue
        if any(parse_number(cell.text) is not None for cell in _cells(row)):
            continue
        texts = {cell.col: single_line(cell.text) for cell in row.cells if cell.text}
        spans = {cell.col: cell.span for cell in row.cells}
        first_data = index + 1
        if first_data < len(rows) and is_header_tail(rows[first_data], None):
            _merge_tail(texts, spans, rows[first_data])
            first_data += 1
        layout = _layout(texts, first_data)
        layout.header_row = index
        return layout
    return None


def _merge_tail(texts: dict[int, str], spans: dict[int, int], tail: GridRow) -> None:
    """Adds the second header row to the first: sub-headings and split headings."""
    for cell in _cells(tail):
        parent_col = max((c for c in texts if c <= cell.col), default=None)
        sub = single_line(cell.text)
        if parent_col is None:
            texts[cell.col] = sub
            continue
        parent = texts[parent_col]
        if spans.get(parent_col, 1) > 1 and map_heading(sub)[0] is not None:
            texts[cell.col] = sub
        elif parent_col == cell.col or spans.get(parent_col, 1) > 1:
            texts[cell.col] = f"{parent} {sub}"
        else:
            texts[cell.col] = sub


def _layout(texts: dict[int, str], first_data: int) -> Layout:
    keys: dict[int, str] = {}
    headings: dict[int, str] = {}
    warnings: list[str] = []
    used: dict[str, str] = {}
    for col in sorted(texts):
        text = texts[col]
        key, fuzzy = map_heading(text)
        if key is None:
            if normalize_heading(text).strip("-_ "):
                warnings.append(f"Столбец «{text}» не распознан и пропущен.")
            continue
        if key in used:
            warnings.append(f"Столбец «{text}» повторяет столбец «{used[key]}» и пропущен.")
            continue
        if fuzzy:
            warnings.append(f"Столбец «{text}» принят за «{DEFAULT_HEADINGS[key]}».")
        used[key] = text
        keys[col] = key
        headings[col] = text
    return Layout(keys=keys, headings=headings, first_data=first_data, warnings=warnings)


def is_number_row(row: GridRow) -> bool:
    """Whether the row holds only column numbers: 1 2 3 4 5 6."""
    numbers = []
    for cell in row.cells:
        if cell.text and not cell.copied:
            value = cell.text.strip()
            if not value.isdecimal():  # «¹» is a digit to Python, but no number (int refuses it)
                return False
            numbers.append(int(value))
    if len(numbers) < 3:
        return False
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def is_repeat_header(row: GridRow, layout: Layout) -> bool:
    """Whether the row repeats the header (as a table broken across pages does)."""
    hits = 0
    for cell in _cells(row):
        if parse_number(cell.text) is not None:
            return False
        if len(cell.text) > MAX_HEADING or not any(
            col in layout.keys for col in range(cell.col, cell.col + cell.span)
        ):
            continue  # no heading of the plan's columns
        key, _ = map_heading(cell.text)
        if key is not None and any(
            layout.keys.get(col) == key for col in range(cell.col, cell.col + cell.span)
        ):
            hits += 1
    return hits >= max(2, min(3, len(layout.keys) // 2))


def is_header_tail(row: GridRow, layout: Layout | None) -> bool:
    """Whether the row right after a header continues it («п/п», «материалы», sub-headings)."""
    cells = _cells(row)
    if not cells or is_number_row(row):
        return False
    for cell in cells:
        if len(cell.text) > MAX_TAIL_TEXT or parse_number(cell.text) is not None:
            return False
    if layout is None:
        return any(map_heading(cell.text)[0] is not None for cell in cells) or all(
            cell.text[:1].islower() or not cell.text[:1].isalnum() for cell in cells
        )
    return all(_tail_fits(cell, layout) for cell in cells)


def _tail_fits(cell: Cell, layout: Layout) -> bool:
    """Whether a cell of a repeated header's second row belongs to the heading of its column."""
    if not any(ch.isalnum() for ch in cell.text):
        return True
    norm = normalize_heading(cell.text)
    heading = normalize_heading(layout.headings.get(cell.col, ""))
    same_key = map_heading(cell.text)[0] == layout.keys.get(cell.col)
    return bool(norm) and (norm in heading or same_key)
