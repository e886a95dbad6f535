"""The plan's filter made fast: typing on narrows among the rows that passed before and gives the
same rows as filtering afresh, and the tree Qt walks holds exactly those rows; the same rows
passing again redraw nothing; a filter keeps the tree's measured row heights; items tell the tree
they never have rows under them; the tree's own cells take no edits and no drops."""

from __future__ import annotations

import random

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, region_plan, row_id

from ui.mainwindow.filter_bar import Criteria
from ui.mainwindow.plan_model import COLUMN, PlanModel
from ui.mainwindow.plan_tree import PlanTree

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


def walked(model: PlanModel, parent: QModelIndex | None = None) -> list[int]:
    """The ids of the rows as Qt walks the tree (index, parent, rowCount), in order."""
    parent = parent or QModelIndex()
    out = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        row = model.row_at(index)
        assert row is not None and model.parent(index) == parent
        title = model.index(r, COLUMN["title"], parent)
        assert title.data() == row.title and model.rowCount(title) == 0  # rows hang on column 0
        out.append(row.id)
        out += walked(model, index)
    return out


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
                passing = [r.id for r, s in zip(model.rows, shown, strict=True) if s]
                assert walked(model) == passing, (status, person, text)
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


def test_the_trees_own_cells_take_no_edits_and_no_drops(qtbot: QtBot, store: Store) -> None:
    plan_id = agency_plan(store)
    model = PlanModel()
    tree = PlanTree()
    qtbot.addWidget(tree)
    tree.setModel(model)
    model.set_plan(get_plan(store, plan_id))
    model.set_criteria(Criteria(text="реестр"))
    tree.expand_headings()
    tree.resize(900, 500)
    tree.show()
    item = row_id(store, plan_id, "1.4")
    title = model.index_of(item, COLUMN["title"])
    before = title.data()
    tree.setCurrentIndex(title)
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    centre = tree.visualRect(title).center()
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert tree.state() != QAbstractItemView.State.EditingState
    assert not model.setData(title, "другой текст")
    mime = QMimeData()
    mime.setText("перетащенный текст")
    move = Qt.DropAction.MoveAction
    assert not model.canDropMimeData(mime, move, -1, -1, title)
    assert not model.dropMimeData(mime, move, -1, -1, title)
    assert title.data() == before and model.rowCount(title) == 0
    assert walked(model) == [r.id for r in model.rows if model.index_of(r.id).isValid()]
