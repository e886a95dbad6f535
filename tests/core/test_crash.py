"""kill -9 in the middle of long work: the database stays whole, no plan is half imported, and an
existing export is never left half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.services.documents import export_plan
from cxdesk.services.plans import create_plan
from cxdesk.storage.db import Store

from .helpers import all_answers

pytestmark = pytest.mark.slow


def _cli(data: Path, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CXDESK_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "cxdesk", *argv],
        env=env,
        encoding="utf-8",
        errors="replace",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _big_docx(tmp_path: Path, items: int = 3000) -> Path:
    from tests.benchmarks.bench import big_plan

    store = Store(tmp_path / "source")
    pid = create_plan(
        store, PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    ).plan_id
    big_plan(store, pid, items)
    out = tmp_path / "большой план.docx"
    export_plan(store, pid, out)
    return out


def test_kill_during_import_leaves_no_partial_plan(tmp_path: Path) -> None:
    big = _big_docx(tmp_path)
    data = tmp_path / "data"
    first = _cli(data, "new", "szn_pilot", "--org", "ЦЗН")
    first.communicate(timeout=60)
    full = _cli(data, "import", str(big), "--dry-run", "--json")
    out, err = full.communicate(timeout=120)
    expected_items = json.loads(out)["items"]
    for delay in (0.05, 0.3, 0.6, 1.0, 1.5, 2.5):
        proc = _cli(data, "import", str(big))
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        check = _cli(data, "check", "--json")
        out, err = check.communicate(timeout=120)
        assert json.loads(out)["ok"], out + err
        plans = _cli(data, "plans", "--json")
        listing = json.loads(plans.communicate(timeout=60)[0])
        assert listing[0]["items"] == 12
        for p in listing[1:]:
            assert p["items"] == expected_items, (delay, p)


def test_kill_during_export_never_leaves_half_file(tmp_path: Path) -> None:
    big = _big_docx(tmp_path, 2000)
    store = Store(tmp_path / "source")
    data = store.data_dir
    target = tmp_path / "выгрузка.docx"
    export_plan(store, 1, target)
    before = target.read_bytes()
    for delay in (0.1, 0.4, 0.8, 1.2):
        proc = _cli(data, "export", "1", "-o", str(target), "--layout", "report")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        with zipfile.ZipFile(target) as z:  # whole: the old file or the new one
            assert z.testzip() is None
        assert target.read_bytes() == before or target.stat().st_size > 0
        before = target.read_bytes()
    assert big.exists()


# --- temporaries left by kill -9 are removed at the next start and counted by check ----------


def _kill_when(proc: subprocess.Popen[str], appeared: Callable[[], list[Path]]) -> list[Path]:
    """SIGKILL as soon as the process's temporary exists; returns what was left."""
    deadline = time.monotonic() + 60
    found: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        found = appeared()
        if found:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return [p for p in found if p.exists()]


def test_leftovers_of_kill_9_are_removed_and_counted(tmp_path: Path) -> None:
    big = tmp_path / "скан.bin"
    with big.open("wb") as f:
        for _ in range(150):
            f.write(os.urandom(1024 * 1024))
    store = Store(tmp_path / "data")
    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    data = store.data_dir
    store.close()
    out_dir = tmp_path / "выгрузки"
    out_dir.mkdir()
    tmp = data / "store" / "tmp"
    attached = _cli(data, "attach", "1", "1", str(big))  # the file is needed for pack below
    attached.communicate(timeout=120)
    trials = [
        (["attach", "1", "2", str(big)], lambda: list(tmp.glob("in-*"))),
        (["pack", "1", "-o", str(out_dir / "пакет.cxplan")], lambda: list(out_dir.glob(".*.tmp"))),
        (["backup", "-o", str(out_dir / "копия.zip")],
         lambda: list(out_dir.glob(".cxdesk-backup-*"))),
    ]  # fmt: skip
    for argv, appeared in trials:
        left = _kill_when(_cli(data, *argv), appeared)
        assert left, argv  # the kill came while the temporary existed
        check = _cli(data, "check", "--json")
        out, err = check.communicate(timeout=120)
        report = json.loads(out)
        assert report["ok"], out + err
        assert report.get("leftovers", 0) >= len(left), (argv, report)
        assert not [p for p in left if p.exists()]
    assert not list(tmp.glob("in-*")) and not list(out_dir.glob(".*"))
    again = json.loads(_cli(data, "check", "--json").communicate(timeout=120)[0])
    assert "leftovers" not in again  # nothing more to remove


def test_a_running_process_keeps_its_temporaries(tmp_path: Path) -> None:
    from cxdesk.services.leftovers import find_leftovers

    data = tmp_path / "data"
    (data / "store" / "tmp").mkdir(parents=True)
    mine = data / "store" / "tmp" / f"in-{os.getpid()}-abcd"
    mine.write_bytes(b"being written")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        other = data / "store" / "tmp" / f"in-{sleeper.pid}-abcd"
        other.write_bytes(b"being written")
        assert find_leftovers(data) == []
    finally:
        sleeper.kill()
        sleeper.wait()
    assert find_leftovers(data) == [other]
