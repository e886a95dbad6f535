"""Backups, restore, a damaged database, and faults of the data folder."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.errors import BadFile, EnvironmentProblem
from cxdesk.services.attachments import attach_files, list_attachments
from cxdesk.services.backup import daily_backup, list_backups, make_backup, restore_backup
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store

from .helpers import run


def corrupt(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with db.open("r+b") as f:
        f.seek(4096 * 2)
        f.write(os.urandom(4096 * 4))


def test_backup_and_restore_round_trip(store: Store, tmp_path: Path) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    proof = tmp_path / "Приказ № 1.pdf"
    proof.write_bytes(b"%PDF proof")
    attach_files(store, pid, "1", [proof])
    backup = make_backup(store.data_dir, tmp_path / "копия.zip")
    update_item(store, pid, "1", {"status": "done"})
    sha = list_attachments(store, pid, "1")[0].sha256
    store.blobs.path(sha).unlink()  # the file is lost too
    kept = restore_backup(store.data_dir, backup)
    assert kept.exists()
    view = get_plan(store, pid)
    assert view.items()[0].status == "not_started"
    assert store.blobs.path(sha).read_bytes() == b"%PDF proof"


def test_daily_backup_once_a_day_keeps_a_week_and_weekly_copies(store: Store) -> None:
    from datetime import date, datetime, timedelta

    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    start = datetime(2026, 8, 1)
    for day in range(100):
        assert daily_backup(store.data_dir, start + timedelta(days=day)) is not None
    assert daily_backup(store.data_dir, start + timedelta(days=99)) is None
    folder = store.data_dir / "backups"
    days = sorted(date.fromisoformat(p.name[6:16]) for p in folder.glob("daily-*.sqlite3"))
    last = (start + timedelta(days=99)).date()
    assert [d for d in days if (last - d).days < 7] == [
        last - timedelta(days=i) for i in range(6, -1, -1)
    ]
    older = [d for d in days if (last - d).days >= 7]
    assert len({d.isocalendar()[:2] for d in older}) == len(older)  # one per week
    assert min(days) <= last - timedelta(weeks=8)  # two months back
    assert len(days) <= 7 + 9
    assert len(list(folder.glob("daily-*.files.json"))) == len(days)
    assert not list(folder.glob("*.part"))


def test_restore_refuses_non_backup(store: Store, tmp_path: Path) -> None:
    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    before = store.db_path.read_bytes()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("create table t(x)").connection.commit()
    for bad in (junk, other, tmp_path / "missing.zip"):
        with pytest.raises((BadFile, Exception)) as exc:
            restore_backup(store.data_dir, bad)
        assert getattr(exc.value, "message", "")
    assert store.db_path.read_bytes() == before


def test_damaged_database_clear_message_and_check(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    assert list_backups(data_dir)  # the day's backup was made on the first open
    assert run(capsys, "backup")[0] == 0
    backups = list_backups(data_dir)
    corrupt(data_dir / "cxdesk.sqlite3")
    code, _, err = run(capsys, "show", "1")
    assert code in (1, 2) and "повреждена" in err and "Traceback" not in err
    code, out, _ = run(capsys, "check")
    assert code == 1 and "восстановите" in out
    code, _, err = run(capsys, "restore", str(backups[0]))
    assert code == 0, err
    assert run(capsys, "show", "1")[0] == 0


def test_read_only_folder_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    folder = tmp_path / "ro"
    s = Store(folder)
    create_plan(s, PlanRequest("szn_pilot", "ЦЗН"))
    s.close()
    folder.chmod(0o500)
    try:
        with pytest.raises(EnvironmentProblem):
            create_plan(Store(folder), PlanRequest("szn_pilot", "ЦЗН"))
    finally:
        folder.chmod(0o700)
    assert len(list_plans(Store(folder))) == 1
