"""Guidance: the transcribed recommendations, the reviewed mapping, and the item's method."""

from __future__ import annotations

import json
import re

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.domain.templates import get_template
from cxdesk.errors import NotFound
from cxdesk.paths import resources_dir
from cxdesk.services.guidance import guidance_for, mapping, recommendations
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from .helpers import all_answers, run_json

pytestmark = pytest.mark.both_engines

GUIDANCE = resources_dir() / "guidance"
PHONE = re.compile(
    r"\+\d[\d\s()-]{6,}\d|(?<![\d.№/-])[78][\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z_]\w{2,}")


def test_every_mapped_ref_and_recommendation_exists() -> None:
    recs = recommendations()
    links = mapping()
    assert len(links) >= 18  # reviewed item by item (see not_linked for what was dropped)
    for ref, pairs in links.items():
        template_id, _, local = ref.partition(":")
        try:
            node = get_template(template_id).node(local)
        except NotFound:
            pytest.fail(f"{ref} нет в шаблоне")
        assert node.kind == "item", ref
        assert pairs, ref
        for rid, reason in pairs:
            assert rid in recs, (ref, rid)
            assert reason.strip() and "\n" not in reason
    for rec in recs.values():
        assert rec.method and rec.result and rec.title and rec.federal_item
        if rec.same_as:
            assert rec.same_as in recs


def test_no_personal_contacts_remain() -> None:
    raw = (GUIDANCE / "recommendations.json").read_text(encoding="utf-8")
    for pattern in (PHONE, EMAIL, HANDLE):
        assert not pattern.search(raw), pattern.search(raw)
    assert "Миронов" not in raw and "телеграм" not in raw.lower()
    data = json.loads(raw)
    assert data["contact"] == "Контакт для консультаций даёт Аналитический центр."
    assert sum("даёт Аналитический центр" in " ".join(r["method"]) for r in data["recommendations"])
    # the patterns do catch what they are meant to
    assert PHONE.search("+79001234567") and PHONE.search("8 (900) 123-45-67")
    assert EMAIL.search("name@example.ru") and HANDLE.search("пишите @SomeName")
    assert not PHONE.search("письмом от 23.03.2023 № 01-11/1631")


def test_satisfaction_assessment_maps_to_the_recommendation_for_5_1_6() -> None:
    g, business = guidance_for("agency:3.1.3")
    assert g.id == "ac-5.1.6" and g.federal_item == "5.1.6"
    assert business.id == "ac-6.1.6" and business.same_as_item == "5.1.6"
    assert "форма № 1 приложения № 3 к Методике ОС" in g.method_text()
    assert g.result == "Аналитический отчет" and g.reason
    assert recommendations()["ac-5.1.6"].topic == "satisfaction"


def test_see_also_carries_the_method_it_points_to() -> None:
    found = {g.id: g for g in guidance_for("agency:3.6.3")}
    assert set(found) == {"ac-7.3.4", "ac-7.4.4", "ac-7.1.2", "ac-7.2.2"}
    g = found["ac-7.2.2"]
    assert g.same_as_item == "7.1.2"
    assert g.method == recommendations()["ac-7.1.2"].method
    assert g.method_text().startswith("Методика та же, что для п. 7.1.2")
    assert guidance_for("agency:2.1") == [] and guidance_for("") == []


def test_guidance_command(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    pid = create_plan(
        store, PlanRequest("agency", "Орган", answers=all_answers("agency", True))
    ).plan_id
    number = next(r.number for r in get_plan(store, pid).rows if r.ref == "agency:3.1.3")
    data = run_json(capsys, "guidance", str(pid), number)
    assert data["ref"] == "agency:3.1.3"
    assert [g["id"] for g in data["guidance"]] == ["ac-5.1.6", "ac-6.1.6"]
    assert data["guidance"][0]["method"][0].startswith("1. Провести опрос")
    assert run_json(capsys, "guidance", str(pid), "1.1")["guidance"] == []


def test_mapping_reviewed_item_by_item() -> None:
    """«Государство для бизнеса» has its natural places; the weak links are gone, each with the
    reason it was not kept."""
    assert [g.id for g in guidance_for("agency:3.4.3")] == ["ac-5.2.4", "ac-6.4.4"]
    assert [g.id for g in guidance_for("agency:3.5.3")] == ["ac-5.3.2", "ac-6.5.2"]
    linked = {rid for pairs in mapping().values() for rid, _ in pairs}
    assert {"ac-6.1.6", "ac-6.4.4", "ac-6.5.2"} <= linked
    for ref in ("region:2.6", "szn_pilot:7", "szn_pilot:8"):
        assert guidance_for(ref) == [], ref
    data = json.loads((GUIDANCE / "mapping.json").read_text(encoding="utf-8"))
    rejected = {x["ref"]: x["reason"] for x in data["not_linked"]}
    assert set(rejected) == {"region:2.6", "szn_pilot:7", "szn_pilot:8"}
    assert all(len(r) > 40 for r in rejected.values())
    assert not set(rejected) & set(mapping())
