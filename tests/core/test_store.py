"""The store on either engine: schema from the migrations, cascades, history kept; SQLite's
pragmas and the choice of engine by URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from cxdesk.domain.building import PlanRequest
from cxdesk.errors import UserError
from cxdesk.paths import migrations_dir
from cxdesk.services.plans import create_plan, delete_plan
from cxdesk.storage.db import SCHEMA_REVISION, Store, current_revision, resolve_url

pytestmark = pytest.mark.both_engines
USERS = 'select distinct "user" from history where plan_id=:p'


def count(store: Store, sql: str, **params: object) -> int:
    with store.session() as s:
        return int(s.execute(text(sql), params).scalar_one())


def test_pragmas(store: Store) -> None:
    if store.kind != "sqlite":
        pytest.skip("прагмы есть только у SQLite")
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


def test_store_is_at_newest_revision(store: Store) -> None:
    assert count(store, "select count(*) from alembic_version") == 1
    with store.session() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == "0003"
    assert store.quick_check()


def test_delete_cascades(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    delete_plan(store, pid)
    assert count(store, "select count(*) from rows") == 0
    assert count(store, "select count(*) from history") == 0


def test_creation_history_recorded(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    n = count(store, "select count(*) from history where plan_id=:p and field='created'", p=pid)
    assert n == 12


def test_history_records_the_database_user(store: Store) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    with store.session() as s:
        users = set(s.execute(text(USERS),
                               {"p": pid}).scalars())  # fmt: skip
    if store.kind == "postgresql":
        assert users == {"postgres"}  # current_user of the test server's role
    else:
        assert len(users) == 1


def test_engine_chosen_by_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CXDESK_DB", raising=False)
    assert resolve_url(None) == ""
    monkeypatch.setenv("CXDESK_DB", "postgresql://u@h/db")
    assert resolve_url(None) == "postgresql://u@h/db"
    assert resolve_url("postgres://x@y/z") == "postgres://x@y/z"
    with pytest.raises(UserError, match="не распознан"):
        resolve_url("mysql://u@h/db")


def test_unreachable_server_is_a_plain_message(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Не удаётся подключиться к общей базе"):
        Store(tmp_path, url="postgresql://nobody@127.0.0.1:1/none")
