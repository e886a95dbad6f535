"""Tracking: attachments in the store by sha256, the data check, the tracking views."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.errors import NotFound, UserError
from cxdesk.services.attachments import (
    attach_files,
    list_attachments,
    remove_attachment,
    restore_attachment,
    save_copy,
)
from cxdesk.services.check import check_data
from cxdesk.services.common import Changes
from cxdesk.services.items import item_history, update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, people, tracking_rows
from cxdesk.storage.db import Store

from .helpers import damage_blob, run, run_json

pytestmark = pytest.mark.both_engines


def pilot(store: Store) -> int:
    return create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id


def test_attach_names_in_any_script(store: Store, tmp_path: Path) -> None:
    pid = pilot(store)
    f = tmp_path / "Приказ № 12 от 05.03.2024 (итог).pdf"
    f.write_bytes(b"%PDF-1.4 proof")
    attached = attach_files(store, pid, "1", [f])
    got = attached.files
    assert attached.changes == Changes({pid}, {got[0].row_id}, history=True)
    assert got[0].name == f.name and got[0].size == 14
    assert got[0].sha256 == hashlib.sha256(b"%PDF-1.4 proof").hexdigest()
    stored = store.blobs.path(got[0].sha256)
    assert stored.read_bytes() == b"%PDF-1.4 proof"
    assert not list((store.blobs.root / "tmp").iterdir())
    copy = save_copy(store, got[0].id, tmp_path / "копия.pdf")
    assert copy.read_bytes() == b"%PDF-1.4 proof"
    # the same content twice is stored once
    g = tmp_path / "второй.pdf"
    g.write_bytes(b"%PDF-1.4 proof")
    attach_files(store, pid, "2", [g])
    assert len(list(stored.parent.iterdir())) == 1


def test_remove_is_kept_in_history_and_undoable(store: Store, tmp_path: Path) -> None:
    pid = pilot(store)
    f = tmp_path / "отчёт.docx"
    f.write_bytes(b"x")
    (a,) = attach_files(store, pid, "3", [f]).files
    remove_attachment(store, a.id)
    assert list_attachments(store, pid, "3") == []
    fields = [(h.field, h.old, h.new) for h in item_history(store, pid, "3")]
    assert ("attachment", "", "отчёт.docx") in fields
    assert ("attachment", "отчёт.docx", "") in fields
    restore_attachment(store, a.id)
    assert [x.name for x in list_attachments(store, pid, "3")] == ["отчёт.docx"]


def test_missing_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    pid = pilot(store)
    with pytest.raises(NotFound):
        attach_files(store, pid, "1", [tmp_path / "нет такого.pdf"])
    with pytest.raises(UserError):
        attach_files(store, pid, "1", [])
    assert list_attachments(store, pid, "1") == []


def test_check_reports_altered_and_missing(store: Store, tmp_path: Path) -> None:
    pid = pilot(store)
    f1, f2 = tmp_path / "а.txt", tmp_path / "б.txt"
    f1.write_text("первый")
    f2.write_text("второй")
    a1, a2 = attach_files(store, pid, "4", [f1, f2]).files
    assert check_data(store).ok
    damage_blob(store, a1.sha256, "altered")
    damage_blob(store, a2.sha256, "missing")
    report = check_data(store)
    assert not report.ok
    kinds = {(p.kind, p.name, p.item) for p in report.problems}
    assert kinds == {("altered", "а.txt", "4"), ("missing", "б.txt", "4")}
    assert all("резервной копии" in p.fix for p in report.problems)


def test_check_cli_exit_and_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    run_json(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    f = data_dir.parent / "file.txt"
    f.write_text("proof")
    (att,) = run_json(capsys, "attach", "1", "5", str(f))
    assert run_json(capsys, "check") == {"ok": True, "problems": []}
    (data_dir / "store" / att["sha256"][:2] / att["sha256"]).write_text("tampered")
    code, out, _ = run(capsys, "check", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["problems"][0]["kind"] == "altered" and report["problems"][0]["item"] == "5"


def test_views_and_people(store: Store, tmp_path: Path) -> None:
    pid = create_plan(
        store,
        PlanRequest(
            "region",
            "Регион",
            answers={q: False for q in ("hr_centralized", "hr_independent", "it_centralized",
                                        "accounting_centralized", "admin_centralized")},
        ),
    ).plan_id  # fmt: skip
    update_item(store, pid, "1.1", {"responsible": "Иванов И.И.\nПетров П.П.", "status": "done"})
    update_item(store, pid, "1.2", {"deadline": "01.12.2026", "responsible": "Петров П.П."})
    plan = get_plan(store, pid)
    assert people(plan) == ["Иванов И.И.", "Петров П.П."]
    assert [r.number for r in tracking_rows(plan, "no_proof")] == ["1.1."]
    assert [r.number for r in tracking_rows(plan, "upcoming")] == ["1.2."]
    overdue = tracking_rows(plan, "overdue")
    assert "1.4." in [r.number for r in overdue]  # «Не позднее I квартала 2024 года»
    assert [r.number for r in tracking_rows(plan, "all", "петров п.п.")] == ["1.1.", "1.2."]


@pytest.mark.slow
def test_300_mb_attachment_flat_memory(tmp_path: Path) -> None:
    big = tmp_path / "большой архив.bin"
    with big.open("wb") as f:
        for i in range(300):
            f.write(bytes([i % 256]) * (1024 * 1024))
    want = hashlib.sha256()
    with big.open("rb") as f:
        while chunk := f.read(1 << 20):
            want.update(chunk)
    data = tmp_path / "data"
    code = (
        "import sys, json; from cxdesk.cli import main; "
        # VmHWM is this process's own peak (ru_maxrss would carry pytest's over fork+exec)
        "hwm = lambda: int([ln for ln in open('/proc/self/status') "
        "if ln.startswith('VmHWM')][0].split()[1]); "
        "main(['new', 'szn_pilot', '--org', 'ЦЗН']); "
        "base = hwm(); "
        "rc = main(['attach', '1', '1', sys.argv[1], '--json']); "
        "sys.stderr.write(json.dumps({'rc': rc, 'grew_kb': hwm() - base}))"
    )
    env = {**os.environ, "CXDESK_DATA_DIR": str(data)}
    res = subprocess.run(
        [sys.executable, "-c", code, str(big)], capture_output=True, text=True, env=env
    )
    stats = json.loads(res.stderr.strip().splitlines()[-1])
    assert stats["rc"] == 0
    assert stats["grew_kb"] < 64 * 1024, stats  # far below the file's 300 MB
    attached = json.loads(res.stdout[res.stdout.index("[") :])  # after «Создан план …»
    assert attached[0]["sha256"] == want.hexdigest()
    assert attached[0]["size"] == 300 * 1024 * 1024


def test_undo_restores_an_unreadable_template_deadline(store: Store) -> None:
    off = ("hr_centralized", "hr_independent", "it_centralized", "accounting_centralized")
    answers = {q: False for q in (*off, "admin_centralized")}
    pid = create_plan(store, PlanRequest("region", "Регион", answers=answers)).plan_id
    update_item(store, pid, "2.1", {"deadline": "31.12.2023"})
    with pytest.raises(UserError):
        update_item(store, pid, "2.1", {"deadline": "VI квартал 2023 года"})
    update_item(store, pid, "2.1", {"deadline": "VI квартал 2023 года"}, "отмена", restore=True)
    row = next(r for r in get_plan(store, pid).rows if r.number == "2.1.")
    assert row.deadline == "VI квартал 2023 года" and row.due_date is None


def test_only_counted_fields_redraw_the_plans_list(store: Store) -> None:
    off = ("hr_centralized", "hr_independent", "it_centralized", "accounting_centralized")
    answers = {q: False for q in (*off, "admin_centralized")}
    pid = create_plan(store, PlanRequest("region", "Регион", answers=answers)).plan_id
    text = update_item(store, pid, "1.1", {"responsible": "Сидоров С.С."})
    assert text.row_ids and text.history and not text.plans_list  # no count of the list moved
    status = update_item(store, pid, "1.1", {"status": "done"})
    assert status.plans_list and status.history
    deadline = update_item(store, pid, "1.2", {"deadline": "01.12.2026"})
    assert deadline.plans_list  # overdue is counted from the deadline
    same = update_item(store, pid, "1.2", {"deadline": "01.12.2026"})
    assert not same.plans_list and not same.history
