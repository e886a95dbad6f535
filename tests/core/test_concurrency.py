"""Several people at once on one plan: row versions, conflicts, and no lost update, on both
engines (SQLite in the data folder, and a shared PostgreSQL database)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from cxdesk.domain.building import PlanRequest
from cxdesk.services.items import item_view, update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.storage.versions import Conflict

from .helpers import all_answers

pytestmark = pytest.mark.both_engines
WRITERS = 20


def plan_version(store: Store, pid: int) -> int:
    with store.session() as s:
        return int(s.execute(text("select version from plans where id=:p"), {"p": pid}).scalar())


def run_all(work: list[threading.Thread]) -> None:
    for t in work:
        t.start()
    for t in work:
        t.join(120)
    assert not any(t.is_alive() for t in work)


def test_every_save_raises_the_row_version(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    before = item_view(store, pid, "1")
    update_item(store, pid, "1", {"result": "первый"})
    after = item_view(store, pid, "1")
    assert after.version == before.version + 1
    update_item(store, pid, "1", {"result": "второй"}, expected_version=after.version)
    assert item_view(store, pid, "1").version == before.version + 2


def test_save_over_newer_version_is_a_conflict_field_by_field(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    seen = item_view(store, pid, "1")
    update_item(store, pid, "1", {"result": "коллега", "note": "его примечание"})
    with pytest.raises(Conflict) as got:
        update_item(store, pid, "1", {"result": "я"}, expected_version=seen.version,
                    base={"result": seen.result, "note": seen.note})  # fmt: skip
    conflict = got.value
    assert [(f.name, f.base, f.mine, f.theirs) for f in conflict.fields] == [
        ("result", seen.result, "я", "коллега")
    ]
    assert conflict.version == seen.version + 1
    assert "другим пользователем" in conflict.message
    assert item_view(store, pid, "1").result == "коллега"  # nothing overwritten
    # a field the other person did not touch saves over the newer version without loss
    update_item(store, pid, "1", {"document": "приказ"}, expected_version=seen.version,
                base={"document": seen.document})  # fmt: skip
    now = item_view(store, pid, "1")
    assert (now.result, now.document) == ("коллега", "приказ")
    # the user decided: saved against the version the conflict named
    update_item(store, pid, "1", {"result": "я"}, expected_version=now.version)
    assert item_view(store, pid, "1").result == "я"


def test_twenty_writers_on_one_item_lose_nothing(store: Store) -> None:
    """Each writer adds its line to the same item's result, retrying on a conflict."""
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    first = item_view(store, pid, "1")
    start, initial = first.version, [x for x in first.result.split("\n") if x]
    conflicts: list[int] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        gate.wait()
        try:
            for _attempt in range(200):
                seen = item_view(store, pid, "1")
                lines = [x for x in seen.result.split("\n") if x]
                new = "\n".join([*lines, f"исполнитель {n}"])
                try:
                    base = {"result": seen.result}
                    update_item(
                        store, pid, "1", {"result": new}, expected_version=seen.version, base=base
                    )
                    return
                except Conflict:
                    conflicts.append(n)
            raise AssertionError(f"writer {n} never saved")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    run_all([threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)])
    assert not errors, errors[:3]
    final = item_view(store, pid, "1")
    added = final.result.split("\n")[len(initial) :]
    assert final.result.split("\n")[: len(initial)] == initial
    assert sorted(added) == sorted(f"исполнитель {n}" for n in range(WRITERS))
    assert final.version == start + WRITERS
    with store.session() as s:
        saved = s.execute(
            text("select count(*) from history where plan_id=:p and field='result'"), {"p": pid}
        ).scalar()
    assert saved == WRITERS


def test_twenty_simultaneous_status_changes_on_one_plan(store: Store) -> None:
    pid = create_plan(
        store, PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    ).plan_id
    items = [r for r in get_plan(store, pid).rows if r.kind == "item"][:WRITERS]
    assert len(items) == WRITERS
    before = plan_version(store, pid)
    errors: list[BaseException] = []
    gate = threading.Barrier(WRITERS)

    def writer(number: str, version: int) -> None:
        gate.wait()
        try:
            update_item(store, pid, number, {"status": "in_progress"}, expected_version=version)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    run_all([threading.Thread(target=writer, args=(r.number, r.version)) for r in items])
    assert not errors, errors[:3]
    statuses = {r.number: r.status for r in get_plan(store, pid).rows}
    assert all(statuses[r.number] == "in_progress" for r in items)
    assert plan_version(store, pid) == before + WRITERS
