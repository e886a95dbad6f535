"""The plan's deadlines as an .ics calendar, and the deadlines coming up across plans."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from cxdesk.domain.building import PlanRequest
from cxdesk.errors import UserError
from cxdesk.services.calendar_export import upcoming, write_calendar
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from .helpers import all_answers, run_json

pytestmark = pytest.mark.both_engines


@pytest.fixture
def plan_id(store: Store) -> int:
    pid = create_plan(
        store,
        PlanRequest(
            "agency", "Министерство «Тест»", answers=all_answers("agency", True),
            default_responsible="Петров П.П.\nСидорова С.С.",
        ),
    ).plan_id  # fmt: skip
    update_item(store, pid, "1.1", {"deadline": "01.12.2026"})  # within 14 days of 23.11.2026
    update_item(store, pid, "1.2", {"deadline": "I квартал 2027 года"})
    update_item(store, pid, "1.4", {"deadline": "30.11.2026", "status": "done"})
    update_item(
        store, pid, "3.1.7", {"status": "excluded", "basis": "письмо № 7"}
    )  # dated, excluded
    return pid


def dated_open(store: Store, pid: int) -> list[str]:
    return [
        r.uid
        for r in get_plan(store, pid).items()
        if r.due_date and r.status not in ("done", "excluded")
    ]


def test_one_event_per_dated_item_with_a_reminder(
    store: Store, plan_id: int, tmp_path: Path
) -> None:
    out = tmp_path / "сроки.ics"
    path, events = write_calendar(store, plan_id, out)
    assert path == out
    want = dated_open(store, plan_id)
    assert events == len(want) == 2 + 5  # 1.1, 1.2 and 3.2.7 … 3.6.7
    raw = out.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and "cxdesk" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Сроки плана: Министерство «Тест»"
    vevents = [c for c in cal.walk() if c.name == "VEVENT"]
    assert sorted(str(e["UID"]) for e in vevents) == sorted(f"{u}@cxdesk" for u in want)
    by_summary = {str(e["SUMMARY"]): e for e in vevents}
    first = next(e for s, e in by_summary.items() if s.startswith("1.1. Назначен ответственный"))
    assert first.decoded("DTSTART") == date(2026, 12, 1)
    assert first.decoded("DTEND") == date(2026, 12, 2)
    description = str(first["DESCRIPTION"])
    assert "Срок: 01.12.2026" in description
    assert "Ответственный: Петров П.П.; Сидорова С.С." in description
    assert "Вид документа: Приказ" in description and "План: Министерство «Тест»" in description
    for event in vevents:
        (alarm,) = [c for c in event.walk() if c.name == "VALARM"]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(days=-7)
    quarter = next(e for s, e in by_summary.items() if s.startswith("1.2. "))
    assert quarter.decoded("DTSTART") == date(2027, 3, 31)


def test_uids_stay_the_same_and_the_file_is_replaced(
    store: Store, plan_id: int, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "сроки.ics"
    write_calendar(store, plan_id, out)
    first = sorted(str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    update_item(store, plan_id, "1.1", {"status": "done"})
    _path, events = write_calendar(store, plan_id, out)
    second = sorted(str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert events == len(first) - 1 and set(second) < set(first)
    assert [p.name for p in folder.iterdir()] == ["сроки.ics"]
    with pytest.raises(UserError):
        write_calendar(store, plan_id, folder / "сроки.txt")


def test_calendar_command(
    store: Store, plan_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.ics"
    data = run_json(capsys, "calendar", str(plan_id), "-o", str(out))
    assert data == {"path": str(out), "events": len(dated_open(store, plan_id))}


def test_upcoming_across_plans(store: Store, plan_id: int) -> None:
    other = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    update_item(store, other, "3", {"deadline": "24.11.2026"})
    got = [(p.id, r.number) for p, r in upcoming(store)]
    assert got == [(other, "3"), (plan_id, "1.1.")]
    late = upcoming(store, days=14, include_overdue=True)
    assert len(late) > 2 and all(r.status not in ("done", "excluded") for _p, r in late)
    assert upcoming(store, days=3) == [(p, r) for p, r in upcoming(store) if r.number == "3"]


def test_calendar_upcoming_only_leaves_out_past_deadlines(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    """The window's default on the command line: past deadlines (agency «31.12.2024» on
    23.11.2026) stay out with --upcoming-only, and are in without it."""
    from .helpers import answer_args

    run_json(capsys, "new", "agency", "--org", "Орган", *answer_args(all_answers("agency", True)))
    every = run_json(capsys, "calendar", "1", "-o", str(tmp_path / "a.ics"))
    coming = run_json(capsys, "calendar", "1", "-o", str(tmp_path / "b.ics"), "--upcoming-only")
    assert every["events"] > 0 and coming["events"] == 0
