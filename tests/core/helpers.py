"""Helpers for core tests: answers that include or leave out everything, a CLI runner."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cxdesk.cli import main
from cxdesk.domain.templates import get_template


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
