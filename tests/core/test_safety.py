"""Backups, restore, a damaged database, and faults of the data folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
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
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
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


# --- each environment fault named rightly, with the same exit code wherever it arises ---------


def _immutable(folder: Path, on: bool) -> bool:
    """Makes a folder and everything in it read-only even for root (``chattr +i``); False when
    the system cannot."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        return False
    paths = [folder, *folder.rglob("*")]
    done = subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], capture_output=True)
    return done.returncode == 0


def _cli(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "cxdesk", "--data-dir", str(data), *argv],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.fixture
def read_only(data_dir: Path) -> Iterator[Path]:
    """A data folder with a plan and an attachment, then made read-only (used by other
    processes only: a file mapped by this one must not turn read-only under it)."""
    assert _cli(data_dir, "new", "szn_pilot", "--org", "ЦЗН").returncode == 0
    proof = data_dir.parent / "акт.pdf"
    proof.write_bytes(b"%PDF proof")
    assert _cli(data_dir, "attach", "1", "1", str(proof)).returncode == 0
    assert not Path(f"{data_dir / 'cxdesk.sqlite3'}-shm").exists()
    if os.geteuid() != 0:
        for p in [data_dir, *data_dir.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
    elif not _immutable(data_dir, True):
        pytest.skip("no way to make a folder read-only for root here")
    yield data_dir
    if os.geteuid() == 0:
        _immutable(data_dir, False)
    for p in [data_dir, *data_dir.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def test_read_only_folder_is_not_damage(read_only: Path, tmp_path: Path) -> None:
    for argv in (["show", "1"], ["set", "1", "1", "--status", "done"], ["check"], ["backup"]):
        done = _cli(read_only, *argv)
        err = done.stderr
        assert done.returncode == 1, (argv, err)
        assert "только для чтения" in err and "поврежд" not in err, err
        assert "restore" not in err and err.count("\n") == 1
    elsewhere = tmp_path / "копия.zip"
    done = _cli(read_only, "backup", "-o", str(elsewhere))
    assert done.returncode == 0, done.stderr
    assert elsewhere.is_file()
    with zipfile.ZipFile(elsewhere) as z:
        assert "cxdesk.sqlite3" in z.namelist()
        assert any(n.startswith("store/") for n in z.namelist())


def test_deleted_wal_is_not_a_full_disk(data_dir: Path) -> None:
    from cxdesk.storage.db import explain_database_error

    s = Store(data_dir)
    create_plan(s, PlanRequest("szn_pilot", "ЦЗН"))
    con = sqlite3.connect(data_dir / "cxdesk.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE IF NOT EXISTS scratch(x)")
    con.execute("BEGIN")
    con.execute("INSERT INTO scratch VALUES (1)")
    con.commit()
    seen = None
    Path(f"{data_dir / 'cxdesk.sqlite3'}-wal").unlink()
    try:
        for _ in range(20):
            con.execute("INSERT INTO scratch VALUES (randomblob(100000))")
            con.commit()
    except sqlite3.DatabaseError as exc:
        seen = exc
    finally:
        con.close()
        s.close()
    if seen is None:  # this SQLite recreated the journal: make the same error text it reports
        seen = sqlite3.OperationalError("disk I/O error")
    problem = explain_database_error(seen, data_dir / "cxdesk.sqlite3")
    assert problem is not None and problem.exit_code == 1
    assert "места" not in problem.message and "-wal" in problem.message


@pytest.mark.parametrize("kind", ["fifo", "folder", "missing"])
def test_fifo_or_folder_given_as_a_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, kind: str
) -> None:
    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    target = tmp_path / f"план.{'cxplan' if kind != 'folder' else 'docx'}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    words = {"fifo": "канал", "folder": "папка", "missing": "не найден"}[kind]
    for argv in (["attach", "1", "1", str(target)], ["restore", str(target)]):
        code, _, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert words in err, (argv, err)
        if kind != "missing":
            assert "не найден" not in err
    code, _, err = run(capsys, "import", str(target))  # the import service's own words
    assert code == 2 and ("не найден" in err) == (kind == "missing"), err


# --- an empty or missing database beside data is damage --------------------------------------


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_lost_database_beside_data_is_damage(data_dir: Path, tmp_path: Path, how: str) -> None:
    assert _cli(data_dir, "new", "szn_pilot", "--org", "ЦЗН").returncode == 0
    proof = tmp_path / "акт.pdf"
    proof.write_bytes(b"%PDF proof")
    assert _cli(data_dir, "attach", "1", "1", str(proof)).returncode == 0
    assert list_backups(data_dir)  # the day's copy
    db = data_dir / "cxdesk.sqlite3"
    if how == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    done = _cli(data_dir, "plans")
    assert done.returncode == 1, done.stderr
    assert "резервной копии" in done.stderr and "restore" in done.stderr
    assert (db.stat().st_size if db.exists() else 0) == 0  # no new empty database made
    done = _cli(data_dir, "check")
    assert done.returncode == 1 and "база потеряна или повреждена" in done.stdout
    done = _cli(data_dir, "restore", str(list_backups(data_dir)[0]))
    assert done.returncode == 0, done.stderr
    assert _cli(data_dir, "show", "1").returncode == 0


def test_new_folder_still_starts_empty(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "новая"
    folder.mkdir()
    (folder / "cxdesk.sqlite3").write_bytes(b"")  # an empty file and nothing else: a new start
    assert run(capsys, "--data-dir", str(folder), "plans")[0] == 0
    assert (folder / "cxdesk.sqlite3").stat().st_size > 0


# --- backups that can be trusted --------------------------------------------------------------


def test_backup_of_a_damaged_database_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    from datetime import datetime

    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    good = sorted((data_dir / "backups").glob("daily-*.sqlite3"))
    assert good
    corrupt(data_dir / "cxdesk.sqlite3")
    out = tmp_path / "копия.zip"
    code, _, err = run(capsys, "backup", "-o", str(out))
    assert code == 1 and "повреждена" in err and "не сделана" in err, err
    assert not out.exists() and not list(tmp_path.glob(".cxdesk-*"))
    said: list[str] = []
    assert daily_backup(data_dir, datetime(2026, 11, 24), report=said.append) is None
    assert said and "повреждена" in said[0]
    backups = data_dir / "backups"
    assert sorted(backups.glob("daily-*.sqlite3")) == good  # the good copy is kept, no new one
    assert not list(backups.glob("*.part"))
    assert "backup daily-2026-11-24" in (data_dir / "logs" / "cxdesk.log").read_text()


def test_backup_names_a_tampered_attachment(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    import json

    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    for name in ("акт.pdf", "протокол.pdf"):
        (tmp_path / name).write_bytes(name.encode() * 100)
        assert run(capsys, "attach", "1", "2", str(tmp_path / name))[0] == 0
    atts = json.loads(run(capsys, "attachments", "1", "2", "--json")[1])
    tampered = data_dir / "store" / atts[0]["sha256"][:2] / atts[0]["sha256"]
    tampered.write_bytes(b"changed")
    out = tmp_path / "копия.zip"
    code, text, err = run(capsys, "backup", "-o", str(out), "--json")
    assert code == 0
    assert "акт.pdf" in err and "изменён" in err
    assert json.loads(text)["left_out"]
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("backup.json"))
    assert f"store/{atts[0]['sha256'][:2]}/{atts[0]['sha256']}" not in names
    assert f"store/{atts[1]['sha256'][:2]}/{atts[1]['sha256']}" in names
    assert manifest["database_sha256"] and manifest["left_out"]


def _limited(data: Path, limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process that cannot write files bigger than ``limit`` bytes (a
    disk that fills up: writes fail with EFBIG, as on a full disk)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "cxdesk", "--data-dir", str(data), *argv],
        capture_output=True, text=True, env=env, preexec_fn=cap, timeout=120,
    )  # fmt: skip  # noqa: PLW1509


def test_full_disk_leaves_no_part_and_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    backups = data_dir / "backups"
    for p in backups.glob("daily-*"):
        p.unlink()  # today's copy to be made again, on a full disk
    limit = (data_dir / "cxdesk.sqlite3").stat().st_size // 2
    done = _limited(data_dir, limit, "plans")
    assert done.returncode == 0, done.stderr  # the command itself still works
    assert "внимание" in done.stderr and "не сделана" in done.stderr and "мест" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list(backups.glob("*.part")) and not list(backups.glob("daily-*.sqlite3"))
    assert "backup daily-" in (data_dir / "logs" / "cxdesk.log").read_text()
    out = tmp_path / "копия.zip"
    done = _limited(data_dir, limit, "backup", "-o", str(out))
    assert done.returncode == 1 and "не записана" in done.stderr and "мест" in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".cxdesk-*"))


def test_exit_copy_keeps_the_days_work(store: Store) -> None:
    from cxdesk.services.backup import exit_backup

    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    assert daily_backup(store.data_dir) is not None  # the morning's state
    update_item(store, pid, "1", {"status": "done"})
    made = exit_backup(store.data_dir)
    assert made is not None and list_backups(store.data_dir)[0] == made
    update_item(store, pid, "1", {"status": "in_progress"})
    restore_backup(store.data_dir, list_backups(store.data_dir)[0])
    assert get_plan(store, pid).items()[0].status == "done"  # the day's work is back
