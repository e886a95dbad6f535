"""The plan's filter made fast: typing on narrows among the rows that passed before and gives the
same rows as filtering afresh; the same rows passing again redraw nothing; a filter keeps the
tree's measured row heights; items tell the tree they never have rows under them."""

from __future__ import annotations

import random

from pytestqt.qtbot import QtBot

from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, region_plan

from ui.mainwindow.filter_bar import Criteria
from ui.mainwindow.plan_model import PlanModel

WORDS = ["о", "оц", "оценка", "1.", "1.1", "приказ", "иванова е", "клиент", "ё", "Раздел", " "]


def reference(model: PlanModel, c: Criteria) -> list[bool]:
    """The rows that pass, worked out row by row in the plainest way."""
    rows, test, n = model.rows, c.compile(), len(model.rows)
    if not c.active:
        return [True] * n
    hays = [m.haystack for m in model.marks]
    keep = [False] * n
    for i, row in enumerate(rows):
        if row.kind == "item":
            keep[i] = keep[i] or test.item_passes(row, hays[i])
        elif c.text_only and test.matches(hays[i]):  # a heading found: everything under it
            keep[i] = True
            j = i + 1
            while j < n and rows[j].depth > row.depth:
                keep[j] = True
                j += 1
    for i in range(n - 1, -1, -1):  # blocks and sections of what passes (parents come first)
        if keep[i] and model._up[i] >= 0:
            keep[model._up[i]] = True
    return keep


def test_typing_on_gives_the_rows_of_a_fresh_filter(qtbot: QtBot, store: Store) -> None:
    rnd = random.Random(7)
    for plan in (get_plan(store, agency_plan(store)), get_plan(store, region_plan(store))):
        model = PlanModel()
        model.set_plan(plan)
        for _ in range(150):
            status = rnd.choice(["all", "all", "done", "overdue", "not_started", "no_proof"])
            person = rnd.choice(["", "", "Иванова Е. А."])
            text = ""
            for _ in range(4):
                text += rnd.choice(["", " "]) + rnd.choice(WORDS)
                c = Criteria(status=status, responsible=person, text=text)
                model.set_criteria(c)
                shown = [model.index_of(r.id).isValid() for r in model.rows]
                assert shown == reference(model, c), (status, person, text)
                assert model.shown_items == sum(
                    s and r.kind == "item" for s, r in zip(shown, model.rows, strict=True)
                )


def test_the_same_rows_passing_again_redraw_nothing(qtbot: QtBot, store: Store) -> None:
    model = PlanModel()
    model.set_plan(get_plan(store, agency_plan(store)))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.set_criteria(Criteria(text="Приказ"))
    assert not model.set_criteria(Criteria(text="Приказ "))  # the same words
    assert resets == [1]
    assert model.set_criteria(Criteria())
    assert model.first_shown_item() == next(r.id for r in model.rows if r.kind == "item")


def test_items_never_have_rows_under_them(qtmodeltester, store: Store) -> None:
    model = PlanModel()
    model.set_plan(get_plan(store, agency_plan(store)))
    model.set_criteria(Criteria(text="отчет"))
    qtmodeltester.check(model)
    model.set_criteria(Criteria())
    for i, row in enumerate(model.rows[:40]):
        index = model.index_of(row.id)
        assert model.hasChildren(index) == (row.kind != "item" and model.rowCount(index) > 0), i
