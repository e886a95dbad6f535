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

import operator
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from cxdesk.domain import form as forms
from cxdesk.domain.deadlines import DATE, format_date, parse_deadline, parse_user_date
from cxdesk.domain.form import Form
from cxdesk.domain.item_fields import FREE_TEXTS, PRINTED_TEXTS
from cxdesk.errors import UserError
from cxdesk.fsutil import atomic_target
from cxdesk.io.model import DEFAULT_HEADINGS, STATUS_TITLES, Column, ExportOptions, PlanDoc, Row
from cxdesk.io.printed_rows import is_spanning, printed_rows
from cxdesk.io.text_clean import clean_text, clean_texts
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

#: The title of a plan that has none.
DEFAULT_TITLE = "План мероприятий («дорожная карта») по внедрению Стандартов клиентоцентричности"

#: The longest text of one cell a document holds (as Excel): longer text is refused, so that one
#: pasted megabyte cannot make a thousand-page PDF.
MAX_CELL_CHARS = 32767

_RANGE_START = re.compile(r"(?<![\d.])(\d{1,2})\s*[-–—]\s*\d{1,2}\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)")

#: Keys whose cells are centred (short values); all others are aligned left.
CENTRED_KEYS = frozenset({"number", "start", "deadline", "status"})

#: Columns as wide as their longest value, with the least number of characters they hold.
_FIXED_CHARS = {"number": 5.5, "start": 10.0, "status": 11.5}

#: Words longer than this (links, file names) may be broken anywhere.
_LONGEST_WORD = 20.0

#: How many rows are looked at to size the columns.
_SAMPLE_ROWS = 1000

_WORD_BREAK = re.compile(r"\s+|(?<=-)")

#: Shares of the remaining width for the other columns.
_WEIGHTS = {"title": 36.0, "deadline": 12.0, "responsible": 17.0, "result": 22.0}
_WEIGHTS |= {"document": 22.0, "materials": 18.0, "note": 14.0, "fact": 22.0}

_BLANK_LINE = "_" * 38
_SIGNATURE = "_" * 14
_DATE_BLANK = "«___» ______________ 20___ г."


@dataclass(frozen=True)
class HeadCell:
    """A cell of the table's heading: its text, first column, and how far it spans."""

    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Sheet:
    """The fixed parts of a printed plan: columns, widths, heading rows, approval block, title,
    the rows as printed (numbered, filtered) and what stands below the table."""

    layout: str
    columns: list[Column]
    widths_mm: list[float]
    headings: list[str]
    numbers: list[str]
    approval: list[str]
    title: list[str]
    as_of: date | None = None
    tight: bool = False  # some column is narrower than its longest word: hyphenate if possible
    form: Form = field(default_factory=Form)
    head: list[list[HeadCell]] = field(default_factory=list)  # heading rows, number row last
    repeat: int = 0  # how many of the last heading rows repeat on every page
    rows: list[Row] = field(default_factory=list)  # the rows as printed
    sources: list[Row] = field(default_factory=list)  # the plan's row behind each printed one
    signature: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    narrow: frozenset[int] = frozenset()  # columns narrower than their longest word

    @property
    def keys(self) -> list[str]:
        """The column keys in print order."""
        return [column.key for column in self.columns]

    @property
    def first_repeat(self) -> int:
        """The index of the first heading row that repeats on every page."""
        return len(self.head) - self.repeat

    def cells(self, row: Row) -> list[str]:
        """The text of each cell of an item row (see :func:`row_cells`)."""
        return row_cells(row, self.columns, self.as_of)


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


def resolve_form(plan: PlanDoc, options: ExportOptions) -> Form:
    """The form a document is printed in: the options' own, else the layout named in the options
    (``dates``, ``report``) as a preset, else the plan's own form, else its template's."""
    if options.form is not None:
        return options.form
    own = forms.from_dict(plan.form) if plan.form else forms.typical_form()
    if options.layout == "dates":
        return forms.preset("dates")
    if options.layout == "report":
        return replace(own, name="report", report=True, excluded=True)
    return own


def form_columns(plan: PlanDoc, form: Form) -> list[Column]:
    """The columns a form prints, with their headings (the plan's own columns when the form
    names none; «Статус» and «Отметка о выполнении» added for a report)."""
    if form.columns:
        base = [Column(c.key, c.heading or DEFAULT_HEADINGS[c.key]) for c in form.columns]
    else:
        base = [Column(c.key, c.heading) for c in plan.columns]
    if not base:
        base = [Column(key, DEFAULT_HEADINGS[key]) for key in OFFICIAL_KEYS]
    if form.report:
        keys = {column.key for column in base}
        base += [Column(k, DEFAULT_HEADINGS[k]) for k in ("status", "fact") if k not in keys]
    return base


