"""What the window paints before the store is open: the plans list and the last plan, read
through the light path, are exactly what the store's own views give; where the light path does
not apply the window is told to start the normal way."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from cxdesk.domain.building import PlanRequest
from cxdesk.paths import DB_NAME
from cxdesk.services.attachments import attach_files
from cxdesk.services.first_view import first_view
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan, exclude_item
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store

from .helpers import all_answers

ON = date(2026, 12, 3)


def _two_plans(store: Store, tmp_path: Path) -> tuple[int, int]:
    answers = all_answers("agency", True)
    first = create_plan(store, PlanRequest("agency", "Минтруд", answers=answers)).plan_id
    second = create_plan(store, PlanRequest("szn_pilot", "ЦЗН города Тулы")).plan_id
    update_item(store, first, "1.1", {"status": "done", "result": "Приказ № 5"}, note="итог")
    update_item(store, first, "1.2", {"status": "in_progress", "deadline": "01.02.2026"})
    update_item(store, first, "1.3", {"deadline": "15.12.2026"})  # upcoming on ON
    exclude_item(store, first, "1.4", "Письмо Аналитического центра № 12")
    proof = tmp_path / "приказ.txt"
    proof.write_text("приказ", encoding="utf-8")
    attach_files(store, first, "1.1", [proof])
    return first, second


def test_the_first_view_is_what_the_store_shows(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    first, second = _two_plans(store, tmp_path)
    plans, plan = list_plans(store, ON), get_plan(store, second, ON)
    other = get_plan(store, first, ON)
    store.close()
    got = first_view(data_dir / DB_NAME, second, ON)
    assert got is not None
    assert got.plans == plans and got.plan == plan
    anyone = first_view(data_dir / DB_NAME, None, ON)  # no last plan: the first one
    assert anyone is not None and anyone.plan == other
    assert any(r.attachments == ["приказ.txt"] for r in other.rows)
    assert any(r.overdue for r in other.rows) and any(r.upcoming for r in other.rows)
    gone = first_view(data_dir / DB_NAME, second + 100, ON)  # a plan since deleted
    assert gone is not None and gone.plan == other


def test_no_plans_yet_gives_the_welcome(data_dir: Path) -> None:
    Store(data_dir).close()
    got = first_view(data_dir / DB_NAME, None, ON)
    assert got is not None and got.plans == [] and got.plan is None


def test_where_the_light_path_does_not_apply_the_start_is_normal(
    data_dir: Path, tmp_path: Path
) -> None:
    db = data_dir / DB_NAME
    assert first_view(tmp_path / "нет" / DB_NAME, None, ON) is None  # no database yet
    store = Store(data_dir)
    _two_plans(store, tmp_path)
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")  # to migrate
    conn.close()
    assert first_view(db, None, ON) is None
    db.write_bytes(b"not a database" * 200)
    assert first_view(db, None, ON) is None
