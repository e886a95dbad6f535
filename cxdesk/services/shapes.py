"""What the services hand out and check, free of the store's library: the views of plans and
rows, the plans list's lines, an item's history, :class:`Changes`, the checking of a field's
new value.

They are built from stored rows by the functions here whichever way the rows were read: through
the ORM (:mod:`cxdesk.services.views`) or through the light read of the SQLite file
(:mod:`cxdesk.storage.light`, for the window's first paint and one-shot commands, which need
not import SQLAlchemy). One builder for both, so the two reads cannot show a plan differently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from cxdesk import clock
from cxdesk.domain.deadlines import PERIOD, UNREADABLE, format_date, parse_deadline, parse_user_date
from cxdesk.domain.item_fields import BY_NAME, ITEM_FIELDS, STATUSES, values_of
from cxdesk.errors import UserError

#: An item due within this many days is «upcoming».
UPCOMING_DAYS = 14


@dataclass
class Changes:
    """What a service changed, so that each view redraws only what it must.

    ``structure`` means rows were added, removed or reordered (the tree must be rebuilt);
    ``row_ids`` are rows whose fields changed; ``history`` means new history entries.
    """

    plan_ids: set[int] = field(default_factory=set)
    row_ids: set[int] = field(default_factory=set)
    structure: bool = False
    history: bool = False
    plans_list: bool = False

    def merge(self, other: Changes) -> Changes:
        self.plan_ids |= other.plan_ids
        self.row_ids |= other.row_ids
        self.structure |= other.structure
        self.history |= other.history
        self.plans_list |= other.plans_list
        return self


def today() -> date:
    """Today's date, from the one clock (:mod:`cxdesk.clock`)."""
    return clock.today()


@dataclass
class RowView:
    """One row as the views show it."""

    id: int
    uid: str
    kind: str
    depth: int
    number: str
    ref: str
    title: str
    start: str
    deadline: str
    due_date: date | None
    responsible: str
    result: str
    document: str
    materials: str
    note: str
    status: str
    basis: str
    done_date: str
    attachments: list[str] = field(default_factory=list)
    overdue: bool = False
    upcoming: bool = False
    version: int = 1  # the stored row's version: passed back by a save (conflict check)

    @property
    def shown_status(self) -> str:
        """The stored status, except that an overdue item reads ``overdue``."""
        return "overdue" if self.overdue else self.status


@dataclass
class PlanView:
    """A plan with its rows in document order."""

    id: int
    uid: str
    template_id: str
    template_version: str
    org: str
    title: str
    approver_position: str
    approver_name: str
    approval_date: str
    answers: dict[str, bool]
    done_refs: list[str]
    numbering: str
    rows: list[RowView]
    signature: str = ""  # the signature block below the table, one line per line
    executor: str = ""  # the «Исп.: …» line(s)

    def items(self) -> list[RowView]:
        return [r for r in self.rows if r.kind == "item"]


@dataclass
class PlanSummary:
    """A line of the plans list."""

    id: int
    org: str
    title: str
    template_id: str
    items: int
    done: int
    in_progress: int
    overdue: int
    excluded: int


def counted_items(items: int, excluded: int) -> int:
    """The one definition of «пунктов» in every count the user sees (the window's header and
    status bar, the plans list, the summary): the plan's items to carry out, excluded ones
    apart (they are shown, and named separately)."""
    return max(items - excluded, 0)


def is_overdue(status: str, due: date | None, on: date) -> bool:
    return due is not None and status not in ("done", "excluded") and due < on


def is_upcoming(status: str, due: date | None, on: date) -> bool:
    return (
        due is not None
        and status not in ("done", "excluded")
        and on <= due <= on + timedelta(days=UPCOMING_DAYS)
    )


#: The columns of a row that its view shows.
ROW_COLUMNS = ("id", "uid", "kind", "depth", "number", "ref", "due_date", *ITEM_FIELDS, "version")


