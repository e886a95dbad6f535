"""Plan creation by the inclusion rules, numbering afresh, and changing the answers later."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxdesk.domain.building import PlanRequest, build_rows, fresh_numbers, node_included
from cxdesk.domain.templates import get_template
from cxdesk.errors import NotFound, UserError
from cxdesk.services.common import STATUSES, Changes
from cxdesk.services.items import update_item
from cxdesk.services.plans import change_answers, create_plan, exclude_item
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from .helpers import all_answers

pytestmark = pytest.mark.both_engines


def make(store: Store, template: str, value: bool = True, **kw: object) -> int:
    req = PlanRequest(
        template_id=template, org="Министерство", answers=all_answers(template, value)
    )
    for k, v in kw.items():
        setattr(req, k, v)
    return create_plan(store, req).plan_id


@pytest.mark.parametrize(
    ("template", "value", "count"),
    [
        ("agency", True, 76),
        ("agency", False, 25),
        ("region", True, 59),
        ("region", False, 30),
        ("szn_pilot", True, 12),
    ],
)
def test_reference_counts(store: Store, template: str, value: bool, count: int) -> None:
    plan = get_plan(store, make(store, template, value))
    assert len(plan.items()) == count


def test_done_item_is_left_out(store: Store) -> None:
    plan = get_plan(store, make(store, "region", False, done={"1.1"}))
    assert len(plan.items()) == 29
    assert "region:1.1" not in {r.ref for r in plan.rows}
    assert plan.done_refs == ["1.1"]


def test_rows_numbered_afresh_keep_refs(store: Store) -> None:
    plan = get_plan(store, make(store, "agency", False))
    numbers = [(r.number, r.ref) for r in plan.rows]
    # block 2 (HR) is left out, so block 3 becomes 2 and its section 3.4 becomes 2.1
    assert numbers[0] == ("1.", "agency:1")
    assert ("1.3.", "agency:1.4") in numbers
    assert ("2.", "agency:3") in numbers
    assert ("2.1.", "agency:3.4") in numbers
    assert ("2.1.1.", "agency:3.4.1") in numbers
    assert len({r.number for r in plan.rows}) == len(plan.rows)


def test_agency_duplicate_number_gets_distinct_refs(store: Store) -> None:
    plan = get_plan(store, make(store, "agency", True))
    block1 = [r for r in plan.rows if r.ref.startswith("agency:1.")]
    assert [r.ref for r in block1][:4] == [
        "agency:1.1",
        "agency:1.2",
        "agency:1.5-sub",
        "agency:1.3",
    ]
    assert [r.number for r in block1][:4] == ["1.1.", "1.2.", "1.3.", "1.4."]


def test_exclusion_by_agreement_stays_visible(store: Store) -> None:
    pid = make(store, "agency", True, exclusions={"1.7": "Письмо АЦ № 5 от 01.02.2024"})
    plan = get_plan(store, pid)
    row = next(r for r in plan.rows if r.ref == "agency:1.7")
    assert row.status == "excluded"
    assert row.basis == "Письмо АЦ № 5 от 01.02.2024"
    assert len(plan.items()) == 76


def test_deadline_text_kept_and_read(store: Store) -> None:
    plan = get_plan(store, make(store, "region", False))
    r24 = next(r for r in plan.rows if r.ref == "region:1.4")
    assert r24.deadline == "Не позднее I квартала 2024 года"
    assert r24.due_date is not None and r24.due_date.isoformat() == "2024-03-31"
    r21 = next(r for r in plan.rows if r.ref == "region:2.1")
    assert r21.deadline == "VI квартал 2023 года"
    assert r21.due_date is None and not r21.overdue


def test_missing_answer_is_named(store: Store) -> None:
    answers = all_answers("agency", True)
    del answers["performs_control"]
    with pytest.raises(UserError, match="performs_control"):
        create_plan(store, PlanRequest("agency", "Орган", answers=answers))
    with pytest.raises(NotFound, match="Нет типового плана"):
        create_plan(store, PlanRequest("nope", "Орган"))


def test_change_answers_adds_and_removes_only_affected(store: Store) -> None:
    answers = all_answers("agency", False)
    pid = make(store, "agency", False)
    before = {r.ref: r for r in get_plan(store, pid).rows}
    update_item(store, pid, "1.1", {"status": "in_progress", "result": "Приказ № 1"})
    change = change_answers(store, pid, {"provides_services": True})
    assert change.added == ["agency:1.5"] + [f"agency:3.1.{i}" for i in range(1, 8)]
    assert change.changes == Changes({pid}, structure=True, history=True, plans_list=True)
    after = get_plan(store, pid)
    assert len(after.items()) == 25 + 8
    r11 = next(r for r in after.rows if r.ref == "agency:1.1")
    assert (r11.id, r11.status, r11.result) == (
        before["agency:1.1"].id,
        "in_progress",
        "Приказ № 1",
    )
    # document order: the maps item follows 1.4 and section 3.1 opens block 3
    refs = [r.ref for r in after.rows]
    assert refs.index("agency:1.5") == refs.index("agency:1.4") + 1
    assert refs.index("agency:3.1") == refs.index("agency:3") + 1
    assert [r.number for r in after.rows if r.ref.startswith("agency:3.1")][:2] == [
        "2.1.",
        "2.1.1.",
    ]

    # a row with data is kept as excluded, an untouched one removed
    update_item(store, pid, "2.1.2", {"status": "done"})
    change = change_answers(store, pid, {"provides_services": False})
    assert change.kept_excluded == ["agency:3.1.2"]
    assert "agency:3.1.1" in change.removed and "agency:1.5" in change.removed
    final = get_plan(store, pid)
    kept = next(r for r in final.rows if r.ref == "agency:3.1.2")
    assert kept.status == "excluded" and "государственные услуги" in kept.basis
    assert json.loads(json.dumps(final.answers)) == {**answers, "provides_services": False}
    assert "agency:3.1" in {r.ref for r in final.rows}  # its heading stays above the kept row

    # answering yes again restores it
    change = change_answers(store, pid, {"provides_services": True})
    assert change.restored == ["agency:3.1.2"]


def test_dry_run_changes_nothing(store: Store) -> None:
    pid = make(store, "agency", False)
    change = change_answers(store, pid, {"own_hr_service": True}, dry_run=True)
    assert len(change.added) == 4
    assert len(get_plan(store, pid).items()) == 25


def test_exclude_needs_basis(store: Store) -> None:
    pid = make(store, "szn_pilot")
    with pytest.raises(UserError):
        exclude_item(store, pid, "3", "  ")
    exclude_item(store, pid, "3", "Письмо № 7")
    assert get_plan(store, pid).items()[2].status == "excluded"


def test_fresh_numbers_schemes() -> None:
    rows = [("block", 0), ("item", 1), ("block", 0), ("section", 1), ("item", 2), ("item", 2)]
    assert fresh_numbers(rows, "dotted") == ["1.", "1.1.", "2.", "2.1.", "2.1.1.", "2.1.2."]
    assert fresh_numbers([("item", 0)] * 3, "plain") == ["1", "2", "3"]


def test_wizard_preview_matches_store(store: Store) -> None:
    t = get_template("agency")
    req = PlanRequest("agency", "Орган", answers=all_answers("agency", True), done={"1.2"})
    preview = build_rows(t, req)
    plan = get_plan(store, create_plan(store, req).plan_id)
    assert [(p.number, "agency:" + p.ref) for p in preview] == [
        (r.number, r.ref) for r in plan.rows
    ]


def test_answers_there_and_back_keep_everything(store: Store, tmp_path) -> None:
    """A done item answered «Нет» then «Да» comes back done, with its result, responsible,
    completion date and files; an in-progress one comes back in progress."""
    from cxdesk.services.attachments import attach_files

    pid = make(store, "agency", True)
    proof = tmp_path / "приказ.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    update_item(
        store,
        pid,
        "3.1.2",
        {"status": "done", "result": "Приказ № 7", "responsible": "Иванова И.И.",
         "done_date": "01.11.2026"},
    )  # fmt: skip
    update_item(store, pid, "3.1.3", {"status": "in_progress", "note": "в работе"})
    attach_files(store, pid, "3.1.2", [proof])
    before = {r.ref: r for r in get_plan(store, pid).rows}
    change_answers(store, pid, {"provides_services": False})
    mid = {r.ref: r for r in get_plan(store, pid).rows}
    assert mid["agency:3.1.2"].status == "excluded"
    change = change_answers(store, pid, {"provides_services": True})
    assert set(change.restored) == {"agency:3.1.2", "agency:3.1.3"}
    after = {r.ref: r for r in get_plan(store, pid).rows}
    for ref in ("agency:3.1.2", "agency:3.1.3"):
        a, b = after[ref], before[ref]
        assert (a.id, a.status, a.result, a.responsible, a.done_date, a.note, a.basis) == (
            b.id, b.status, b.result, b.responsible, b.done_date, b.note, b.basis,
        )  # fmt: skip
    assert after["agency:3.1.2"].attachments == ["приказ.pdf"]
    assert set(after) == set(before)


_FIELDS = ("result", "responsible", "note")


def _conditional(template, ref: str) -> bool:
    node = template.node(ref.split(":", 1)[1])
    return any(n.include_if for n in (node, *node.ancestors()))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(
                st.just("answer"), st.sampled_from(get_template("agency").questions), st.booleans()
            ),
            st.tuples(
                st.just("edit"),
                st.integers(0, 200),
                st.sampled_from(("done", "in_progress", "not_started", *_FIELDS)),
            ),
        ),  # fmt: skip
        min_size=1,
        max_size=8,
    )
)
def test_property_no_entered_data_lost_by_answers(store: Store, steps: list) -> None:
    """Random answer changes between edits: every value the user entered stays on its item, and
    every item whose answers include it again carries the status it was given."""
    template = get_template("agency")
    answers = all_answers("agency", True)
    pid = make(store, "agency", True)
    entered: dict[str, dict[str, str]] = {}
    for n, (kind, a, b) in enumerate(steps):
        if kind == "answer":
            answers[a.id] = b
            change_answers(store, pid, {a.id: b})
            continue
        items = [
            r
            for r in get_plan(store, pid).items()
            if r.status != "excluded" and _conditional(template, r.ref)
        ]
        if not items:
            continue
        row = items[a % len(items)]
        value = {"status": b} if b in STATUSES else {b: f"значение {n}"}
        if update_item(store, pid, f"#{row.id}", value).history:  # something was entered
            entered.setdefault(row.ref, {}).update(value)
    plan = {r.ref: r for r in get_plan(store, pid).rows}
    for ref, values in entered.items():
        assert ref in plan, f"{ref} пропал"
        row = plan[ref]
        wanted = node_included(template.node(ref.split(":", 1)[1]), answers)
        for name, value in values.items():
            if name == "status":
                assert row.status == (value if wanted else "excluded"), ref
            else:
                assert getattr(row, name) == value, (ref, name)
    # every answer back to «Да»: each entered status is back
    change_answers(store, pid, all_answers("agency", True))
    plan = {r.ref: r for r in get_plan(store, pid).rows}
    for ref, values in entered.items():
        if "status" in values:
            assert plan[ref].status == values["status"], ref


def test_items_brought_back_by_answers_get_what_the_wizard_gave(store: Store) -> None:
    """Untouched items removed by an answer and brought back by the next one get the plan's
    defaults and its moved past deadlines, not the template's raw values."""
    req = PlanRequest(
        template_id="agency",
        org="Министерство",
        answers=all_answers("agency", True),
        default_responsible="Отдел развития",
        past_deadlines="shift",
        shift_years=2,
    )
    pid = create_plan(store, req).plan_id
    before = {r.ref: (r.deadline, r.responsible) for r in get_plan(store, pid).items()}
    assert before["agency:3.1.7"] == ("31.12.2026", "Отдел развития")
    change_answers(store, pid, {"provides_services": False})
    assert "agency:3.1.7" not in {r.ref for r in get_plan(store, pid).rows}
    change_answers(store, pid, {"provides_services": True})
    after = {r.ref: (r.deadline, r.responsible) for r in get_plan(store, pid).items()}
    assert after == before
