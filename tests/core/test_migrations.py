"""A database made by the first released schema opens in the current version with every plan,
item, history entry and attachment intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cxdesk.services.attachments import list_attachments
from cxdesk.services.check import check_data
from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import SCHEMA_REVISION, Store, current_revision

RELEASE_0001 = Path(__file__).resolve().parents[1] / "fixtures" / "releases" / "0001"


def test_first_release_database_opens_intact(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(RELEASE_0001, folder)
    con = sqlite3.connect(folder / "cxdesk.sqlite3")
    counts_before = {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("plans", "rows", "history", "attachments")
    }
    con.close()
    store = Store(folder)
    assert current_revision(store.db_path) == SCHEMA_REVISION
    plans = list_plans(store)
    assert [(p.org, p.items) for p in plans] == [
        ("Министерство труда и социальной защиты", 76),
        ("ЦЗН Тульской области", 12),
    ]
    plan = get_plan(store, plans[0].id)
    assert plan.approver_name == "А.Б. Васильев"
    first = plan.items()[0]
    assert first.status == "done" and first.result == "Приказ № 15 от 01.02.2024"
    assert first.responsible == "Иванов И.И.\nПетрова А.А."
    excluded = next(r for r in plan.items() if r.status == "excluded")
    assert excluded.basis == "Письмо АЦ № 12-3 от 05.03.2024"
    notes = [h.note for h in item_history(store, plan.id, "1.1")]
    assert "подписан" in notes
    (att,) = list_attachments(store, plan.id, "1.1")
    assert att.name == "Приказ № 15 от 01.02.2024.pdf"
    assert check_data(store).ok
    con = sqlite3.connect(folder / "cxdesk.sqlite3")
    for table, n in counts_before.items():
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == n
    con.close()
