"""What every service shares: the result of a change, the clock and user, history records,
and finding a plan or an item from what the user typed."""

from __future__ import annotations

import getpass
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk import clock
from cxdesk.domain.item_fields import STATUSES as STATUSES  # the services' name of it
from cxdesk.errors import NotFound
from cxdesk.services.shapes import (  # re-exported: every service reports and dates with them
    UPCOMING_DAYS as UPCOMING_DAYS,
)
from cxdesk.services.shapes import (
    Changes as Changes,
)
from cxdesk.services.shapes import (
    today as today,
)
from cxdesk.storage.models import History, Plan, Row


def now() -> str:
    """The current local moment, ISO, to the millisecond (history order and merge bases)."""
    return clock.now().isoformat(timespec="milliseconds")


def os_user() -> str:
    """The operating-system user who makes a change."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some systems; history still records
        return ""


def new_uid() -> str:
    return uuid.uuid4().hex


def record(
    s: Session,
    plan_id: int,
    row_id: int | None,
    field_name: str,
    old: str,
    new: str,
    note: str = "",
) -> None:
    """Adds one history entry."""
    s.add(
        History(
            plan_id=plan_id,
            row_id=row_id,
            at=now(),
            user=s.info.get("user") or os_user(),  # a shared database: the person's role
            field=field_name,
            old=old or "",
            new=new or "",
            note=note or "",
        )
    )


def find_plan(s: Session, token: str | int) -> Plan:
    """A plan by its id (as shown by ``plans``) or its uid."""
    text = str(token).strip()
    plan = None
    if text.isdecimal():
        plan = s.get(Plan, int(text))
    if plan is None and text:
        plan = s.scalars(select(Plan).where(Plan.uid == text)).first()
    if plan is None:
        raise NotFound(f"Нет плана «{text}». Список планов: cxdesk plans.")
    return plan


def find_row(s: Session, plan: Plan, token: str | int) -> Row:
    """A row of the plan by its shown number («1.1», «1.1.») or, failing that, its row id.

    An ``int`` (what the services hand back in :class:`Changes`) is always a row id, never a
    shown number: row id 9 is not item «9».
    """
    if isinstance(token, int) and not isinstance(token, bool):
        by_id = s.get(Row, token)
        if by_id is not None and by_id.plan_id == plan.id:
            return by_id
        raise NotFound(f"В плане {plan.id} нет строки с id {token}: cxdesk show {plan.id}.")
    text = str(token).strip()
    want = text.rstrip(".")
    if want:
        matches = list(
            s.scalars(select(Row).where(Row.plan_id == plan.id, Row.number.in_([want, want + "."])))
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(str(r.id) for r in matches)
            raise NotFound(
                f"В плане {plan.id} несколько строк с номером «{text}» (id: {ids}); укажите id."
            )
    if text.lstrip("#").isdecimal():
        row = s.get(Row, int(text.lstrip("#")))
        if row is not None and row.plan_id == plan.id:
            return row
    raise NotFound(
        f"В плане {plan.id} нет пункта «{text}». Номера и id пунктов: cxdesk show {plan.id}."
    )
