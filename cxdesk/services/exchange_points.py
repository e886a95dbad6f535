"""Exchange points: the moments a plan left this computer (an export to Word or Excel, a package).

Each export or package is recorded in the plan's history (an entry of the plan, not of an item,
field ``exchange``, the moment in ``new``) and stamped into the file (``exchanged_at``, with the
plan's previous exchange as ``exchange_base``). A colleague's cxdesk takes the file's stamp as its
own plan's ``synced_at``, so the files it writes name it as their base. A merge then compares
from the right moment: a field is a conflict only when it changed on both sides *since* the
exchange point the incoming file grew from; a change made before that point reached the file.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.services.common import record
from cxdesk.storage.models import History, Plan

EXCHANGE_FIELD = "exchange"


def mark_exchange(s: Session, plan: Plan, stamp: str, what: str) -> None:
    """Records that the plan left as ``what`` (a file name) at ``stamp``."""
    record(s, plan.id, None, EXCHANGE_FIELD, plan.synced_at or "", stamp, what)
    plan.synced_at = stamp


def exchange_base(s: Session, plan: Plan, candidates: list[str]) -> str | None:
    """The exchange point an incoming file grew from: the latest of its stamps that is one of
    our own exchange points; else the plan's last exchange (``synced_at``)."""
    wanted = [c for c in candidates if c]
    if wanted:
        ours = set(
            s.scalars(
                select(History.new).where(
                    History.plan_id == plan.id,
                    History.row_id.is_(None),
                    History.field == EXCHANGE_FIELD,
                    History.new.in_(wanted),
                )
            )
        )
        known = sorted(c for c in wanted if c in ours)
        if known:
            return known[-1]
    return plan.synced_at


def value_at(s: Session, row_id: int, field_name: str, moment: str, current: str) -> str:
    """A field's value at ``moment``: the old value of its first change after it, else the
    current value."""
    first = s.scalars(
        select(History.old)
        .where(History.row_id == row_id, History.field == field_name, History.at > moment)
        .order_by(History.id)
        .limit(1)
    ).first()
    return current if first is None else first
