"""The store: one SQLite file, WAL, foreign keys, schema from the migrations, history kept."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy import text

from cxdesk.domain.building import PlanRequest
from cxdesk.paths import migrations_dir
from cxdesk.services.plans import create_plan, delete_plan
from cxdesk.storage.db import SCHEMA_REVISION, Store, current_revision


def test_pragmas(store: Store) -> None:
    with store.session() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_schema_revision_is_newest_migration() -> None:
    revisions = set()
    downs = set()
    for f in (migrations_dir() / "versions").glob("*.py"):
        body = f.read_text(encoding="utf-8")
        revisions.add(re.search(r'^revision = "(\w+)"', body, re.M).group(1))  # type: ignore[union-attr]
        m = re.search(r'^down_revision = "(\w+)"', body, re.M)
        if m:
            downs.add(m.group(1))
    assert revisions - downs == {SCHEMA_REVISION}


def test_new_folder_gets_schema(tmp_path: Path) -> None:
    Store(tmp_path / "x").close()
    assert current_revision(tmp_path / "x" / "cxdesk.sqlite3") == SCHEMA_REVISION


def test_delete_cascades(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    delete_plan(store, pid)
    con = sqlite3.connect(store.db_path)
    assert con.execute("select count(*) from rows").fetchone()[0] == 0
    assert con.execute("select count(*) from history").fetchone()[0] == 0


def test_creation_history_recorded(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    con = sqlite3.connect(store.db_path)
    n = con.execute("select count(*) from history where plan_id=? and field='created'", (pid,))
    assert n.fetchone()[0] == 12
