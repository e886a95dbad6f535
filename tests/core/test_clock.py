"""Everything that reads the date reads it through cxdesk.clock: a dated scenario run years
later (a fixed CXDESK_TODAY far from the real date) stamps, names and judges by that date alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from cxdesk import clock


def _cli(data: Path, today: str, *args: str) -> dict | list:  # type: ignore[type-arg]
    env = {**os.environ, "CXDESK_DATA_DIR": str(data), "CXDESK_TODAY": today}
    res = subprocess.run([sys.executable, "-m", "cxdesk", *args, "--json"], capture_output=True,
                         text=True, env=env, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_clock_follows_the_fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXDESK_TODAY", "2031-02-28")
    assert clock.today() == date(2031, 2, 28)
    assert clock.now().date() == date(2031, 2, 28)
    assert clock.now_aware().date() == date(2031, 2, 28) and clock.now_aware().tzinfo
    monkeypatch.delenv("CXDESK_TODAY")
    assert clock.today() == date.today()


@pytest.mark.parametrize("shift_years", [1])
def test_a_dated_scenario_years_later(tmp_path: Path, shift_years: int) -> None:
    day = date.today().replace(month=6, day=15) + timedelta(days=365 * shift_years)
    today, shown = day.isoformat(), day.strftime("%d.%m.%Y")
    data = tmp_path / "data"
    made = _cli(data, today, "new", "szn_pilot", "--org", "ЦЗН")
    plan = str(made["plan"])  # type: ignore[index]
    _cli(data, today, "set", plan, "1", "--status", "done")
    _cli(
        data, today, "set", plan, "2", "--deadline", (day - timedelta(days=3)).strftime("%d.%m.%Y")
    )
    _cli(
        data, today, "set", plan, "3", "--deadline", (day + timedelta(days=5)).strftime("%d.%m.%Y")
    )
    proof = tmp_path / "приказ.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    _cli(data, today, "attach", plan, "1", str(proof))

    history = _cli(data, today, "history", plan, "1")
    assert history and all(h["at"].startswith(today) for h in history)  # type: ignore[union-attr]
    assert {"field": "done_date", "new": shown} in [
        {"field": h["field"], "new": h["new"]}
        for h in history  # type: ignore[union-attr]
    ]
    files = _cli(data, today, "attachments", plan, "1")
    assert all(f["added"].startswith(today) for f in files)  # type: ignore[union-attr]
    overdue = _cli(data, today, "due", plan, "--view", "overdue")
    upcoming = _cli(data, today, "due", plan, "--view", "upcoming")
    late = [r["number"] for r in overdue]  # type: ignore[union-attr, index]
    soon = [r["number"] for r in upcoming]  # type: ignore[union-attr, index]
    assert "2" in late and "3" not in late and "1" not in late  # done is never overdue
    assert soon == ["3"]
    _cli(data, today, "backups")
    assert (data / "backups" / f"daily-{today}.sqlite3").exists()
    report = tmp_path / "report.docx"
    _cli(data, today, "report", plan, "-o", str(report))
    import docx

    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert shown in text
