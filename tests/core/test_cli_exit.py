"""The program's exit after a command (``cxdesk.cli.run``): everything said is out, the exit
handlers ran, the status is the command's, even though the interpreter's teardown is skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cxdesk.paths import DB_NAME

from .helpers import all_answers, answer_args, exit_probe

_PROGRAM = exit_probe('sys.stderr.write("exit handlers ran\\n")')


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CXDESK_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-c", _PROGRAM, *args], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)  # fmt: skip


def test_command_output_complete_and_exit_handlers_run(data_dir: Path) -> None:
    made = _run(data_dir, "new", "agency", "--org", "Минтруд", "--json",
                *answer_args(all_answers("agency", True)))  # fmt: skip
    assert made.returncode == 0, made.stderr
    plan = json.loads(made.stdout)["plan"]
    shown = _run(data_dir, "show", str(plan), "--json")
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)["rows"]  # the whole document, nothing cut off at the exit
    assert sum(r["kind"] == "item" for r in rows) == 76
    assert "exit handlers ran" in shown.stderr
    assert shown.stderr.endswith("left at once\n")  # the teardown was skipped
    plans = json.loads(_run(data_dir, "plans", "--json").stdout)
    assert [p["id"] for p in plans] == [plan]  # the new plan was kept by the first exit
    # the stores were closed before leaving: the database is whole in its one file
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(DB_NAME)) == [DB_NAME]


def test_bad_input_keeps_its_status_and_message(data_dir: Path) -> None:
    res = _run(data_dir, "show", "99", "--json")
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr.startswith("cxdesk: error: ") and "exit handlers ran" in res.stderr
