"""Helpers for core tests: answers that include or leave out everything, a CLI runner, and the
plan that the docx and xlsx round trips write and read back, the imported plans compared with
the expected ones."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cxdesk.cli import main
from cxdesk.domain.templates import get_template
from cxdesk.io.model import AttachmentInfo, PlanDoc, ReadResult, Row


def all_answers(template_id: str, value: bool) -> dict[str, bool]:
    """Every question answered ``value``; the «unified procedure» questions the other way round
    when ``value`` is False (so that everything is left out)."""
    t = get_template(template_id)
    out = {q.id: value for q in t.questions}
    for qid in ("region_unified_registry", "region_unified_feedback"):
        if qid in out:
            out[qid] = not value
    return out


def answer_args(answers: dict[str, bool]) -> list[str]:
    args = []
    for qid, v in answers.items():
        args += ["--answer", f"{qid}={'yes' if v else 'no'}"]
    return args


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Runs the command line in-process; returns (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def damage_blob(store: Any, sha256: str, how: str) -> None:
    """Alters (``altered``) or loses (``missing``) a stored file, on either engine's store."""
    if store.kind == "postgresql":
        from sqlalchemy import text

        with store.engine.begin() as con:
            if how == "missing":
                con.execute(text("DELETE FROM blob_files WHERE sha256 = :s"), {"s": sha256})
            else:
                con.execute(
                    text(
                        "UPDATE blob_chunks SET data = :d WHERE blob_id = "
                        "(SELECT id FROM blob_files WHERE sha256 = :s) AND seq = 0"
                    ),
                    {"d": "подмена".encode(), "s": sha256},
                )
        return
    path = store.blobs.path(sha256)
    if how == "missing":
        path.unlink()
    else:
        path.write_text("подмена")


#: The fields of a row that cxdesk's own export keeps and its readers read back.
ROUND_TRIP_FIELDS = ("kind", "number", "title", "deadline", "responsible", "document", "status",
                     "basis", "done_date", "uid", "ref", "attachments")  # fmt: skip


def round_trip_plan(start: str = "") -> PlanDoc:
    """A plan as cxdesk exports it: a block, a done item with an attached file and two people
    responsible, an excluded item with its basis (``start``: the done item's start date)."""
    rows = [
        Row("block", "1.", "Организационные мероприятия", uid="b1", ref="agency:1"),
        Row(
            "item",
            "1.1.",
            "Назначен ответственный",
            start=start,
            deadline="31.03.2024",
            responsible="Иванов И.И.\nПетров П.П.",
            document="Приказ",
            uid="i1",
            ref="agency:1.1",
            status="done",
            done_date="01.03.2024",
            attachments=[AttachmentInfo("приказ.pdf", 10, "ab" * 32, "2024-03-01T10:00:00")],
        ),
        Row(
            "item",
            "1.2.",
            "Утверждена модель",
            deadline="I квартал 2024 года",
            uid="i2",
            ref="agency:1.2",
            status="excluded",
            basis="письмо от 01.02.2024 № 5",
        ),
    ]
    return PlanDoc(
        title="План мероприятий",
        approver_position="Министр",
        approver_name="А.С. Иванова",
        approval_date="15.03.2024",
        rows=rows,
        uid="P1",
        template_id="agency",
    )


def assert_read_back(back: PlanDoc, plan: PlanDoc, layout: str, fields: Sequence[str]) -> None:
    """The plan read back from its export in ``layout`` has the plan's own fields and rows."""
    assert (back.uid, back.title, back.approver_name, back.approval_date) == (
        plan.uid, plan.title, plan.approver_name, plan.approval_date,
    )  # fmt: skip
    for got, want in zip(back.rows, plan.rows, strict=True):
        for name in fields:
            assert getattr(got, name) == getattr(want, name), (layout, want.number, name)


EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "expected"
#: The fields of a row the import tests compare with the expected plans.
FIELDS = ("title", "start", "deadline", "responsible", "result", "document", "materials", "note")


def expected(name: str) -> dict[str, Any]:
    """The expected plan of the fixture ``name`` (tests/fixtures/expected/<name>.json)."""
    with (EXPECTED / f"{name}.json").open(encoding="utf-8") as fh:
        return dict(json.load(fh))


def check_plan(result: ReadResult, want: dict[str, Any]) -> None:
    """Compares a read plan with a hand-written expectation, field by field, row by row."""
    plan = result.plan
    for name in ("title", "org", "approver_position", "approver_name", "approval_date"):
        assert getattr(plan, name) == want[name], name
    assert [column.key for column in plan.columns] == want["columns"]
    counts = Counter(row.kind for row in plan.rows)
    assert {kind: counts.get(kind, 0) for kind in want["counts"]} == want["counts"]
    assert len(plan.rows) == len(want["rows"])
    for row, wanted in zip(plan.rows, want["rows"], strict=True):
        label = f"{wanted['kind']} {wanted['number']}"
        assert (row.kind, row.number) == (wanted["kind"], wanted["number"]), label
        for name in FIELDS:
            assert getattr(row, name) == wanted.get(name, ""), f"{label}: {name}"
    joined = [w for w in result.warnings if "текст присоединён" in w]
    assert len(joined) == want["joined_rows"], result.warnings


def exit_probe(at_exit: str) -> str:
    """A program that runs the command line as ``cxdesk`` does, writes «left at once» to stderr
    when ``cli.run`` leaves through ``os._exit``, and runs ``at_exit`` (a Python expression)
    among the exit handlers."""
    return f"""
import atexit, os, sys
from cxdesk import cli
leave = os._exit
def left_at_once(code):
    sys.stderr.write("left at once\\n")
    sys.stderr.flush()
    leave(code)
os._exit = left_at_once
atexit.register(lambda: {at_exit})
sys.argv = ["cxdesk", *sys.argv[1:]]
cli.run()
"""
