"""Safety in the window: one window per data folder, recovery from a damaged database, backup
and restore from the menu, and changes made by the command line shown in the open window."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cxdesk.cli import main as cli
from cxdesk.domain.building import PlanRequest
from cxdesk.services.backup import make_backup
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.safety import make_backup_action, restore_action
from ui.safety.instance import InstanceGuard
from ui.safety.recovery import open_or_recover
from ui.settings import Settings
from ui.tasks import Tasks

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Make = Callable[[], MainWindow]


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture(True) as shown:
        yield shown


@pytest.fixture
def make_window(qtbot: QtBot, store: Store, tmp_path: Path, boxes: list) -> Make:
    def make() -> MainWindow:
        window = MainWindow(store, Settings.in_file(tmp_path / "s.ini"), Tasks(store, True))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def corrupt(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with db.open("r+b") as f:
        f.seek(4096 * 2)
        f.write(os.urandom(4096 * 4))


def test_second_instance_hands_over_and_first_hears(qtbot: QtBot, tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path)
    assert first.claim()
    second = InstanceGuard(tmp_path)
    with qtbot.waitSignal(first.message, timeout=5000) as got:
        assert second.send_to_running("/tmp/план.cxplan")
    assert got.args == ["/tmp/план.cxplan"]
    assert not second.claim()  # the lock is held by the first
    first.release()
    other = InstanceGuard(tmp_path / "другая папка")
    (tmp_path / "другая папка").mkdir()
    assert not other.send_to_running("")  # nobody serves that folder


def test_damaged_database_is_restored_from_the_latest_backup(
    qapp: QApplication, data_dir: Path, boxes: list
) -> None:
    store = Store(data_dir)
    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    make_backup(data_dir)
    store.close()
    corrupt(data_dir / "cxdesk.sqlite3")
    recovered = open_or_recover(data_dir)
    assert recovered is not None
    assert [p.org for p in list_plans(recovered)] == ["ЦЗН"]
    assert boxes[0].kind == "question" and "повреждена" in boxes[0].text
    assert any(p.name.startswith("before-restore-") for p in (data_dir / "backups").iterdir())


def test_damaged_database_and_user_leaves(qapp: QApplication, data_dir: Path) -> None:
    Store(data_dir).close()
    corrupt(data_dir / "cxdesk.sqlite3")
    with msgbox.capture(False):
        assert open_or_recover(data_dir) is None


def test_backup_and_restore_from_the_menu(
    make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    window = make_window()
    assert "backup" in window.safety_actions and "restore" in window.safety_actions
    copy = make_backup_action(window, tmp_path / "копия.zip")
    assert copy is not None and copy.exists()
    cli(["set", str(pid), "1", "--status", "done"])
    assert restore_action(window, copy)
    assert get_plan(store, pid).items()[0].status == "not_started"


def test_command_line_change_shows_in_the_window(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    window = make_window()
    qtbot.waitUntil(lambda: window.current_plan_id == pid)
    watcher = window.external_changes
    watcher.poll()  # settle
    assert cli(["set", str(pid), "2", "--status", "in_progress"]) == 0
    assert watcher.poll()
    qtbot.waitUntil(
        lambda: (
            window.model.plan is not None and window.model.plan.items()[1].status == "in_progress"
        )
    )
    assert not watcher.poll()  # nothing new since