def plan_columns(plan: PlanDoc, layout: str) -> list[Column]:
    """The columns of a layout by its old name (official, dates, report)."""
    if layout not in LAYOUTS:
        raise UserError(f"Неизвестный вид таблицы «{layout}»: выберите official, dates или report.")
    return form_columns(plan, resolve_form(plan, ExportOptions(layout=layout)))


def heading_rows(columns: Sequence[Column], form: Form) -> list[list[HeadCell]]:
    """The heading rows of the table: one, or two where columns share an upper heading (the
    others then span both rows), then the row of column numbers when the form prints it."""
    groups = {c.key: c.group for c in form.columns if c.key in {x.key for x in columns}}
    texts = [clean_text(c.heading).strip() for c in columns]
    rows: list[list[HeadCell]] = []
    if any(groups.get(c.key) for c in columns):
        top: list[HeadCell] = []
        bottom: list[HeadCell] = []
        index = 0
        while index < len(columns):
            group = groups.get(columns[index].key, "")
            if not group:
                top.append(HeadCell(texts[index], index, 1, 2))
                index += 1
                continue
            end = index
            while end + 1 < len(columns) and groups.get(columns[end + 1].key, "") == group:
                end += 1
            top.append(HeadCell(clean_text(group).strip(), index, end - index + 1))
            bottom.extend(HeadCell(texts[i], i) for i in range(index, end + 1))
            index = end + 1
        rows += [top, bottom]
    else:
        rows.append([HeadCell(text, i) for i, text in enumerate(texts)])
    if form.number_row:
        rows.append([HeadCell(str(i + 1), i) for i in range(len(columns))])
    return rows


def repeated_rows(head: Sequence[Sequence[HeadCell]], form: Form) -> int:
    """How many of the last heading rows repeat at the top of every page."""
    if form.repeat == "none":
        return 0
    if form.repeat == "numbers" and form.number_row:
        return 1
    return len(head)


def column_numbers(columns: Sequence[Column]) -> list[str]:
    """The row under the headings: 1 … N."""
    return [str(index) for index in range(1, len(columns) + 1)]


def _longest_word(texts: Iterable[str], whole: bool) -> int:
    """The length of the longest unbreakable piece of the texts (a word, or a line if whole)."""
    longest = 0
    for text in texts:
        pieces = text.split("\n") if whole else _WORD_BREAK.split(text)
        longest = max(longest, *map(len, pieces))
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


def title_lines(plan: PlanDoc, layout: str, form: Form | None = None) -> list[str]:
    """The title printed above the table, centred and bold (a report says its date).

    The form's title comes first, then the plan's.
    """
    title = clean_text((form.title if form else "") or plan.title).strip() or DEFAULT_TITLE
    lines = [line.strip() for line in title.split("\n") if line.strip()]
    if layout == "report":
        as_of = clean_text(plan.as_of).strip()
        report = "Отчёт о выполнении"
        lines.append(f"{report} по состоянию на {as_of}" if as_of else report)
    return lines


def signature_lines(plan: PlanDoc) -> list[str]:
    """The signature block below the table, then the executor line; blanks to sign by hand when
    the plan has none."""
    lines = [line.rstrip() for line in clean_text(plan.signature).split("\n") if line.strip()]
    if not lines:
        lines = [f"{_BLANK_LINE}   {_SIGNATURE} {_SIGNATURE}"]
    executor = [line.rstrip() for line in clean_text(plan.executor).split("\n") if line.strip()]
    return lines + ([""] + executor if executor else [])