def row_view(row: Any, attachments: list[str], on: date) -> RowView:
    """A view of a stored row (an ORM object or a plain result row with the same names)."""
    due = date.fromisoformat(row.due_date) if row.due_date else None
    item = row.kind == "item"
    return RowView(
        id=row.id,
        uid=row.uid,
        kind=row.kind,
        depth=row.depth,
        number=row.number,
        ref=row.ref,
        due_date=due,
        **values_of(row),
        attachments=attachments,
        overdue=item and is_overdue(row.status, due, on),
        upcoming=item and is_upcoming(row.status, due, on),
        version=getattr(row, "version", 1) or 1,
    )


def plan_view(plan: Any, rows: Iterable[Any], names: dict[int, list[str]], on: date) -> PlanView:
    """The view of a stored plan (an ORM object or a record with the same names), its rows in
    document order and its files' names by row id."""
    return PlanView(
        id=plan.id,
        uid=plan.uid,
        template_id=plan.template_id,
        template_version=plan.template_version,
        org=plan.org,
        title=plan.title,
        approver_position=plan.approver_position,
        approver_name=plan.approver_name,
        approval_date=plan.approval_date,
        answers=json.loads(plan.answers or "{}"),
        done_refs=json.loads(plan.done_refs or "[]"),
        numbering=plan.numbering,
        rows=[row_view(r, names.get(r.id, []), on) for r in rows],
        signature=plan.signature or "",
        executor=plan.executor or "",
    )


def plan_summary(plan: Any, items: Iterable[tuple[str, str | None]], on: date) -> PlanSummary:
    """The plans list's line of a plan, from its items' (status, due date) pairs."""
    count = done = progress = overdue = excluded = 0
    for status, due in items:
        count += 1
        done += status == "done"
        progress += status == "in_progress"
        excluded += status == "excluded"
        overdue += is_overdue(status, date.fromisoformat(due) if due else None, on)
    return PlanSummary(
        plan.id, plan.org, plan.title, plan.template_id, count, done, progress, overdue, excluded
    )


@dataclass
class HistoryEntry:
    """One entry of an item's history."""

    at: str
    user: str
    field: str
    old: str
    new: str
    note: str


def people(plan: PlanView) -> list[str]:
    """Everyone named responsible in the plan (one person per line of the cell), sorted."""
    names = {
        line.strip() for r in plan.items() for line in r.responsible.splitlines() if line.strip()
    }
    return sorted(names, key=str.casefold)


#: Control characters (pasted from other programs): no document can carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

STATUS_HINT = ", ".join(STATUSES)


def validate(field_name: str, value: str) -> str:
    """Checks one field's new value; returns it cleaned or raises a clear UserError."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\t", " ")).strip()
    kind = BY_NAME[field_name].kind if field_name in BY_NAME else "text"
    if kind == "status":
        if value not in STATUSES:
            raise UserError(f"Неизвестный статус «{value}». Допустимо: {STATUS_HINT}.")
    elif kind == "date" and value:
        d = parse_user_date(value)
        if d is None:
            raise UserError(
                f"«{value}» — не дата. Введите дату в виде ДД.ММ.ГГГГ, например 31.12.2024."
            )
        value = format_date(d)
    elif kind == "deadline" and value:
        parsed = parse_deadline(value)
        if parsed.state == UNREADABLE:
            raise UserError(
                f"Срок «{value}» не распознан. Введите дату (ДД.ММ.ГГГГ) или срок вида "
                "«I квартал 2024 года», «до 01.07.2024», «на протяжении всего периода»."
            )
    elif field_name == "title" and not value:
        raise UserError("Название мероприятия не может быть пустым.")
    return value


def deadline_hint(text: str) -> str:
    """A short Russian reading of a deadline text, for the item panel."""
    d = parse_deadline(text)
    if d.state == UNREADABLE:
        return "срок не распознан — исправьте"
    if d.state == PERIOD:
        return "период без даты"
    return f"до {format_date(d.due)}" if d.due else ""
