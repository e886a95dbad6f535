"""The command line contract (cli.md): JSON output, exit codes, one-line errors, no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import all_answers, answer_args, run, run_json


def test_templates_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    data = run_json(capsys, "templates")
    assert {(d["id"], d["items"]) for d in data} == {
        ("region", 59),
        ("agency", 76),
        ("szn_pilot", 12),
    }
    assert all(d["title"] and d["version"] for d in data)


def test_questions_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    data = run_json(capsys, "questions", "agency")
    ids = [q["id"] for q in data]
    assert ids[0] == "has_subordinates" and "admin_economic" in ids and len(ids) == 11
    assert all(q["help"] for q in data)


@pytest.mark.parametrize(("value", "count"), [(True, 76), (False, 25)])
def test_new_and_show(
    capsys: pytest.CaptureFixture[str], data_dir: Path, value: bool, count: int
) -> None:
    made = run_json(
        capsys, "new", "agency", "--org", "Минтруд", *answer_args(all_answers("agency", value))
    )
    assert made["items"] == count
    shown = run_json(capsys, "show", str(made["plan"]))
    items = [r for r in shown["rows"] if r["kind"] == "item"]
    assert len(items) == count
    assert shown["template"] == "agency" and shown["org"] == "Минтруд"
    assert shown["rows"][0]["number"] == "1." and shown["rows"][0]["kind"] == "block"
    assert set(items[0]) >= {"id", "number", "ref", "title", "deadline", "status", "basis", "start"}
    assert all(r["ref"].startswith("agency:") for r in shown["rows"])


def test_set_history_and_overdue(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    pid = str(run_json(capsys, "new", "szn_pilot", "--org", "ЦЗН")["plan"])
    shown = run_json(capsys, "show", pid)
    # every pilot deadline lies in 2022: not done → overdue
    assert shown["rows"][0]["status"] == "overdue"
    assert run_json(capsys, "set", pid, "1", "--status", "in_progress")["status"] == "overdue"
    assert (
        run_json(capsys, "set", pid, "1", "--status", "done", "--comment", "вебинар проведён")[
            "status"
        ]
        == "done"
    )
    hist = run_json(capsys, "history", pid, "1")
    statuses = [h for h in hist if h["field"] == "status"]
    assert [(h["old"], h["new"]) for h in statuses] == [
        ("not_started", "in_progress"),
        ("in_progress", "done"),
    ]
    assert statuses[1]["note"] == "вебинар проведён" and statuses[1]["user"] is not None
    assert set(hist[0]) == {"at", "user", "field", "old", "new", "note"}


def test_answer_exclude_edit(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    pid = str(
        run_json(
            capsys, "new", "region", "--org", "Регион", *answer_args(all_answers("region", False))
        )["plan"]
    )
    ans = run_json(capsys, "answer", pid, "hr_centralized=yes")
    assert len(ans["added"]) == 4 and ans["removed"] == [] and ans["kept_excluded"] == []
    ex = run_json(capsys, "exclude", pid, "1.4", "--basis", "Письмо АЦ № 1")
    assert ex["status"] == "excluded"
    run_json(
        capsys, "edit", pid, "--approver-position", "Губернатор", "--approver-name", "И.И. Иванов"
    )
    plans = run_json(capsys, "plans")
    assert plans[0]["items"] == 34 and plans[0]["org"] == "Регион"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["new", "nosuch", "--org", "X"], "Нет типового плана"),
        (["new", "agency", "--org", "X"], "has_subordinates"),
        (["show", "42"], "Нет плана"),
        (["show", "²"], "Нет плана"),  # a digit to Python, but no number
        (["set", "1", "#²", "--status", "done"], "нет пункта"),
        (["set", "1", "9.9.9", "--status", "done"], "нет пункта"),
        (["set", "1", "1", "--status", "finished"], "Неизвестный статус"),
        (["set", "1", "1", "--start", "31.02.2024"], "не дата"),
        (["set", "1", "1", "--deadline", "VI квартал 2024"], "не распознан"),
        (["answer", "1", "bogus=yes"], "нет вопроса"),
        (["frobnicate"], "недопустимое значение"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_changed(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str], needle: str
) -> None:
    run_json(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    before = run_json(capsys, "show", "1")
    with pytest.raises(SystemExit) if argv[0] == "frobnicate" else _nullctx() as exc:
        code, out, err = run(capsys, *argv)
    if argv[0] == "frobnicate":
        code = exc.value.code  # type: ignore[union-attr]
        err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cxdesk: error:") and needle in lines[0]
    assert "Traceback" not in err
    assert run_json(capsys, "show", "1") == before


class _nullctx:
    value = None

    def __enter__(self) -> _nullctx:
        return self

    def __exit__(self, *a: object) -> None:
        return None


def _cli(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CXDESK_DATA_DIR": str(data)}
    code = (
        "import sys; from cxdesk.cli import main; rc = main(sys.argv[1:]); "
        "sys.stderr.write('QT=' + str('PySide6.QtWidgets' in sys.modules)); "
        "sys.exit(rc)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env
    )


def test_real_process_no_qt_no_traceback(tmp_path: Path) -> None:
    data = tmp_path / "fresh"  # created on first use
    made = _cli(data, "new", "szn_pilot", "--org", "ЦЗН", "--json")
    assert made.returncode == 0, made.stderr
    shown = _cli(data, "show", "1", "--json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["rows"]
    assert shown.stderr.endswith("QT=False")
    bad = _cli(data, "show", "7")
    assert bad.returncode == 2
    assert bad.stderr.startswith("cxdesk: error:") and "Traceback" not in bad.stderr
    assert (data / "cxdesk.sqlite3").exists()


def test_unexpected_error_goes_to_log(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "cxdesk.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    res = _cli(data, "plans")
    assert res.returncode in (1, 2)
    assert res.stderr.startswith("cxdesk: error:") and "Traceback" not in res.stderr


def test_export_tells_a_missing_program_file_from_a_write_fault(tmp_path: Path) -> None:
    from cxdesk.services.plan_docs import _writing_fault

    out = tmp_path / "out" / "plan.docx"
    out.parent.mkdir()
    with pytest.raises(OSError) as resource:
        (tmp_path / "site-packages" / "docx" / "templates" / "default.docx").read_bytes()
    with pytest.raises(OSError) as target:
        (out.parent / "missing-folder" / "x.tmp").write_bytes(b"")
    missing_resource, missing_target = resource.value, target.value
    assert not _writing_fault(missing_resource, out)
    assert not _writing_fault(missing_target, out)  # not beside the file: a bug, logged
    import errno

    assert _writing_fault(OSError(errno.ENOSPC, "No space left on device"), out)
    assert _writing_fault(OSError(errno.EACCES, "Denied", str(out.parent / ".plan.tmp")), out)