def start_text(row: Row) -> str:
    """«Дата начала» of an item: its own, else the start of a range its deadline gives
    («20-30.06.2022 г.» starts on 20.06.2022, «с 01.03.2024 по 30.06.2024» on 01.03.2024)."""
    own = clean_text(row.start).strip()
    if own or not row.deadline:
        return own
    text = clean_text(row.deadline)
    match = _RANGE_START.search(text)
    if match:
        year = int(match.group(3))
        year += 2000 if year < 100 else 0
        try:
            return format_date(date(year, int(match.group(2)), int(match.group(1))))
        except ValueError:
            return ""
    found = [m.group(0) for m in re.finditer(r"(?<!\d)\d{1,2}\.\d{1,2}\.\d{4}(?!\d)", text)]
    if len(found) >= 2:
        dates = [parse_user_date(d) for d in found]
        known = [d for d in dates if d is not None]
        if known and min(known) != max(known):
            return format_date(min(known))
    return ""


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
    if key == "start":
        return start_text(row)
    value = getattr(row, key, "")
    text = clean_text(value) if isinstance(value, str) else ""
    if key == "deadline" and "start" in keys:
        # the start/end form prints the end as a date where the deadline text gives one
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
    if row.status != "excluded" and "start" not in keys and _PLAIN_KEYS.issuperset(keys):
        # the common case, at 5,000 items: every cell is the row's own text as it is
        return clean_texts([getattr(row, key) for key in keys])
    plain = row.status != "excluded" and "start" not in keys
    out = []
    for key in keys:
        if plain and key in _PLAIN_KEYS:
            out.append(clean_text(getattr(row, key)))
        else:
            out.append(cell_text(row, key, keys, as_of))
    return out


#: Keys whose cell is the row's own text unless the item is excluded or dates are split.
_PLAIN_KEYS = frozenset({"number", *PRINTED_TEXTS, "deadline"})


_free_texts = operator.attrgetter(*FREE_TEXTS)


def check_sizes(sheet: Sheet) -> None:
    """Refuses a cell too long for any document (see :data:`MAX_CELL_CHARS`), naming it."""
    for row in sheet.rows:
        longest = max(map(len, _free_texts(row)))
        if longest + 200 + sum(len(a.name) + 1 for a in row.attachments) <= MAX_CELL_CHARS:
            continue  # no cell of the row can be longer (the added words are short)
        texts = [span_text(row)] if is_spanning(row) else sheet.cells(row)
        for column, text in zip(sheet.columns, texts, strict=False):
            if len(text) > MAX_CELL_CHARS:
                where = f"пункте {row.number}" if row.number else f"строке «{row.title[:40]}»"
                size, limit = f"{len(text):,}".replace(",", " "), f"{MAX_CELL_CHARS:,}"
                raise UserError(
                    f"В {where} графа «{column.heading}» содержит {size} знаков — больше "
                    f"{limit.replace(',', ' ')}, сколько помещается в ячейку документа. "
                    "Сократите текст или приложите его файлом к пункту, затем выгрузите план снова."
                )


def prepare(plan: PlanDoc, options: ExportOptions) -> Sheet:
    """Checks the options and computes everything fixed about the printed plan."""
    check_options(options)
    form = resolve_form(plan, options)
    columns = form_columns(plan, form)
    keys = [column.key for column in columns]
    rows, sources, footnotes = printed_rows(plan, form, keys)
    widths, need = _widths_and_needs(columns, options, rows)
    head = heading_rows(columns, form)
    layout = "report" if form.report else "dates" if "start" in keys else "official"
    narrow = frozenset(i for i, (w, n) in enumerate(zip(widths, need, strict=True)) if w < n - 0.5)
    sheet = Sheet(
        layout=layout,
        columns=columns,
        widths_mm=widths,
        headings=[clean_text(column.heading).strip() for column in columns],
        numbers=column_numbers(columns),
        approval=approval_lines(plan) if form.approval else [],
        title=title_lines(plan, layout, form),
        as_of=parse_user_date(plan.as_of) if form.report else None,
        tight=bool(narrow),
        form=form,
        head=head,
        repeat=repeated_rows(head, form),
        rows=rows,
        sources=sources,
        signature=signature_lines(plan) if form.signature else [],
        footnotes=footnotes,
        narrow=narrow,
    )
    check_sizes(sheet)
    return sheet


def tick(progress: Progress | None, done: int, total: int, every: int = 250) -> None:
    """Reports the share of rows done every ``every`` rows and stops if the user cancelled."""
    if progress is None or done % every:
        return
    progress.set_value(done / total if total else 1.0)
    progress.check()


def write_built(
    plan: PlanDoc,
    path: str | os.PathLike[str],
    options: ExportOptions,
    progress: Progress | None,
    status: str,
    build: Callable[[PlanDoc, ExportOptions, Progress | None], Any],
) -> int:
    """The common path of the document writers: build (``status`` shown), save the result
    through a temporary file, report done; returns the number of table rows written."""
    if progress is not None:
        progress.set_status(status)
    document = build(plan, options, progress)
    if progress is not None:
        progress.set_status("Сохранение файла…")
    with atomic_target(path) as tmp:
        document.save(str(tmp))
    if progress is not None:
        progress.set_value(1.0)
    return len(plan.rows)
