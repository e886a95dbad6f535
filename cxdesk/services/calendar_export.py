"""The plan's deadlines as an iCalendar file for Outlook or Thunderbird, and the deadlines coming
up across all plans (for the window's start message).

Every item with a due date that is neither done nor excluded becomes an all-day event on its due
date, with a reminder seven days before. Each event's UID is the row's uid, so that importing the
file again updates the events instead of doubling them. The file is written by icalendar (CRLF line
ends, long lines folded) to a temporary file and then put in place.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cxdesk import __version__, clock
from cxdesk.errors import UserError
from cxdesk.io.office_basics import atomic_save
from cxdesk.services.common import today
from cxdesk.services.views import PlanView, RowView, get_plan, is_overdue, plan_view_in
from cxdesk.storage.db import Store
from cxdesk.storage.models import Plan

REMINDER_DAYS = 7
PRODID = f"-//cxdesk//cxdesk {__version__}//RU"


def calendar_rows(
    plan: PlanView, include_past: bool = True, on: date | None = None
) -> list[RowView]:
    """The items that get an event: dated, not done, not excluded; without ``include_past``
    only those due today or later (a calendar full of past dates helps nobody)."""
    on = on or today()
    return [
        r
        for r in plan.items()
        if r.due_date is not None
        and r.status not in ("done", "excluded")
        and (include_past or r.due_date >= on)
    ]


def _description(plan: PlanView, row: RowView) -> str:
    parts = [f"Срок: {row.deadline or row.due_date}"]
    if row.responsible.strip():
        parts.append("Ответственный: " + "; ".join(row.responsible.split("\n")))
    if row.document.strip():
        parts.append("Вид документа: " + "; ".join(row.document.split("\n")))
    parts.append(f"План: {plan.org}")
    return "\n".join(parts)


def build_calendar(
    plan: PlanView, stamp: datetime | None = None, include_past: bool = True
) -> tuple[bytes, int]:
    """The calendar of one plan as iCalendar bytes, and the number of events."""
    from icalendar import Alarm, Calendar, Event

    stamp = stamp or clock.now_utc().replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Сроки плана: {plan.org}")
    rows = calendar_rows(plan, include_past)
    for row in rows:
        assert row.due_date is not None
        event = Event()
        event.add("uid", f"{row.uid}@cxdesk")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.due_date)
        event.add("dtend", row.due_date + timedelta(days=1))
        event.add("summary", f"{row.number} {row.title}".strip())
        event.add("description", _description(plan, row))
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Клиентоцентричность"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Через {REMINDER_DAYS} дней срок: {row.number} {row.title}")
        alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical(), len(rows)


def write_calendar(
    store: Store, plan: str | int | PlanView, out: Path, include_past: bool = True
) -> tuple[Path, int]:
    """Writes the plan's deadlines to ``out`` (.ics); returns the path and the number of events
    (``include_past=False``: only the deadlines still to come)."""
    out = Path(out)
    if out.suffix.lower() != ".ics":
        raise UserError(f"Файл календаря должен иметь расширение .ics, а не «{out.name}».")
    view = plan if isinstance(plan, PlanView) else get_plan(store, plan)
    data, events = build_calendar(view, include_past=include_past)
    atomic_save(out, lambda tmp: tmp.write_bytes(data))
    return out, events


def upcoming(
    store: Store, days: int = 14, on: date | None = None, include_overdue: bool = False
) -> list[tuple[PlanView, RowView]]:
    """Items of all plans due within ``days`` from ``on`` (today), not done or excluded, by date;
    with ``include_overdue``, those already past their date too."""
    on = on or today()
    last = on + timedelta(days=days)
    out: list[tuple[PlanView, RowView]] = []
    with store.session() as s:
        for plan in s.scalars(select(Plan).order_by(Plan.id)):
            view = plan_view_in(s, plan, on)
            for row in calendar_rows(view):
                assert row.due_date is not None
                late = is_overdue(row.status, row.due_date, on)
                if (on <= row.due_date <= last) or (include_overdue and late):
                    out.append((view, row))
    out.sort(key=lambda pr: (pr[1].due_date or on, pr[0].id, pr[1].number))
    return out
