"""The rows of the plan's table below its header: blocks, sections and items.

Rules, in the order they apply:

- empty rows, header rows repeated on later pages and the row of column numbers are skipped;
- a row with one cell across the table, or with nothing but a number and a heading, is a heading:
  «3.» (one level) is a block; «3.1.» is a section when items numbered three deep (3.1.1 …) follow
  it, otherwise an item; a heading without a number gets the number of the block or section that
  the items under it imply;
- a row without a number (or with «-» in the number column) continues the row above, as a row
  broken across a page does, unless it carries its own dates or is a capitalised heading;
- a vertically merged cell (one responsible for a run of items) gives its text to every row of
  the run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from cxdesk.domain.item_fields import PRINTED_FIELDS
from cxdesk.io.grid import Cell, GridRow
from cxdesk.io.model import STATUS_TITLES, Row
from cxdesk.io.table_layout import Layout, is_header_tail, is_number_row, is_repeat_header
from cxdesk.io.table_text import (
    is_dash,
    is_roman,
    number_depth,
    number_parts,
    number_ranges,
    parse_number,
    split_heading_number,
    split_title_number,
)
from cxdesk.progress import Progress

#: Cells read as they stand: the printed fields but the status, and the report's «факт».
TEXT_FIELDS = (*(k for k in PRINTED_FIELDS if k != "status"), "fact")
_TEXT_SET = frozenset(TEXT_FIELDS)
_STATUS_WORDS = {title.lower(): key for key, title in STATUS_TITLES.items() if key != "overdue"}
_STATUS_WORDS.update(
    {
        "выполнен": "done",
        "выполнена": "done",
        "исполнено": "done",
        "завершено": "done",
        "в процессе": "in_progress",
        "в процессе исполнения": "in_progress",
        "исполняется": "in_progress",
        "не выполнено": "not_started",
        "не начат": "not_started",
        "исключен": "excluded",
        "исключён": "excluded",
        "исключено": "excluded",
    }
)
_DATE_NUMBER_RE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_DONE_RE = re.compile(r"(?:^|\n)Выполнено\s+(\d{2}\.\d{2}\.\d{4})")
_TERMINAL = (".", ";", ":", "!", "?")
_LIST_MARKS = ("-", "–", "—", "•", "·")


@dataclass
class _Entry:
    """A row being read: the Row so far plus what the later passes need to know about it."""

    row: Row
    line: int
    heading: bool = False
    merged: bool = False
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _Raw:
    """The fields of one grid row, before rows are joined and kinds decided."""

    line: int
    number_text: str
    fields: dict[str, str]
    copied: set[str]
    merged: bool
    unmapped: bool


def _cell_key(layout: Layout, col: int, span: int) -> tuple[str, bool] | None:
    """The field a cell over grid columns ``col``…``col + span - 1`` fills, and whether, alone in
    its row, it is a heading run across the number and the title; None: no mapped column."""
    covered = [layout.keys[c] for c in range(col, col + span) if c in layout.keys]
    if not covered:
        return None
    if "title" in covered:
        key = "title"
    elif {"start", "deadline"} <= set(covered):
        key = "deadline"
    else:
        key = covered[0]
    return key, len(covered) >= 2 and bool({"number", "title"} & set(covered))


def _extract(
    row: GridRow,
    layout: Layout,
    notes: list[str],
    keys: dict[tuple[int, int], tuple[str, bool] | None],
    filled: list[Cell],
) -> _Raw:
    """One row's fields from its ``filled`` cells (those with text); ``keys`` remembers
    :func:`_cell_key` for the table's cell shapes."""
    fields: dict[str, str] = {}
    copied: set[str] = set()
    merged = unmapped = False
    alone = len(filled) == 1
    for cell in filled:
        shape = (cell.col, cell.span)
        found = keys[shape] if shape in keys else keys.setdefault(shape, _cell_key(layout, *shape))
        if found is None:
            unmapped = True
            continue
        key, spans_number_and_title = found
        if alone and spans_number_and_title:
            merged, key = True, "title"
        fields[key] = _join(fields[key], cell.text) if key in fields else cell.text
        if cell.copied:
            copied.add(key)
    number_text = fields.pop("number", "")
    as_date = _DATE_NUMBER_RE.match(number_text)
    if as_date is not None:
        # Excel turns «1.1» typed in a cell into the date 01.01.<year>
        number_text = f"{int(as_date.group(1))}.{int(as_date.group(2))}"
        notes.append(
            f"Строка {row.line}: номер «{as_date.group(0)}» Excel превратил в дату; "
            f"прочитан как {number_text}."
        )
    if (
        number_text
        and "number" not in copied
        and parse_number(number_text) is None
        and not is_dash(number_text)
        and not fields.get("title")
    ):
        # «2. Мероприятия …» typed in the number column, or a heading overflowing into it
        fields["title"] = number_text
        number_text = ""
        merged = merged or len(fields) == 1
    if merged or ("title" in fields and "number" not in layout.keys.values()):
        head_number, title = split_heading_number(fields.get("title", ""))
        if head_number:
            number_text, fields["title"] = head_number, title
    return _Raw(row.line, number_text, fields, copied, merged, unmapped)


