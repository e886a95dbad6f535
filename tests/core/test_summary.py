"""The summary over many plans: per body, per template item, per block, and its documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import delete

from cxdesk.domain.building import PlanRequest
from cxdesk.services.attachments import attach_files
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.summary import summarize
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.storage.models import Row

from .helpers import all_answers, run_json

pytestmark = pytest.mark.both_engines


def number_of(store: Store, plan_id: int, ref: str) -> str:
    return next(r.number for r in get_plan(store, plan_id).rows if r.ref == ref)


@pytest.fixture
def three(store: Store, tmp_path: Path) -> tuple[int, int, int]:
    """Body A (agency, everything in), body B (agency, little in), C (the pilot programme)."""
    a = create_plan(
        store, PlanRequest("agency", "Орган А", answers=all_answers("agency", True))
    ).plan_id
    b = create_plan(
        store,
        PlanRequest("agency", "Орган Б", answers=all_answers("agency", False), done={"1.2"}),
    ).plan_id
    c = create_plan(store, PlanRequest("szn_pilot", "ЦЗН В")).plan_id
    proof = tmp_path / "Приказ № 1.pdf"
    proof.write_bytes(b"order")
    update_item(store, a, number_of(store, a, "agency:1.1"), {"status": "done"})
    attach_files(store, a, number_of(store, a, "agency:1.1"), [proof])
    update_item(store, a, number_of(store, a, "agency:1.2"), {"status": "done"})
    update_item(store, a, number_of(store, a, "agency:1.4"), {"status": "in_progress"})
    update_item(store, a, number_of(store, a, "agency:3.4.7"), {"status": "done"})
    update_item(store, b, number_of(store, b, "agency:1.1"), {"status": "in_progress"})
    update_item(
        store, b, number_of(store, b, "agency:3.4.1"), {"status": "excluded", "basis": "письмо"}
    )
    with store.session() as s:
        s.execute(delete(Row).where(Row.plan_id == b, Row.ref == "agency:1.7"))
    update_item(store, c, "1", {"status": "done"})
    update_item(store, c, "2", {"status": "in_progress"})
    return a, b, c


def test_counts_per_body(store: Store, three: tuple[int, int, int]) -> None:
    a, b, c = three
    summary = summarize(store, None)
    by_plan = {p.plan: p for p in summary.plans}
    items_a = len(get_plan(store, a).items())
    pa = by_plan[a]
    # A: items 3.1.7–3.6.7 are due 31.12.2024, one of them (3.4.7) done
    assert (pa.items, pa.done, pa.in_progress, pa.overdue) == (items_a, 3, 1, 5)
    assert pa.done_without_proof == 2 and pa.not_started == items_a - 9
    assert pa.share_done == round(3 / items_a, 3)
    pb = by_plan[b]
    items_b = len(get_plan(store, b).items())
    assert (pb.items, pb.excluded, pb.done, pb.in_progress, pb.overdue) == (
        items_b - 1, 1, 0, 1, 3,
    )  # fmt: skip
    pc = by_plan[c]
    # the pilot: 12 items, 10 dated in 2022, 2 «на протяжении всего периода»
    assert (pc.items, pc.done, pc.in_progress, pc.overdue, pc.not_started) == (12, 1, 0, 9, 2)
    assert summary.total.items == pa.items + pb.items + pc.items
    assert summary.total.done == 4


def test_counts_per_template_item(store: Store, three: tuple[int, int, int]) -> None:
    summary = summarize(store, None)
    by_ref = {i.ref: i for i in summary.by_item}
    assert [i.ref for i in summary.by_item][:3] == ["agency:1.1", "agency:1.2", "agency:1.5-sub"]
    assert by_ref["agency:1.1"].done_orgs == ["Орган А"]
    assert by_ref["agency:1.1"].in_progress_orgs == ["Орган Б"]
    assert by_ref["agency:1.2"].done_orgs == ["Орган А", "Орган Б"]  # Б: done before the plan
    assert by_ref["agency:1.7"].missing_orgs == ["Орган Б"]
    assert by_ref["agency:3.4.7"].done_orgs == ["Орган А"]
    assert by_ref["agency:3.4.7"].overdue_orgs == ["Орган Б"]
    assert by_ref["agency:3.1.7"].overdue_orgs == ["Орган А"]
    assert by_ref["agency:3.1.7"].missing_orgs == []  # Б does not provide services
    assert by_ref["agency:3.4.1"].excluded_orgs == ["Орган Б"]
    assert by_ref["szn_pilot:1"].done_orgs == ["ЦЗН В"] and by_ref["szn_pilot:1"].plans == 1
    assert [i.ref for i in summary.by_item][-1] == "szn_pilot:12"


def test_counts_per_block(store: Store, three: tuple[int, int, int]) -> None:
    summary = summarize(store, None)
    blocks = {b.key: b for b in summary.by_block}
    first = blocks["agency:1"]
    assert (first.done, first.in_progress) == (2, 2)
    assert blocks["agency:3"].overdue == 5 + 3
    assert blocks["szn_pilot:"].items == 12
    assert sum(b.items for b in summary.by_block) == summary.total.items


def test_summary_command_and_documents(
    store: Store, three: tuple[int, int, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b, c = three
    data = run_json(capsys, "summary", str(a), str(b))
    assert [p["org"] for p in data["plans"]] == ["Орган А", "Орган Б"]
    assert set(data["plans"][0]) >= {
        "plan", "org", "items", "done", "in_progress", "overdue", "done_without_proof",
        "share_done",
    }  # fmt: skip
    item = next(i for i in data["by_item"] if i["ref"] == "agency:3.4.7")
    assert (item["done"], item["overdue"], item["missing"]) == (1, 1, 0)
    assert item["overdue_orgs"] == ["Орган Б"]
    assert not any(i["ref"].startswith("szn_pilot:") for i in data["by_item"])

    xlsx = tmp_path / "сводка.xlsx"
    assert run_json(capsys, "summary", "-o", str(xlsx)) == {"path": str(xlsx), "plans": 3}
    wb = load_workbook(xlsx)
    ws = wb["Сводка"]
    assert ws["A1"].value.startswith("Сводка о ходе реализации планов мероприятий")
    assert ws["A2"].value == "по состоянию на 23.11.2026"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    total = next(r for r in values if r[1] == "Итого")
    assert total[3] == 4
    assert any(r[0] == "3.4.7." and r[6] == "Орган Б" for r in values)
    assert wb["По блокам"]._charts

    docx = tmp_path / "сводка.docx"
    run_json(capsys, "summary", "-o", str(docx))
    doc = Document(str(docx))
    assert doc.paragraphs[0].text.startswith("Сводка о ходе реализации планов")
    first = [[cell.text for cell in r.cells] for r in doc.tables[0].rows]
    assert first[-1][1] == "Итого" and first[1][1] == "Орган А"
    assert len(doc.tables) == 1 + 2 + 1  # bodies, two templates' items, blocks
