"""What every printed form of a plan shows, computed once and shared by the docx, xlsx, pdf writers.

The writers differ only in how they draw; the choice of columns, the text of each cell, the
approval block («гриф утверждения»), the title, the column widths and the page geometry (A4
landscape, margins after ГОСТ Р 7.0.97-2016) come from here, so the three formats say the same.

Three layouts exist:

* ``official``: the template's own columns (:attr:`PlanDoc.columns`);
* ``dates``: the Tula form, «Дата начала | Дата окончания» in place of the deadline column;
* ``report``: the official columns plus «Статус» and «Отметка о выполнении».

The module also holds :func:`tick`, which reports progress and honours a cancel request, for
all writers (they write through :func:`cxdesk.fsutil.atomic_target`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cxdesk.domain.deadlines import parse_deadline, parse_user_date
from cxdesk.errors import UserError
from cxdesk.fsutil import atomic_target
from cxdesk.io.model import DEFAULT_HEADINGS, STATUS_TITLES, Column, ExportOptions, PlanDoc, Row
from cxdesk.progress import Progress

#: The layouts a writer knows.
LAYOUTS = ("official", "dates", "report")

#: The columns of the typical templates, used when a plan names none.
OFFICIAL_KEYS = ("number", "title", "deadline", "responsible", "result", "document")

#: A4 landscape, in millimetres.
PAGE_WIDTH_MM = 297.0
PAGE_HEIGHT_MM = 210.0

#: Inner horizontal padding of a table cell, in millimetres, on each side.
CELL_PADDING_MM = 1.0

#: Width of the approval block at the top right, in millimetres.
APPROVAL_WIDTH_MM = 95.0

#: The placeholder of an empty title.
DEFAULT_TITLE = "План мероприятий («дорожная карта») по внедрению Стандартов клиентоцентричности"

#: Keys whose cells are centred (short values); all others are aligned left.
CENTRED_KEYS = frozenset({"number", "start", "deadline", "status"})

#: Columns as wide as their longest value, with the least number of characters they hold.
_FIXED_CHARS = {"number": 5.5, "start": 10.0, "status": 10.0}

#: Words longer than this (links, file names) may be broken anywhere.
_LONGEST_WORD = 20.0

#: How many rows are looked at to size the columns.
_SAMPLE_ROWS = 1000

_WORD_BREAK = re.compile(r"\s+|(?<=-)")

#: Shares of the remaining width for the other columns.
_WEIGHTS = {"title": 30.0, "deadline": 12.0, "responsible": 17.0, "result": 22.0}
_WEIGHTS |= {"document": 22.0, "materials": 18.0, "note": 14.0, "fact": 22.0}

_BLANK_LINE = "_" * 38
_SIGNATURE = "_" * 14
_DATE_BLANK = "«___» ______________ 20___ г."

_SPECIAL = re.compile("[\x00-\x09\x0b-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Sheet:
    """The fixed parts of a printed plan: columns, widths, heading rows, approval block, title."""

    layout: str
    columns: list[Column]
    widths_mm: list[float]
    headings: list[str]
    numbers: list[str]
    approval: list[str]
    title: list[str]
    as_of: date | None = None
    tight: bool = False  # some column is narrower than its longest word: hyphenate if possible

    @property
    def keys(self) -> list[str]:
        """The column keys in print order."""
        return [column.key for column in self.columns]

    def cells(self, row: Row) -> list[str]:
        """The text of each cell of an item row (see :func:`row_cells`)."""
        return row_cells(row, self.columns, self.as_of)


def clean_text(text: str) -> str:
    """``text`` fit for any file format: ``\\n`` line ends, tabs as spaces, no control chars."""
    if not _SPECIAL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text)


def check_options(options: ExportOptions) -> None:
    """Raises :class:`UserError` (in Russian) when the options cannot make a page."""
    if options.layout not in LAYOUTS:
        raise UserError(
            f"Неизвестный вид таблицы «{options.layout}»: выберите official, dates или report."
        )
    if not 8.0 <= options.font_size <= 20.0:
        raise UserError("Размер шрифта должен быть от 8 до 20 пунктов.")
    o = options
    margins = (o.margin_left_mm, o.margin_right_mm, o.margin_top_mm, o.margin_bottom_mm)
    if any(not 0.0 <= margin <= 60.0 for margin in margins):
        raise UserError("Поля страницы должны быть от 0 до 60 мм.")


def content_width_mm(options: ExportOptions) -> float:
    """The width of the text area of the page, in millimetres."""
    return PAGE_WIDTH_MM - options.margin_left_mm - options.margin_right_mm


def plan_columns(plan: PlanDoc, layout: str) -> list[Column]:
    """The columns a layout prints, with their headings as the template prints them."""
    base = [Column(c.key, c.heading) for c in plan.columns]
    if not base:
        base = [Column(key, DEFAULT_HEADINGS[key]) for key in OFFICIAL_KEYS]
    if layout == "dates":
        return _dates_columns(base)
    if layout == "report":
        keys = {column.key for column in base}
        for key in ("status", "fact"):
            if key not in keys:
                base.append(Column(key, DEFAULT_HEADINGS[key]))
        return base
    if layout == "official":
        return base
    raise UserError(f"Неизвестный вид таблицы «{layout}»: выберите official, dates или report.")


def _dates_columns(base: list[Column]) -> list[Column]:
    """The Tula form: the deadline column becomes «Дата начала» and «Дата окончания»."""
    start = Column("start", DEFAULT_HEADINGS["start"])
    end = Column("deadline", "Дата окончания")
    keys = [column.key for column in base]
    out = [column for column in base if column.key != "start"]
    if "deadline" in keys:
        index = [column.key for column in out].index("deadline")
        out[index : index + 1] = [start, end]
    else:
        index = keys.index("title") + 1 if "title" in keys else len(out)
        out[index:index] = [start, end]
    return out


def column_numbers(columns: Sequence[Column]) -> list[str]:
    """The row under the headings: 1 … N."""
    return [str(index) for index in range(1, len(columns) + 1)]


def _longest_word(texts: Iterable[str], whole: bool) -> int:
    """The length of the longest unbreakable piece of the texts (a word, or a line if whole)."""
    longest = 0
    for text in texts:
        pieces = text.split("\n") if whole else _WORD_BREAK.split(text)
        longest = max(longest, max((len(piece) for piece in pieces), default=0))
    return longest


def column_widths_mm(
    columns: Sequence[Column], options: ExportOptions, rows: Sequence[Row] = ()
) -> list[float]:
    """The width of each column in millimetres; together they fill the text area exactly.

    Short columns (number, start date, status) get the width of their longest value; the others
    share the rest by weight, each at least as wide as its longest word (or heading word) so that
    no word has to be broken, as far as the page allows.
    """
    return _widths_and_needs(columns, options, rows)[0]


def _widths_and_needs(
    columns: Sequence[Column], options: ExportOptions, rows: Sequence[Row]
) -> tuple[list[float], list[float]]:
    """The widths of :func:`column_widths_mm` and the width each column would need."""
    total = content_width_mm(options)
    char_mm = options.font_size * 0.52 * 25.4 / 72.0
    pad = 2 * CELL_PADDING_MM + 1.0
    keys = [column.key for column in columns]
    items = [row for row in rows[:_SAMPLE_ROWS] if not is_spanning(row)]
    need: list[float] = []
    for index, column in enumerate(columns):
        texts = [cell_text(row, column.key, keys) for row in items]
        chars = max(
            _longest_word(texts, whole=column.key in _FIXED_CHARS),
            _longest_word([column.heading], whole=False) * 1.1,
            float(len(str(index + 1))),
        )
        if column.key in _FIXED_CHARS:
            chars = max(chars, _FIXED_CHARS[column.key])
        need.append(min(chars, _LONGEST_WORD) * char_mm + pad)
    fixed = {i for i, key in enumerate(keys) if key in _FIXED_CHARS}
    free = max(total - sum(need[i] for i in fixed), total * 0.3)
    weights = {i: _WEIGHTS.get(key, 15.0) for i, key in enumerate(keys) if i not in fixed}
    widths = [need[i] if i in fixed else 0.0 for i in range(len(keys))]
    flexible = dict(weights)
    while flexible:
        share = free / (sum(flexible.values()) or 1.0)
        short = [i for i, weight in flexible.items() if weight * share < need[i]]
        if not short:
            for i, weight in flexible.items():
                widths[i] = weight * share
            break
        for i in short:
            widths[i] = need[i]
            free -= need[i]
            del flexible[i]
        free = max(free, 1.0)
    scale = total / (sum(widths) or 1.0)
    return [width * scale for width in widths], need


def column_widths(
    columns: Sequence[Column], options: ExportOptions, rows: Sequence[Row] = ()
) -> list[float]:
    """The relative width of each column (shares that add up to 1)."""
    widths = column_widths_mm(columns, options, rows)
    total = sum(widths)
    return [width / total for width in widths]


def approval_lines(plan: PlanDoc) -> list[str]:
    """The approval block: «УТВЕРЖДАЮ», the position, signature and name, the date line.

    An empty field prints as a blank line to be filled in by hand, so that nothing is missing.
    """
    lines = ["УТВЕРЖДАЮ"]
    position = [line.strip() for line in clean_text(plan.approver_position).split("\n")]
    position = [line for line in position if line]
    lines.extend(position or [_BLANK_LINE, _BLANK_LINE])
    lines.append("")  # room for the signature
    name = clean_text(plan.approver_name).strip().replace("\n", " ")
    lines.append(f"{_SIGNATURE} {name or _SIGNATURE}")
    date = clean_text(plan.approval_date).strip().replace("\n", " ")
    lines.append(date or _DATE_BLANK)
    return lines


def title_lines(plan: PlanDoc, layout: str) -> list[str]:
    """The title printed above the table, centred and bold (a report says its date)."""
    title = clean_text(plan.title).strip() or DEFAULT_TITLE
    lines = [line.strip() for line in title.split("\n") if line.strip()]
    if layout == "report":
        as_of = clean_text(plan.as_of).strip()
        report = "Отчёт о выполнении"
        lines.append(f"{report} по состоянию на {as_of}" if as_of else report)
    return lines


def is_spanning(row: Row) -> bool:
    """Block and section rows span the whole width of the table."""
    return row.kind in ("block", "section")


def span_text(row: Row) -> str:
    """The text of a block or section row: its number and title on one line."""
    number = clean_text(row.number).strip()
    title = clean_text(row.title).strip()
    return f"{number} {title}" if number and title else number or title


def status_text(row: Row, as_of: date | None = None) -> str:
    """The status in words («Выполнено», «Исключено» …), empty for a row without one.

    An item not done whose deadline passed before ``as_of`` reads «Просрочено».
    """
    if is_spanning(row) or not row.status:
        return ""
    if as_of is not None and row.status in ("not_started", "in_progress"):
        due = parse_deadline(row.deadline).due
        if due is not None and due < as_of:
            return STATUS_TITLES["overdue"]
    return STATUS_TITLES.get(row.status, row.status)


def exclusion_note(row: Row) -> str:
    """«Исключено: <основание>» for an excluded item, else the empty string."""
    if row.status != "excluded":
        return ""
    basis = clean_text(row.basis).strip()
    return f"Исключено: {basis}" if basis else "Исключено"


def fact_text(row: Row) -> str:
    """«Отметка о выполнении»: the done date, the exclusion and the attached documents."""
    lines: list[str] = []
    if row.status == "done":
        done = clean_text(row.done_date).strip()
        lines.append(f"Выполнено {done}" if done else "Выполнено")
    note = exclusion_note(row)
    if note:
        lines.append(note)
    names = [clean_text(a.name).strip() for a in row.attachments]
    names = [name for name in names if name]
    if names:
        lines.append("Документы:")
        lines.extend(names)
    return "\n".join(lines)


def exclusion_key(keys: Sequence[str]) -> str:
    """The column that shows why an item is excluded: the report mark, the result, or the title."""
    for key in ("fact", "result", "note"):
        if key in keys:
            return key
    return "title"


def cell_text(
    row: Row, key: str, keys: Sequence[str] = OFFICIAL_KEYS, as_of: date | None = None
) -> str:
    """The text of one cell of an item row; ``keys`` are the printed columns."""
    if key == "status":
        return status_text(row, as_of)
    if key == "fact":
        text = fact_text(row)
        if "result" not in keys and row.result.strip():
            text = "\n".join(part for part in (clean_text(row.result), text) if part)
        return text
    value = getattr(row, key, "")
    text = clean_text(value) if isinstance(value, str) else ""
    if key == "deadline" and "start" in keys:
        # the start/end form prints the end as a date where the deadline text gives one
        from cxdesk.domain.deadlines import DATE, format_date, parse_deadline

        parsed = parse_deadline(text)
        if parsed.state == DATE:
            text = format_date(parsed.due)
    if key == exclusion_key(keys):
        note = exclusion_note(row)
        if note:
            text = f"{text.rstrip()}\n{note}" if text.strip() else note
    return text


def row_cells(row: Row, columns: Sequence[Column], as_of: date | None = None) -> list[str]:
    """The text of every cell of an item row, in column order."""
    keys = [column.key for column in columns]
    return [cell_text(row, key, keys, as_of) for key in keys]


def prepare(plan: PlanDoc, options: ExportOptions) -> Sheet:
    """Checks the options and computes everything fixed about the printed plan."""
    check_options(options)
    columns = plan_columns(plan, options.layout)
    widths, need = _widths_and_needs(columns, options, plan.rows)
    return Sheet(
        layout=options.layout,
        columns=columns,
        widths_mm=widths,
        headings=[clean_text(column.heading).strip() for column in columns],
        numbers=column_numbers(columns),
        approval=approval_lines(plan),
        title=title_lines(plan, options.layout),
        as_of=parse_user_date(plan.as_of) if options.layout == "report" else None,
        tight=any(width < wanted - 0.5 for width, wanted in zip(widths, need, strict=True)),
    )


def tick(progress: Progress | None, done: int, total: int, every: int = 250) -> None:
    """Reports the share of rows done every ``every`` rows and stops if the user cancelled."""
    if progress is None or done % every:
        return
    progress.set_value(done / total if total else 1.0)
    progress.check()


def write_built(
    plan: PlanDoc,
    path: str | os.PathLike[str],
    progress: Progress | None,
    status: str,
    build: Callable[[], Any],
) -> int:
    """The common path of the document writers: build (``status`` shown), save the result
    through a temporary file, report done; returns the number of table rows written."""
    if progress is not None:
        progress.set_status(status)
    document = build()
    if progress is not None:
        progress.set_status("Сохранение файла…")
    with atomic_target(path) as tmp:
        document.save(str(tmp))
    if progress is not None:
        progress.set_value(1.0)
    return len(plan.rows)
