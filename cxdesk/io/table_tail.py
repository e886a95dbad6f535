"""What stands below the plan's table: the signature block and the executor line.

Agencies end a plan with the signature of the person who signs it («Заместитель министра …
Г.В. Богданова») and the executor line («Исп.: Петрова М.С., тел. …»). In Word they are paragraphs
(or a small borderless table) after the plan's table; in Excel, and in Word when typed into the
table itself, they are the last rows of the table, usually after empty rows. Such lines belong to
the plan (``PlanDoc.signature`` and ``PlanDoc.executor``), never to the last item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxdesk.io.grid import GridRow
from cxdesk.io.table_layout import Layout
from cxdesk.io.table_text import parse_number

_INITIALS = r"(?:[А-ЯЁ]\.\s?){1,2}"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
#: A line that ends with a name with initials: «… Г.В. Богданова», «Богданова Г.В.».
NAME_END_RE = re.compile(rf"(?:^|[\s_/])(?:{_INITIALS}\s?{_SURNAME}|{_SURNAME}\s+{_INITIALS})\s*$")
#: The executor line: «Исп.: …», «Исполнитель: …», «Исп. Петрова М.С.».
EXECUTOR_RE = re.compile(r"^\s*(?:исп\.?|исполнитель\b|исполнители\b)\s*:?", re.I)
_PHONE_RE = re.compile(
    r"^\s*(?:тел\.?|телефон|т\.|e-?mail|эл\.\s*почта|\+7|8\s?\(|\(\d{3,5}\))", re.I
)
#: Words a signing position begins with.
_POSITION_RE = re.compile(
    r"^\s*(?:перв(?:ый|ого)\s+)?(?:заместител|министр|руководител|начальник|директор|председател"
    r"|глава|губернатор|управляющ|и\.\s?о\.|исполняющ|врио|временно|статс-секретар|уполномоченн)",
    re.I,
)
#: Lines of a signature block are short; longer text below the table is a note, not a signature.
MAX_TAIL_LINE = 200
#: At most this many rows at the end of a table are taken for the signature and executor.
MAX_TAIL_ROWS = 12


@dataclass
class Tail:
    """The signature and executor read below a table, and the lines left over (notes)."""

    signature: list[str] = field(default_factory=list)
    executor: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def is_signature_line(text: str) -> bool:
    """Whether a line is part of a signature or executor line by its own look."""
    return bool(EXECUTOR_RE.match(text) or NAME_END_RE.search(text) or _POSITION_RE.match(text))


def read_tail(lines: list[str]) -> Tail:
    """Sorts the lines below the table into the signature, the executor and other text.

    The signature is the run of short lines that ends with a name with initials (a position over
    several lines, then the name); the executor starts at «Исп.» and takes the phone and e-mail
    lines after it. Anything else (footnotes, notes) is left in ``other``.
    """
    tail = Tail()
    pending: list[str] = []
    in_executor = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if EXECUTOR_RE.match(line):
            in_executor = True
            tail.executor.append(line)
            continue
        if in_executor and (
            _PHONE_RE.match(line)
            or len(tail.executor) < 3
            and len(line) < 80
            and not _POSITION_RE.match(line)
        ):
            tail.executor.append(line)
            continue
        in_executor = False
        if len(line) > MAX_TAIL_LINE:
            tail.other.extend(pending)
            tail.other.append(line)
            pending = []
            continue
        pending.append(line)
        if NAME_END_RE.search(line) and not tail.signature:
            tail.signature.extend(pending)
            pending = []
    if pending and not tail.signature and any(_POSITION_RE.match(p) for p in pending):
        tail.signature.extend(pending)  # a position without a name yet («_______ »)
        pending = []
    tail.other.extend(pending)
    return tail


def _row_text(row: GridRow) -> str:
    return " ".join(
        cell.text.replace("\n", " ") for cell in row.cells if cell.text and not cell.copied
    )


def _is_data(row: GridRow, layout: Layout) -> bool:
    """Whether a row carries a number or dates in the plan's columns: it is not a tail row."""
    for cell in row.cells:
        if not cell.text or cell.copied:
            continue
        key = layout.keys.get(cell.col)
        if key == "number" and parse_number(cell.text) is not None:
            return True
        if key in ("start", "deadline") and any(ch.isdigit() for ch in cell.text):
            return True
    return False


def cut_tail(rows: list[GridRow], layout: Layout) -> tuple[list[GridRow], list[str]]:
    """Splits the signature and executor rows off the end of a table's rows.

    Rows at the end are taken when none of them carries a number or a date, and they hold a
    name with initials or an executor line; the run begins after an empty row or at a line that
    looks like a signature itself, so that the last item's continuation stays with the item.
    Returns the rows that remain and the lines of the cut rows.
    """
    end = len(rows)
    start = end
    while start > 0 and end - start < MAX_TAIL_ROWS:
        row = rows[start - 1]
        if _is_data(row, layout):
            break
        text = _row_text(row)
        if len(text) > MAX_TAIL_LINE:
            break
        start -= 1
    if start == end:
        return rows, []
    texts = [_row_text(row) for row in rows[start:end]]
    if not any(EXECUTOR_RE.match(t) or NAME_END_RE.search(t) for t in texts):
        return rows, []
    for offset, text in enumerate(texts):
        index = start + offset
        gap = index > 0 and rows[index].line - rows[index - 1].line > 1
        empty_before = index > 0 and not _row_text(rows[index - 1])
        if text and (gap or empty_before or is_signature_line(text)):
            return rows[:index], [line for row in rows[index:] for line in _row_lines(row)]
    return rows, []


def _row_lines(row: GridRow) -> list[str]:
    """The lines of a tail row: a cell's own lines kept («Заместитель министра» over the rest of
    the position), the cells after the first joined to its last line («… | Г.В. Богданова»)."""
    cells = [cell for cell in row.cells if cell.text and not cell.copied]
    if not cells:
        return []
    lines = list(cells[0].lines)
    rest = " ".join(" ".join(cell.lines) for cell in cells[1:])
    if rest:
        lines[-1] = f"{lines[-1]} {rest}"
    return lines
