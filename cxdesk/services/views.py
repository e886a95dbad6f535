"""Read-only views of the store for the window, the command line and the exports.

Overdue is derived here and never stored: an item past its due date and neither done nor
excluded reads ``overdue``; one due within the next 14 days is ``upcoming``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxdesk.services.common import find_plan, today
from cxdesk.services.shapes import (  # the shapes, re-exported: where the services' callers look
    ROW_COLUMNS,
    plan_summary,
    plan_view,
)
from cxdesk.services.shapes import (
    HistoryEntry as HistoryEntry,
)
from cxdesk.services.shapes import (
    PlanSummary as PlanSummary,
)
from cxdesk.services.shapes import (
    PlanView as PlanView,
)
from cxdesk.services.shapes import (
    RowView as RowView,
)
from cxdesk.services.shapes import (
    counted_items as counted_items,
)
from cxdesk.services.shapes import (
    is_overdue as is_overdue,
)
from cxdesk.services.shapes import (
    is_upcoming as is_upcoming,
)
from cxdesk.services.shapes import (
    people as people,
)
from cxdesk.services.shapes import (
    row_view as row_view,
)
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Plan, Row


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
    columns = [getattr(Row, c) for c in ROW_COLUMNS]
    rows = s.execute(select(*columns).where(Row.plan_id == plan.id).order_by(Row.position)).all()
    return plan_view(plan, rows, names, on)


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
            q = select(Row.status, Row.due_date).where(Row.plan_id == plan.id, Row.kind == "item")
            out.append(plan_summary(plan, s.execute(q).all(), on))
    return out


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