def _join(before: str, after: str) -> str:
    """Joins text continued from the row above: a broken sentence with a space, else a new line."""
    if not before:
        return after
    if not after:
        return before
    if before.endswith(_TERMINAL) or after.startswith(_LIST_MARKS):
        return f"{before}\n{after}"
    return f"{before} {after}"


def _has_dates(raw: _Raw) -> bool:
    return any(
        any(ch.isdigit() for ch in raw.fields.get(key, "")) and key not in raw.copied
        for key in ("start", "deadline")
    )


def read_rows(
    rows: list[GridRow], layout: Layout, progress: Progress
) -> tuple[list[Row], list[str]]:
    """The plan's rows from the grid rows below the header, with warnings."""
    warnings: list[str] = []
    raws: list[_Raw] = []
    unmapped: list[int] = []
    cell_keys: dict[tuple[int, int], tuple[str, bool] | None] = {}
    after_header = False
    for index, grid_row in enumerate(rows):
        if index % 500 == 0:
            progress.check()
            progress.set_value(0.5 + 0.4 * index / max(len(rows), 1))
        filled = [cell for cell in grid_row.cells if cell.text]
        if not filled or is_number_row(grid_row):
            after_header = False
            continue
        if is_repeat_header(grid_row, layout):
            after_header = True
            continue
        if after_header and is_header_tail(grid_row, layout):
            after_header = False
            continue
        after_header = False
        raw = _extract(grid_row, layout, warnings, cell_keys, filled)
        if not raw.fields and not raw.number_text:
            if raw.unmapped:
                unmapped.append(raw.line)
            continue
        raws.append(raw)
    if unmapped:
        warnings.append(_unmapped_warning(unmapped))
    _numbers_from_titles(raws, layout, warnings)
    numbered = any(parse_number(raw.number_text) for raw in raws)
    entries = _assemble(raws, numbered, warnings)
    _decide_kinds(entries, warnings)
    _restore_trailing_zeros(entries, warnings)
    _check_numbers(entries, warnings)
    return [entry.row for entry in entries], warnings


def _unmapped_warning(lines: list[int]) -> str:
    """One warning for all rows that had text only in columns not recognised."""
    what = "текст есть только в нераспознанных столбцах"
    if len(lines) == 1:
        return f"Строка {lines[0]}: {what}, строка пропущена."
    return f"Строки {number_ranges(lines)}: {what}, строки пропущены ({len(lines)})."


