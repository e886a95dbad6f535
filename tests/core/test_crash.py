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
    )
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
