"""«Go to the item» from the audit and the check: another plan is opened first, then the row is
selected; the plan already shown is not read again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from cxdesk.services.views import RowView
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan

from ui.beyond.common import go_to_item as audit_go_to
from ui.mainwindow import MainWindow
from ui.mainwindow.plan_model import ROW_ROLE
from ui.settings import Settings
from ui.tasks import Tasks
from ui.tracking.check_dialog import go_to_item as check_go_to


def _current(window: MainWindow) -> RowView:
    row = window.tree.currentIndex().data(ROW_ROLE)
    assert row is not None
    return row


def _window(qtbot: QtBot, store: Store, tmp_path: Path) -> MainWindow:
    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    return window


def test_go_to_an_item_of_another_plan_opens_it_then_selects(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    first, second = agency_plan(store), agency_plan(store)
    window = _window(qtbot, store, tmp_path)
    window.open_plan(first)
    assert window.current_plan_id == first
    shown: list[int] = []
    window.plan_opened.connect(shown.append)
    check_go_to(window, second, "1.3")
    assert window.current_plan_id == second
    assert shown == [second]  # read and shown once (marking it in the plans list reads nothing)
    assert _current(window).number == "1.3."
    target = next(r for r in window.model.rows if r.number == "1.4.")
    audit_go_to(window, first, None)
    assert window.current_plan_id == first
    audit_go_to(window, second, None)
    audit_go_to(window, second, target.id)  # already shown: selected at once
    assert _current(window).id == target.id
    opened: list[int] = []
    window.plan_opened.connect(opened.append)
    window.open_plan_then(second, lambda: opened.append(-1))
    assert opened == [-1]  # the plan shown is not opened again