def _numbers_from_titles(raws: list[_Raw], layout: Layout, warnings: list[str]) -> None:
    """Numbers typed into the item's text («1. Назначен…») while the № column stays empty.

    Taken when most rows that have no number in the № column begin their text with one (at
    least three such rows), so that a numbered list inside one cell is left alone.
    """
    has_column = "number" in layout.keys.values()
    bare = [raw for raw in raws if not raw.number_text and "title" not in raw.copied]
    found = [(raw, split_title_number(raw.fields.get("title", ""))) for raw in bare]
    hits = [(raw, number, title) for raw, (number, title) in found if number]
    if len(hits) < 3 or 2 * len(hits) < len(bare):
        return
    for raw, number, title in hits:
        raw.number_text, raw.fields["title"] = number, title
    where = "Столбец «№ п/п» пуст" if has_column else "В таблице нет столбца «№ п/п»"
    warnings.append(
        f"{where}, номера пунктов набраны в начале текста мероприятия; они прочитаны "
        f"оттуда ({len(hits)} строк)."
    )


def _restore_trailing_zeros(entries: list[_Entry], warnings: list[str]) -> None:
    """«4.1» right after «4.9» is 4.10: Excel keeps a typed number as a number and drops its
    trailing zero. The number is read from the order, and a warning says so."""
    last: dict[tuple[str, ...], int] = {}
    for entry in entries:
        number = entry.row.number
        if not parse_number(number) or is_roman(number):
            continue
        parts = number_parts(number)
        if len(parts) < 2 or not all(p.isdecimal() for p in parts):
            continue
        parent, tail = tuple(parts[:-1]), parts[-1]
        before = last.get(parent)
        if (
            before is not None
            and before >= 9
            and int(tail) < before
            and str(before + 1).rstrip("0") == tail
        ):
            tail = str(before + 1)  # 4.1 after 4.9 is 4.10, 4.1 after 4.99 is 4.100
            fixed = ".".join([*parent, tail]) + ("." if number.endswith(".") else "")
            warnings.append(
                f"Строка {entry.line}: номер «{number}» стоит после "
                f"{'.'.join([*parent, str(before)])}; прочитан как {fixed} (Excel хранит номер "
                "как число и отбрасывает ноль на конце)."
            )
            entry.row.number = fixed
        last[parent] = int(tail)


def _new_entry(raw: _Raw, number: str) -> _Entry:
    fields = raw.fields
    if not all(fields.values()):
        fields = {k: v for k, v in fields.items() if v}
    title = fields.get("title", "")
    heading = bool(title) and len(fields) == 1
    row = Row("item" if not heading else "", number, title)
    entry = _Entry(row, raw.line, heading, raw.merged, fields)
    _fill(entry)
    return entry


def _fill(entry: _Entry) -> None:
    row, fields = entry.row, entry.fields
    for key, text in fields.items():  # the others keep "" (an entry's fields only grow)
        if key in _TEXT_SET:
            setattr(row, key, text)
    status = fields.get("status")
    row.status = _STATUS_WORDS.get(status.lower().strip(" ."), "") if status else ""
    if row.fact:
        done = _DONE_RE.search(row.fact)
        if done is not None:
            row.done_date = done.group(1)
            row.status = row.status or "done"


def _assemble(raws: list[_Raw], numbered: bool, warnings: list[str]) -> list[_Entry]:
    entries: list[_Entry] = []
    for raw in raws:
        number = raw.number_text if not is_dash(raw.number_text) else ""
        previous = entries[-1] if entries else None
        if number or raw.merged or not numbered:
            if number and parse_number(number) is None:
                warnings.append(
                    f"Строка {raw.line}: «{number}» в столбце номера не похоже на номер пункта; "
                    "оставлено как есть."
                )
            entries.append(_new_entry(raw, number))
            continue
        own = {k: v for k, v in raw.fields.items() if v and k not in raw.copied}
        if not own:
            continue
        title = own.get("title", "")
        is_heading = set(own) == {"title"} and title[:1].isupper()
        if previous is not None and (
            is_dash(raw.number_text)
            or (not is_heading and not (_has_dates(raw) and _has_dates_entry(previous)))
        ):
            for key, value in own.items():
                previous.fields[key] = _join(previous.fields.get(key, ""), value)
            previous.heading = previous.heading and set(previous.fields) == {"title"}
            _fill(previous)
            target = f"пункту {previous.row.number}" if previous.row.number else "строке выше"
            end = "" if target.endswith(".") else "."
            warnings.append(f"Строка {raw.line}: нет номера, текст присоединён к {target}{end}")
            continue
        if not is_heading:
            warnings.append(f"Строка {raw.line}: пункт без номера.")
        entries.append(_new_entry(raw, ""))
    return entries


