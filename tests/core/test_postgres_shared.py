"""A shared PostgreSQL database: roles enforced by the server, migrate-to, pg_dump backups, and
the notifications that open windows listen to. Skipped (saying why) without CXDESK_TEST_PG."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from cxdesk.domain.building import PlanRequest
from cxdesk.errors import UserError
from cxdesk.services.attachments import attach_files, list_attachments
from cxdesk.services.items import item_history, item_view, update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store
from cxdesk.storage.postgres import PostgresProbe, libpq_url

from .helpers import run, run_json


def as_login(url: str, login: str) -> str:
    """The same database, signed in as another role (the test server trusts local logins)."""
    return url.replace("postgresql://postgres@", f"postgresql://{login}@", 1)


@pytest.fixture
def shared(pg_url: str, data_dir: Path) -> Store:
    s = Store(data_dir, url=pg_url)
    yield s
    s.close()


def setup_people(capsys: pytest.CaptureFixture[str], suffix: str) -> dict[str, str]:
    got = run_json(capsys, "db-setup")
    assert "cxdesk_executor" in got["roles"]
    people = {"coordinator": f"coord_{suffix}", "executor": f"exec_{suffix}",
              "viewer": f"view_{suffix}"}  # fmt: skip
    run_json(capsys, "db-grant", "coordinator", people["coordinator"], "--person", "Иванова А.А.")
    run_json(capsys, "db-grant", "executor", people["executor"], "--person", "Петров П.П.")
    run_json(capsys, "db-grant", "viewer", people["viewer"])
    return people


def test_roles_are_enforced_by_the_database(
    shared: Store, pg_url: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = setup_people(capsys, uuid.uuid4().hex[:8])
    pid = create_plan(shared, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    update_item(shared, pid, "1", {"responsible": "Петров П.П., начальник отдела"})
    update_item(shared, pid, "2", {"responsible": "Сидоров С.С."})
    mine, other = item_view(shared, pid, "1"), item_view(shared, pid, "2")

    # the executor's own SQL, sent past the product: another's item does not change
    with psycopg.connect(libpq_url(as_login(pg_url, people["executor"]))) as con:
        done = con.execute("UPDATE rows SET status = 'done' WHERE id = %s", (other.id,))
        assert done.rowcount == 0
        done = con.execute("UPDATE rows SET status = 'done' WHERE id = %s", (mine.id,))
        assert done.rowcount == 1
        con.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("UPDATE rows SET title = 'чужое' WHERE id = %s", (mine.id,))
        con.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("DELETE FROM rows WHERE id = %s", (other.id,))
        con.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("INSERT INTO history (plan_id, row_id, at, field) VALUES (%s, %s, '', 'x')",
                        (pid, other.id))  # fmt: skip
    assert item_view(shared, pid, "2").status == other.status

    # through the product: the executor changes their own item, the history says who
    executor = Store(data_dir, url=as_login(pg_url, people["executor"]))
    try:
        update_item(executor, pid, "1", {"status": "in_progress", "result": "начато"})
        assert item_history(executor, pid, "1")[-1].user == people["executor"]
        with pytest.raises(UserError):
            update_item(executor, pid, "2", {"status": "done"})
        with pytest.raises(UserError, match="Недостаточно прав"):
            update_item(executor, pid, "1", {"title": "другое название"})
        proof = data_dir / "акт.pdf"
        proof.write_bytes(b"%PDF-1.4 act of the executor")
        assert [a.name for a in attach_files(executor, pid, "1", [proof]).files] == ["акт.pdf"]
        with pytest.raises(UserError, match="Недостаточно прав"):
            attach_files(executor, pid, "2", [proof])
    finally:
        executor.close()
    assert [a.name for a in list_attachments(shared, pid, "2")] == []
    assert item_view(shared, pid, "1").status == "in_progress"
    assert item_view(shared, pid, "2").status == other.status

    viewer = Store(data_dir, url=as_login(pg_url, people["viewer"]))
    try:
        assert [p.id for p in list_plans(viewer)] == [pid]
        with pytest.raises(UserError, match="Недостаточно прав"):
            update_item(viewer, pid, "1", {"status": "done"})
    finally:
        viewer.close()

    coordinator = Store(data_dir, url=as_login(pg_url, people["coordinator"]))
    try:
        update_item(coordinator, pid, "2", {"title": "Новое название", "status": "done"})
    finally:
        coordinator.close()
    assert item_view(shared, pid, "2").title == "Новое название"


def test_migrate_to_moves_everything_and_checks_it(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path / "local"
    monkeypatch.delenv("CXDESK_DB")
    local = Store(folder)
    pids = [create_plan(local, PlanRequest("szn_pilot", org)).plan_id for org in ("ЦЗН", "МФЦ")]
    update_item(local, pids[0], "1", {"status": "done", "result": "сделано"}, note="отчёт")
    proof = tmp_path / "Приказ № 1.pdf"
    proof.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 5000)
    attach_files(local, pids[1], "2", [proof])
    before = [get_plan(local, p) for p in pids]
    history = [item_history(local, pids[0], "1")]
    local.close()

    got = run_json(capsys, "--data-dir", str(folder), "migrate-to", pg_url)
    assert got["problems"] == [] and got["plans"] == 2 and got["files"] == 1
    shared = Store(tmp_path / "other", url=pg_url)
    try:
        moved = {p.uid: p for p in (get_plan(shared, v.id) for v in list_plans(shared))}
        for plan in before:
            there = moved[plan.uid]
            assert [(r.uid, r.number, r.title, r.status, r.result, r.responsible, r.version)
                    for r in there.rows] == [
                (r.uid, r.number, r.title, r.status, r.result, r.responsible, r.version)
                for r in plan.rows
            ]  # fmt: skip
        first = moved[before[0].uid]
        assert [(h.field, h.old, h.new, h.note) for h in item_history(shared, first.id, "1")] == [
            (h.field, h.old, h.new, h.note) for h in history[0]
        ]
        second = moved[before[1].uid]
        att = list_attachments(shared, second.id, "2")[0]
        assert shared.blobs.verify(att.sha256) is None
        out = tmp_path / "copy.pdf"
        shared.blobs.copy_out(att.sha256, out)
        assert out.read_bytes() == proof.read_bytes()
    finally:
        shared.close()
    # a second move of the same folder is refused, nothing doubled
    code, _out, err = run(capsys, "--data-dir", str(folder), "migrate-to", pg_url)
    assert code == 2 and "уже есть" in err


def test_backup_and_restore_of_a_shared_database(
    shared: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = create_plan(shared, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    proof = tmp_path / "акт.pdf"
    proof.write_bytes(b"%PDF-1.4 act")
    attach_files(shared, pid, "1", [proof])
    dump = tmp_path / "shared.pgdump"
    got = run_json(capsys, "backup", "-o", str(dump))
    assert Path(got["path"]) == dump and dump.stat().st_size > 0
    update_item(shared, pid, "1", {"result": "после копии"})
    got = run_json(capsys, "restore", str(dump))
    assert Path(got["previous"]).is_file()
    shared.engine.dispose()
    assert item_view(shared, pid, "1").result != "после копии"
    att = list_attachments(shared, pid, "1")[0]
    assert shared.blobs.verify(att.sha256) is None


def wait_for(call: Any, ready: Any = bool, seconds: float = 5.0) -> Any:
    """Calls until the result is ready (a notification arrives just after the commit)."""
    end = time.monotonic() + seconds
    while True:
        got = call()
        if ready(got) or time.monotonic() > end:
            return got
        time.sleep(0.02)


def test_open_windows_are_notified_of_changes(shared: Store, pg_url: str, data_dir: Path) -> None:
    probe = PostgresProbe(shared.engine)
    try:
        first = probe.read(None)
        assert first is not None
        pid = create_plan(shared, PlanRequest("szn_pilot", "ЦЗН")).plan_id
        assert wait_for(probe.pending) == {pid}
        other = Store(data_dir, url=pg_url)  # another person's program
        try:
            update_item(other, pid, "1", {"status": "in_progress"})
        finally:
            other.close()
        marker, plans, _last, named = wait_for(lambda: probe.read(first[2]), lambda g: g[3])
        assert marker != first[0] and pid in named and pid in plans
        assert probe.read(first[2])[3] == set()  # type: ignore[index]  # nothing new since
    finally:
        probe.close()


def test_history_user_is_current_user(shared: Store) -> None:
    pid = create_plan(shared, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    with shared.session() as s:
        users = set(s.execute(text('select distinct "user" from history where plan_id=:p'),
                              {"p": pid}).scalars())  # fmt: skip
    assert users == {"postgres"}


def test_attachments_stream_through_the_database_with_flat_memory(
    shared: Store, tmp_path: Path
) -> None:
    import hashlib
    import os as _os
    import tracemalloc

    big = tmp_path / "скан.pdf"
    with big.open("wb") as f:
        for _ in range(24):
            f.write(_os.urandom(1024 * 1024))
    want = hashlib.sha256(big.read_bytes()).hexdigest()
    tracemalloc.start()
    try:
        sha, size = shared.blobs.put(big)
        out = tmp_path / "обратно.pdf"
        shared.blobs.copy_out(sha, out)
        assert shared.blobs.verify(sha) is None
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (sha, size) == (want, 24 * 1024 * 1024)
    assert out.read_bytes() == big.read_bytes()
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a 24 MiB file"
    with shared.engine.connect() as con:
        chunks = con.execute(text("select chunks from blob_files where sha256=:s"), {"s": sha})
        assert chunks.scalar() == 24
    assert shared.blobs.put(big) == (sha, size)  # stored once
    with shared.engine.connect() as con:
        assert con.execute(text("select count(*) from blob_files")).scalar() == 1


def test_same_results_on_both_engines(pg_url: str, tmp_path: Path) -> None:
    """One scenario (a plan built, edited, a body's Word file imported, exported, summarised)
    on SQLite and on PostgreSQL: the same plans, the same document, the same summary."""
    import openpyxl

    from cxdesk.services.documents import export_plan
    from cxdesk.services.importing import import_file
    from cxdesk.services.summary import summarize, summary_json

    from .helpers import all_answers

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tula_plan.docx"

    def scenario(store: Store, out: Path) -> tuple[Any, Any, Any]:
        request = PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
        pid = create_plan(store, request).plan_id
        update_item(store, pid, "1.1", {"status": "done", "result": "Приказ № 5"}, note="итог")
        update_item(store, pid, "1.2", {"responsible": "Петров П.П.\nИванова Е.А."})
        imported = import_file(store, fixture).plan_id
        export_plan(store, pid, out)
        sheet = openpyxl.load_workbook(out).active
        cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        plans = [
            [(r.number, r.kind, r.title, r.status, r.result, r.responsible, r.deadline, r.version)
             for r in get_plan(store, p).rows]
            for p in (pid, imported)
        ]  # fmt: skip
        summary = summary_json(summarize(store))
        return plans, cells, summary

    local = Store(tmp_path / "local", url=f"sqlite:///{tmp_path / 'local.sqlite3'}")
    shared = Store(tmp_path / "shared", url=pg_url)
    try:
        on_sqlite = scenario(local, tmp_path / "a.xlsx")
        on_postgres = scenario(shared, tmp_path / "b.xlsx")
    finally:
        local.close()
        shared.close()
    assert on_sqlite[0] == on_postgres[0]
    assert on_sqlite[1] == on_postgres[1]
    assert on_sqlite[2] == on_postgres[2]


def test_a_person_without_rights_on_an_empty_database_is_told_whom_to_ask(
    pg_server: Any, tmp_path: Path
) -> None:
    name = f"cxdesk_empty_{uuid.uuid4().hex[:8]}"
    login = f"plain_{uuid.uuid4().hex[:8]}"
    pg_server.execute(f"CREATE DATABASE {name}")
    pg_server.execute(f"CREATE ROLE {login} LOGIN")
    try:
        with pytest.raises(UserError, match="db-setup"):
            Store(tmp_path, url=as_login(pg_server.url(name), login))
    finally:
        pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg_server.execute(f"DROP ROLE IF EXISTS {login}")


def test_the_probe_of_a_server_away_never_holds_the_window() -> None:
    from cxdesk.storage.postgres import make_engine

    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    probe = PostgresProbe(engine)
    try:
        started = time.monotonic()
        assert probe.read(None) is None
        assert probe.read(None) is None  # no new attempt right away
        assert time.monotonic() - started < 3
    finally:
        probe.close()
        engine.dispose()
