"""The window's item models pass Qt's model tester and show statuses the agreed way."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan, list_plans, load_rows
from cxdesk.storage.db import Store
from tests.ui.helpers import BASIS, agency_plan, region_plan, row_id

from ui.mainwindow import status
from ui.mainwindow.filter_bar import Criteria
from ui.mainwindow.item_fields import HistoryModel
from ui.mainwindow.plan_model import COLUMN, ROW_ROLE, PlanModel
from ui.mainwindow.plans_list import PlansModel

Display = Qt.ItemDataRole.DisplayRole


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    """Icons and fonts need the application object."""


def _model(store: Store, plan_id: int) -> PlanModel:
    model = PlanModel()
    model.set_plan(get_plan(store, plan_id))
    return model


def _cell(model: PlanModel, row: int, column: str, role: int = Display) -> object:
    return model.data(model.index_of(row, COLUMN[column]), role)


def test_plan_model_passes_the_model_tester(qtmodeltester, store: Store) -> None:
    model = _model(store, agency_plan(store))
    qtmodeltester.check(model)
    model.set_plan(get_plan(store, region_plan(store)))
    qtmodeltester.check(model)
    model.set_plan(None)
    qtmodeltester.check(model)


def test_tree_follows_depth_order(store: Store) -> None:
    plan_id = agency_plan(store)
    model = _model(store, plan_id)
    first_block = model.index(0, 0)
    assert model.row_at(first_block).kind == "block"
    assert model.rowCount(first_block) == 9  # items 1.1 … 1.9
    section = model.index_of(row_id(store, plan_id, "3.1"))
    assert model.row_at(model.parent(section)).number == "3."
    item = model.index_of(row_id(store, plan_id, "3.1.2"))
    assert model.row_at(model.parent(item)).number == "3.1."
    assert model.rowCount(model.index(0, 1)) == 0  # children only under column 0


def test_status_shows_icon_colour_and_text(store: Store) -> None:
    plan_id = agency_plan(store)
    model = _model(store, plan_id)
    late = row_id(store, plan_id, "1.3")
    assert _cell(model, late, "status") == "Просрочено"
    assert not _cell(model, late, "status", Qt.ItemDataRole.DecorationRole).isNull()
    assert _cell(model, late, "status", Qt.ItemDataRole.ForegroundRole) == status.COLORS["overdue"]
    assert _cell(model, late, "title", Qt.ItemDataRole.ForegroundRole) == status.COLORS["overdue"]
    assert "Просрочено: срок 31.10.2026" in _cell(model, late, "title", Qt.ItemDataRole.ToolTipRole)

    soon = row_id(store, plan_id, "1.4")  # 01.12.2026, eight days after «today»
    assert (
        _cell(model, soon, "deadline", Qt.ItemDataRole.ForegroundRole) == status.COLORS["upcoming"]
    )
    assert "Ближайший срок: 01.12.2026" in _cell(
        model, soon, "deadline", Qt.ItemDataRole.ToolTipRole
    )

    done = row_id(store, plan_id, "1.1")
    assert _cell(model, done, "status") == "Выполнено"

    gone = row_id(store, plan_id, "1.8")
    assert _cell(model, gone, "status") == "Исключено"
    assert _cell(model, gone, "number", Qt.ItemDataRole.ForegroundRole) == status.COLORS["excluded"]
    assert BASIS in _cell(model, gone, "number", Qt.ItemDataRole.ToolTipRole)

    block = model.index(0, COLUMN["title"])
    assert model.data(block, Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, COLUMN["status"])) == ""


def test_unreadable_deadline_is_marked_for_correction(store: Store) -> None:
    plan_id = region_plan(store)
    model = _model(store, plan_id)
    bad = row_id(store, plan_id, "2.1")
    assert _cell(model, bad, "deadline") == "VI квартал 2023 года"
    assert _cell(model, bad, "deadline", Qt.ItemDataRole.BackgroundRole) == (
        status.UNREADABLE_BACKGROUND
    )
    assert "не распознан" in _cell(model, bad, "deadline", Qt.ItemDataRole.ToolTipRole)
    assert not _cell(model, bad, "deadline", Qt.ItemDataRole.DecorationRole).isNull()


def test_update_rows_refreshes_only_the_changed_rows(qtbot: QtBot, store: Store) -> None:
    from cxdesk.services.items import update_item

    plan_id = agency_plan(store)
    model = _model(store, plan_id)
    target = row_id(store, plan_id, "2.3")
    changes = update_item(store, plan_id, f"#{target}", {"status": "done"})
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.update_rows(load_rows(store, plan_id, changes.row_ids))
    top, bottom = blocker.args[0], blocker.args[1]
    assert model.row_at(top).id == target and top.row() == bottom.row()
    assert _cell(model, target, "status") == "Выполнено"
    assert model.plan is not None
    assert next(r for r in model.plan.rows if r.id == target).status == "done"


def test_filtered_model_passes_the_model_tester(qtmodeltester, store: Store) -> None:
    model = _model(store, agency_plan(store))
    model.set_criteria(Criteria(status="overdue"))
    qtmodeltester.check(model)
    model.set_criteria(Criteria(text="реестр"))
    qtmodeltester.check(model)
    model.set_criteria(Criteria(text="нет такого текста"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.shown_items == 0


def _shown(model: PlanModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for i in range(model.rowCount(parent)):
        index = model.index(i, 0, parent)
        row = index.data(ROW_ROLE)
        if row.kind == "item":
            out.append(row.number)
        out += _shown(model, index)
    return out


def test_filter_criteria(store: Store) -> None:
    plan_id = agency_plan(store)
    model = _model(store, plan_id)
    model.set_criteria(Criteria(status="done"))
    assert _shown(model) == ["1.1.", "1.2.", "2.1."]
    model.set_criteria(Criteria(overdue_only=True))
    assert "1.3." in _shown(model) and "1.6." in _shown(model) and len(_shown(model)) == 7
    assert model.shown_items == 7
    model.set_criteria(Criteria(status="upcoming"))
    assert _shown(model) == ["1.4."]
    model.set_criteria(Criteria(status="excluded"))
    assert _shown(model) == ["1.8."]
    model.set_criteria(Criteria(responsible="Сидорова М. И."))
    assert _shown(model) == ["1.5."]  # exactly this person, not «Сидорова М. И., консультант…»
    model.set_criteria(Criteria(text="РЕЕСТР межведомственных"))
    assert _shown(model) == ["1.4.", "1.5."]
    model.set_criteria(Criteria(text="кадровый блок"))  # a heading: with all its items
    assert _shown(model) == ["2.1.", "2.2.", "2.3.", "2.4."]
    assert model.shown_items == 4


def test_plans_model(qtmodeltester, store: Store) -> None:
    agency_plan(store)
    region_plan(store)
    model = PlansModel()
    model.set_plans(list_plans(store))
    qtmodeltester.check(model)
    assert model.data(model.index(0)) == "Министерство труда и социальной защиты Тульской области"
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "Выполнено 3 из 47 (6 %), просрочено 7, исключено 1" in tip


def test_history_model_in_russian(qtmodeltester, store: Store) -> None:
    plan_id = agency_plan(store)
    model = HistoryModel()
    model.set_entries(item_history(store, plan_id, "1.1"))
    qtmodeltester.check(model)
    texts = [model.data(model.index(i, 1)) for i in range(model.rowCount())]
    assert any(t.startswith("Статус: В работе → Выполнено") for t in texts)
    assert any("Комментарий: приказ подписан" in t for t in texts)
    assert texts[-1].startswith("Пункт создан (Не начато)")
    assert not any("in_progress" in t or "not_started" in t for t in texts)
