"""The change watch the window polls (cxdesk/services/watching.py), on a real database: another
connection's commit moves the marker and names its plan; this process's own writes are counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, load_rows
from cxdesk.services.watching import watch
from cxdesk.storage.db import Store

from .helpers import all_answers

pytestmark = pytest.mark.both_engines


def _plan(store: Store) -> int:
    request = PlanRequest("agency", "Министерство труда", answers=all_answers("agency", False))
    return create_plan(store, request).plan_id


def test_another_connection_is_seen_and_own_writes_are_counted(
    store: Store, data_dir: Path
) -> None:
    pid = _plan(store)
    w = watch(store)
    try:
        first = w.read(None)
        assert first is not None and pid in first[1] and w.own_writes == 0

        update_item(store, pid, "1.1", {"status": "in_progress"})
        assert w.own_writes > 0  # the window's own commit, through its engine

        other = Store(data_dir, url=None if store.kind == "sqlite" else str(store.engine.url))
        try:
            counted = w.own_writes
            update_item(other, pid, "1.2", {"responsible": "Кузнецова А.Б."})
        finally:
            other.close()
        assert w.own_writes == counted  # another connection's writes are not ours
        later = w.read(first[2])
        assert later is not None and later[0] != first[0]
        assert pid in later[3] and later[2] > first[2]
    finally:
        w.close()
    update_item(store, pid, "1.3", {"status": "done"})
    assert w.own_writes == counted  # closed: no longer counting


def test_load_rows_reads_only_the_rows_asked(store: Store) -> None:
    pid = _plan(store)
    update_item(store, pid, "1.1", {"result": "Приказ № 15"})
    all_rows = load_rows(store, pid, set())
    assert all_rows == []
    ids = {r.id for r in get_plan(store, pid).rows[:3]}
    got = load_rows(store, pid, ids)
    assert {r.id for r in got} == ids
    assert any(r.result == "Приказ № 15" for r in got)