def _has_dates_entry(entry: _Entry) -> bool:
    return any(any(ch.isdigit() for ch in entry.fields.get(k, "")) for k in ("start", "deadline"))


def _decide_kinds(entries: list[_Entry], warnings: list[str]) -> None:
    numbered = [e for e in entries if parse_number(e.row.number)]
    deep = any(number_depth(e.row.number) >= 2 for e in numbered)
    # the number of the next numbered row after each row, found in one pass from the end
    following = [""] * len(entries)
    ahead = ""
    for index in range(len(entries) - 1, -1, -1):
        following[index] = ahead
        if parse_number(entries[index].row.number):
            ahead = entries[index].row.number
    inside = False  # a numbered block came before: an unnumbered heading is a section in it
    for index, entry in enumerate(entries):
        if index:
            above = entries[index - 1].row
            inside = inside or (above.kind == "block" and bool(above.number))
        row = entry.row
        if not entry.heading and not entry.merged:
            row.kind = "item"
            continue
        if row.number and is_roman(row.number):
            row.kind = "block"
            continue
        if row.number and parse_number(row.number):
            depth = number_depth(row.number)
            if depth == 1:
                row.kind = "block" if deep or entry.merged else "item"
            elif depth == 2:
                row.kind = "section" if _has_children(entries, index) else "item"
            else:
                row.kind = "item"
            continue
        if row.number:
            row.kind = "item"
            continue
        _unnumbered_heading(entry, following[index], inside, warnings)


def _has_children(entries: list[_Entry], index: int) -> bool:
    parts = number_parts(entries[index].row.number)
    for entry in entries[index + 1 :]:
        number = entry.row.number
        if not parse_number(number):
            continue
        if number_depth(number) <= 2:
            return False
        return number_parts(number)[:2] == parts
    return False


def _unnumbered_heading(entry: _Entry, following: str, inside: bool, warnings: list[str]) -> None:
    row = entry.row
    depth = number_depth(following)
    if depth < 2:
        # inside a numbered block («I.», «3.») an unnumbered heading over flat items is a section
        row.kind = "section" if inside else "block"
        return
    parts = number_parts(following)[: min(depth - 1, 2)]
    row.kind = "block" if len(parts) == 1 else "section"
    row.number = ".".join(parts) + ("." if following.endswith(".") else "")
    name = "блока" if row.kind == "block" else "раздела"
    short = row.title if len(row.title) <= 60 else row.title[:57] + "…"
    warnings.append(
        f"Строка {entry.line}: у {name} «{short}» нет номера; присвоен номер {row.number} "
        "по номерам пунктов под ним."
    )


def _check_numbers(entries: list[_Entry], warnings: list[str]) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.row.number:
            lines[entry.row.number].append(entry.line)
        if entry.row.kind == "item" and not entry.row.title:
            warnings.append(
                f"Строка {entry.line}: у пункта {entry.row.number or 'без номера'} нет текста "
                "мероприятия."
            )
        status = entry.fields.get("status", "")
        if status and not entry.row.status and status.lower().strip(" .") != "просрочено":
            warnings.append(f"Строка {entry.line}: статус «{status}» не распознан.")
    for number, found in lines.items():
        if len(found) > 1:
            where = number_ranges(found) if len(found) > 5 else ", ".join(map(str, found))
            times = f"{len(found)} раз" if len(found) > 5 else "несколько раз"
            warnings.append(f"Номер {number} встречается {times} (строки {where}).")
