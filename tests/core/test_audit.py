"""Audit of a plan against its typical template, and the exported list of findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import delete, select, update

from cxdesk.domain.building import PlanRequest
from cxdesk.domain.doc_kinds import expected_kinds, find_mismatch
from cxdesk.services.attachments import attach_files
from cxdesk.services.audit import Finding, audit_plan, export_findings, normalize_title
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.storage.models import Plan, Row

from .helpers import all_answers, run, run_json

pytestmark = pytest.mark.both_engines


def agency(store: Store, **answers: bool) -> int:
    full = all_answers("agency", True)
    full.update(answers)
    return create_plan(store, PlanRequest("agency", "Министерство труда", answers=full)).plan_id


def remove_rows(store: Store, plan_id: int, *refs: str) -> None:
    with store.session() as s:
        s.execute(delete(Row).where(Row.plan_id == plan_id, Row.ref.in_(refs)))


def set_answers(store: Store, plan_id: int, answers: dict[str, bool]) -> None:
    with store.session() as s:
        s.execute(update(Plan).where(Plan.id == plan_id).values(answers=json.dumps(answers)))


def problems(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.problem == kind]


def test_a_plan_as_built_has_no_findings(store: Store) -> None:
    assert audit_plan(store, agency(store)) == []


def test_missing_item_of_an_included_section(store: Store) -> None:
    pid = agency(store)
    remove_rows(store, pid, "agency:3.1.4")
    (f,) = audit_plan(store, pid)
    assert (f.problem, f.item, f.row_id) == ("missing", "agency:3.1.4", None)
    assert "Утвержден порядок (правила) взаимодействия с клиентом" in f.detail


def test_done_before_and_excluded_with_basis_count_as_present(store: Store) -> None:
    full = all_answers("agency", True)
    pid = create_plan(
        store,
        PlanRequest(
            "agency", "Орган", answers=full, done={"3.1.4"}, exclusions={"3.1.5": "письмо № 1"}
        ),
    ).plan_id
    assert audit_plan(store, pid) == []


def test_block_present_against_the_answers_is_reported_once(store: Store) -> None:
    pid = agency(store, own_hr_service=True)
    answers = get_plan(store, pid).answers
    set_answers(store, pid, {**answers, "own_hr_service": False})
    found = audit_plan(store, pid)
    (f,) = problems(found, "contradicts_answers")
    block = next(r for r in get_plan(store, pid).rows if r.ref == "agency:2")
    assert (f.item, f.row_id) == (block.number, block.id)
    assert "own_hr_service" not in f.detail and "кадровая служба" in f.detail
    assert found == [f]


def test_excluded_rows_with_basis_do_not_contradict(store: Store) -> None:
    pid = agency(store, own_hr_service=True)
    for number in ("2.1", "2.2", "2.3", "2.4"):
        update_item(store, pid, number, {"status": "excluded", "basis": "письмо АЦ № 5"})
    set_answers(store, pid, {**get_plan(store, pid).answers, "own_hr_service": False})
    assert audit_plan(store, pid) == []


def test_whole_block_missing_while_answered_yes(store: Store) -> None:
    pid = agency(store, own_hr_service=False)
    set_answers(store, pid, {**get_plan(store, pid).answers, "own_hr_service": True})
    found = audit_plan(store, pid)
    assert [(f.problem, f.item) for f in found] == [("contradicts_answers", "agency:2")]
    assert found[0].row_id is None


def test_item_against_the_answers(store: Store) -> None:
    pid = agency(store, region_unified_feedback=False)
    set_answers(store, pid, {**get_plan(store, pid).answers, "region_unified_feedback": True})
    (f,) = audit_plan(store, pid)
    row = next(r for r in get_plan(store, pid).rows if r.ref == "agency:1.6")
    assert (f.problem, f.row_id) == ("contradicts_answers", row.id)


def test_without_saved_answers_nothing_is_inferred(store: Store) -> None:
    pid = agency(store, own_hr_service=False)
    set_answers(store, pid, {})
    remove_rows(store, pid, "agency:3.1.4", "agency:3.4.1")
    found = audit_plan(store, pid)
    assert [(f.problem, f.item) for f in found] == [("missing", "agency:3.4.1")]


def test_wording_changed_but_not_for_case_quotes_spaces_yo(store: Store) -> None:
    pid = agency(store)
    update_item(
        store, pid, "3.1.3",
        {"title": "ПРОВЕДЕНА  оценка удовлетворённости по всем «услугам» (сервисам)."},
    )  # fmt: skip
    assert audit_plan(store, pid) == []
    update_item(store, pid, "3.1.3", {"title": "Проведён опрос клиентов"})
    (f,) = audit_plan(store, pid)
    assert f.problem == "wording_changed" and f.item == "3.1.3."
    assert (
        f.detail
        == "В типовом плане: «Проведена оценка удовлетворенности по всем услугам (сервисам)»"
    )


def test_unreadable_deadline(store: Store) -> None:
    pid = create_plan(
        store, PlanRequest("region", "Область", answers=all_answers("region", True))
    ).plan_id
    found = audit_plan(store, pid)
    assert [(f.problem, f.item) for f in found] == [
        ("deadline_unreadable", "2.1."), ("deadline_unreadable", "2.2."),
        ("deadline_unreadable", "2.3."),
    ]  # fmt: skip
    assert "VI квартал 2023 года" in found[0].detail


def test_done_without_proof_and_document_kind(store: Store, tmp_path: Path) -> None:
    pid = agency(store, region_unified_feedback=False)
    row = next(r for r in get_plan(store, pid).rows if r.ref == "agency:1.6")
    update_item(store, pid, row.id, {"status": "done"})
    (f,) = audit_plan(store, pid)
    assert (f.problem, f.row_id) == ("done_without_proof", row.id)

    report = tmp_path / "Отчет о проведении опроса.pdf"
    report.write_bytes(b"report")
    attach_files(store, pid, row.id, [report])
    (f,) = audit_plan(store, pid)
    assert f.problem == "document_mismatch"
    assert f.detail.startswith("Ожидается приказ, прикреплён отчет")

    order = tmp_path / "Приказ № 12 от 05.03.2026.pdf"
    order.write_bytes(b"order")
    attach_files(store, pid, row.id, [order])
    assert audit_plan(store, pid) == []


def test_document_kinds_are_judged_cautiously() -> None:
    assert expected_kinds("Медиаплан (форма утверждения определяется субъектом)") == ["медиаплан"]
    assert expected_kinds(
        "Приказ (распоряжение, протокол рабочей группы, иной ненормативный правовой акт) "
        "об утверждении межведомственного плана"
    ) == ["приказ", "распоряжение", "протокол", "акт"]
    doc = "Приказ об утверждении порядка"
    assert find_mismatch(doc, ["скан 001.pdf"]) is None
    assert find_mismatch(doc, ["Распоряжение № 4.pdf"]) is None
    assert find_mismatch(doc, ["Отчет.docx", "приказ.pdf"]) is None
    assert find_mismatch("Отчет об уровне удовлетворенности", ["Доклад.docx"]) is None
    assert find_mismatch("Отчет об уровне удовлетворенности", ["Приказ 1.pdf"]) is not None
    assert normalize_title(" «Ёлка» — тест. ") == normalize_title('"елка" - ТЕСТ')


def two_findings(store: Store) -> int:
    """A plan with one item done without proof and one mandatory item removed."""
    pid = agency(store)
    remove_rows(store, pid, "agency:3.2.2")
    update_item(store, pid, "1.1", {"status": "done"})
    return pid


def test_findings_command_json_and_export(
    store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pid = two_findings(store)
    data = run_json(capsys, "audit", str(pid))
    assert data[0] == {
        "item": "1.1.",
        "problem": "done_without_proof",
        "detail": data[0]["detail"],
    }
    assert [d["problem"] for d in data] == ["done_without_proof", "missing"]
    assert data[1]["item"] == "agency:3.2.2"

    for ext in ("docx", "xlsx"):
        out = tmp_path / f"замечания.{ext}"
        got = run_json(capsys, "audit", str(pid), "-o", str(out))
        assert got == {"path": str(out), "findings": 2}
    doc = Document(str(tmp_path / "замечания.docx"))
    assert doc.paragraphs[0].text == (
        "Замечания по плану: Министерство труда (проверка по типовому плану 23.11.2026)"
    )
    section = doc.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells[0] == ["№", "Пункт", "Проблема", "Подробности"]
    assert cells[2][:3] == ["2", "agency:3.2.2", "Отсутствует обязательный пункт"]
    ws = load_workbook(tmp_path / "замечания.xlsx").active
    assert [c.value for c in ws[3]] == ["№", "Пункт", "Проблема", "Подробности"]
    assert ws.cell(row=4, column=3).value == "Выполнено без подтверждающего документа"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cxdesk-")]

    code, _out, err = run(capsys, "audit", str(pid), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and err.startswith("cxdesk: error:")


def test_rows_link_to_their_items(store: Store) -> None:
    pid = create_plan(
        store, PlanRequest("region", "Область", answers=all_answers("region", True))
    ).plan_id
    with store.session() as s:
        ids = set(s.scalars(select(Row.id).where(Row.plan_id == pid)))
    assert all(f.row_id in ids for f in audit_plan(store, pid))


def test_the_window_and_the_command_line_write_the_same_findings(
    store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pid = two_findings(store)
    by_service = export_findings(
        audit_plan(store, pid), "Министерство труда", tmp_path / "a.xlsx", "xlsx"
    )
    assert by_service == tmp_path / "a.xlsx"
    run_json(capsys, "audit", str(pid), "-o", str(tmp_path / "b.xlsx"))

    def cells(path: Path) -> list[list[object]]:
        ws = load_workbook(path).active
        return [[c.value for c in r] for r in ws.iter_rows()]

    assert cells(by_service) == cells(tmp_path / "b.xlsx")
    assert cells(by_service)[0][0] == (
        "Замечания по плану: Министерство труда (проверка по типовому плану 23.11.2026)"
    )
