"""Read-only views of the store for the window, the command line and the exports.

Overdue is derived here and never stored: an item past its due date and neither done nor
excluded reads ``overdue``; one due within the next 14 days is ``upcoming``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxdesk.domain.item_fields import ITEM_FIELDS, values_of
from cxdesk.services.common import UPCOMING_DAYS, find_plan, today
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Plan, Row


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


_ROW_COLUMNS = ("id", "uid", "kind", "depth", "number", "ref", "due_date", *ITEM_FIELDS)


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


def plan_view_in(s: Session, plan: Plan, on: date | None = None) -> PlanView:
    """The view of a plan inside an open session."""
    on = on or today()
    names: dict[int, list[str]] = {}
    q = (
        select(Attachment.row_id, Attachment.name)
        .join(Row, Row.id == Attachment.row_id)
        .where(Row.plan_id == plan.id, Attachment.removed_at.is_(None))
        .order_by(Attachment.id)
    )
    for row_id, name in s.execute(q):
        names.setdefault(row_id, []).append(name)
    columns = [getattr(Row, c) for c in _ROW_COLUMNS]
    rows = s.execute(select(*columns).where(Row.plan_id == plan.id).order_by(Row.position)).all()
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


def get_plan(store: Store, token: str | int, on: date | None = None) -> PlanView:
    """One plan with its rows in document order."""
    with store.session() as s:
        return plan_view_in(s, find_plan(s, token), on)


def list_plans(store: Store, on: date | None = None) -> list[PlanSummary]:
    """Every plan with its counts; overdue derived as of ``on`` (today)."""
    on = on or today()
    out = []
    with store.session() as s:
        for plan in s.scalars(select(Plan).order_by(Plan.id)):
            items = done = progress = overdue = excluded = 0
            q = select(Row.status, Row.due_date).where(Row.plan_id == plan.id, Row.kind == "item")
            for status, due in s.execute(q):
                items += 1
                done += status == "done"
                progress += status == "in_progress"
                excluded += status == "excluded"
                overdue += is_overdue(status, date.fromisoformat(due) if due else None, on)
            out.append(
                PlanSummary(
                    plan.id,
                    plan.org,
                    plan.title,
                    plan.template_id,
                    items,
                    done,
                    progress,
                    overdue,
                    excluded,
                )  # fmt: skip
            )
    return out


@dataclass
class HistoryEntry:
    """One entry of an item's history."""

    at: str
    user: str
    field: str
    old: str
    new: str
    note: str


def load_rows(store: Store, plan_id: int, row_ids: set[int]) -> list[RowView]:
    """The current views of some rows of a plan (one query for the rows, one for the files)."""
    if not row_ids:
        return []
    on = today()
    with store.session() as s:
        names: dict[int, list[str]] = {}
        q = (
            select(Attachment.row_id, Attachment.name)
            .where(Attachment.row_id.in_(row_ids), Attachment.removed_at.is_(None))
            .order_by(Attachment.id)
        )
        for row_id, name in s.execute(q):
            names.setdefault(row_id, []).append(name)
        rows = s.scalars(select(Row).where(Row.plan_id == plan_id, Row.id.in_(row_ids)))
        return [row_view(r, names.get(r.id, []), on) for r in rows]


def row_history(s: Session, row_id: int) -> list[HistoryEntry]:
    q = select(History).where(History.row_id == row_id).order_by(History.id)
    return [HistoryEntry(h.at, h.user, h.field, h.old, h.new, h.note) for h in s.scalars(q)]


def holds_data(s: Session, row: Row) -> bool:
    """True when the user entered anything for the row since it was made."""
    if row.status not in ("not_started", "excluded") or row.note or row.done_date:
        return True
    edits = s.scalar(
        select(func.count())
        .select_from(History)
        .where(History.row_id == row.id, History.field != "created")
    )
    files = s.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.row_id == row.id)
    )
    return bool(edits) or bool(files)


#: The tracking views: key → Russian title.
TRACKING_VIEWS = {
    "all": "Все пункты",
    "overdue": "Просроченные",
    "upcoming": "Ближайшие сроки",
    "no_proof": "Выполнено без документа",
}


def people(plan: PlanView) -> list[str]:
    """Everyone named responsible in the plan (one person per line of the cell), sorted."""
    names = {
        line.strip() for r in plan.items() for line in r.responsible.splitlines() if line.strip()
    }
    return sorted(names, key=str.casefold)


def tracking_rows(plan: PlanView, view: str = "all", responsible: str = "") -> list[RowView]:
    """Items of one tracking view, optionally only those of one responsible person."""
    if view not in TRACKING_VIEWS:
        from cxdesk.errors import UserError

        raise UserError(f"Нет вида «{view}». Есть: {', '.join(TRACKING_VIEWS)}.")
    tests = {
        "all": lambda r: True,
        "overdue": lambda r: r.overdue,
        "upcoming": lambda r: r.upcoming,
        "no_proof": lambda r: r.status == "done" and not r.attachments,
    }
    want = responsible.strip().casefold()
    return [
        r
        for r in plan.items()
        if tests[view](r)
        and (not want or want in (x.strip().casefold() for x in r.responsible.splitlines()))
    ]
