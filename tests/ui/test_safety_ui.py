"""Safety in the window, on real files: one window per data folder (a second start of cxdesk hands
its file over; a lock left by a crash does not block), a damaged database at start restored from
the latest backup, a folder that refuses writes explained, backup and restore from the menu, the
day's backup, and changes made by the command line shown in the open window."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from cxdesk.cli import main as cli
from cxdesk.domain.building import PlanRequest
from cxdesk.paths import DB_NAME
from cxdesk.services.backup import list_backups, make_backup
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, row_id

from ui import app, msgbox
from ui.mainwindow import MainWindow
from ui.safety import make_backup_action, restore_action
from ui.safety.instance import LOCK_NAME, InstanceGuard
from ui.safety.recovery import folder_problem, open_or_recover
from ui.settings import Settings
from ui.tasks import Tasks

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

REPO = Path(__file__).resolve().parents[2]
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
    """Overwrites pages of the database file (after folding the WAL into it) with noise."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with db.open("r+b") as f:
        f.seek(4096 * 2)
        f.write(os.urandom(4096 * 6))


def child_env(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CXDESK_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}  # fmt: skip


# --- one window per data folder --------------------------------------------------------------
def test_second_guard_in_one_process_hands_over(qtbot: QtBot, tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path)
    assert first.claim() and first.listen()
    second = InstanceGuard(tmp_path)
    assert not second.claim()  # the lock is the first one's
    with qtbot.waitSignal(first.message, timeout=5000) as got:
        assert second.send_to_running("/tmp/план.cxplan")
    assert got.args == ["/tmp/план.cxplan"]
    first.release()
    other = tmp_path / "другая папка"
    other.mkdir()
    assert not InstanceGuard(other).send_to_running("", wait_ms=0)  # nobody serves that folder


def test_second_start_of_cxdesk_hands_its_file_to_the_open_window(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    guard = InstanceGuard(data_dir)  # the window of the test process holds the folder
    assert guard.claim() and guard.listen()
    got: list[str] = []
    guard.message.connect(got.append)
    package = tmp_path / "план от коллеги.cxplan"
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    argv = [sys.executable, "-m", "cxdesk", str(package)]
    env = child_env(data_dir, tmp_path)
    second = subprocess.Popen(argv, cwd=REPO, env=env, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60000)
    finally:
        if second.poll() is None:
            second.kill()
    _, err = second.communicate(timeout=10)
    assert second.returncode == 0, err.decode("utf-8", "replace")
    qtbot.waitUntil(lambda: got == [str(package.resolve())])
    guard.release()


def test_a_lock_left_by_a_crash_does_not_block_the_start(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from ui.safety.instance import InstanceGuard;"
        "g = InstanceGuard(Path(sys.argv[1])); assert g.claim(); print('HELD', flush=True);"
        "time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
        assert not InstanceGuard(tmp_path).claim()  # alive: the folder is taken
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert (tmp_path / LOCK_NAME).exists()  # left behind by the killed process
    guard = InstanceGuard(tmp_path)
    assert guard.claim()
    guard.release()


# --- the start ---------------------------------------------------------------------------------
def test_damaged_database_is_restored_from_the_latest_backup(
    qapp: QApplication, data_dir: Path, boxes: list
) -> None:
    store = Store(data_dir)
    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    make_backup(data_dir)
    store.close()
    corrupt(data_dir / DB_NAME)
    recovered = open_or_recover(data_dir)
    assert recovered is not None
    assert [p.org for p in list_plans(recovered)] == ["ЦЗН"]
    assert boxes[0].kind == "question" and "повреждена" in boxes[0].text
    assert "копия от" in boxes[0].text  # the latest backup, with its date
    assert any(p.name.startswith("before-restore-") for p in (data_dir / "backups").iterdir())
    recovered.close()


def test_damaged_database_and_the_user_leaves(qapp: QApplication, data_dir: Path) -> None:
    Store(data_dir).close()
    corrupt(data_dir / DB_NAME)
    with msgbox.capture(False) as shown:
        assert open_or_recover(data_dir) is None
    assert shown[0].kind == "question"


def test_start_on_a_damaged_database_opens_the_restored_plans(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    store = Store(data_dir)
    agency_plan(store)
    make_backup(data_dir)
    store.close()
    corrupt(data_dir / DB_NAME)
    monkeypatch.setenv("CXDESK_BENCH_EXIT_AFTER_PAINT", "1")  # leave once the plan is painted
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    user = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    ini, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(ini, scope, str(tmp_path / "config"))  # the window's settings stay here
    try:
        with msgbox.capture(True) as shown:
            assert app.main([]) == 0
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
        QSettings.setPath(ini, scope, user)
    assert "PAINTED" in capsys.readouterr().out
    assert [b.kind for b in shown] == ["question", "information"]
    assert "восстановлены" in shown[1].text
    store = Store(data_dir)
    assert store.quick_check() and len(list_plans(store)) == 1
    store.close()


def writeless_folder(tmp_path: Path) -> Path:
    """A folder that refuses writes: a read-only one, or (for root, whom rights do not stop)
    one under /sys, which no one may create."""
    if os.name == "posix" and os.geteuid() == 0:
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no folder refuses the superuser here")
        return Path("/sys") / f"cxdesk-{uuid.uuid4().hex}"
    folder = tmp_path / "только чтение"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_a_folder_that_refuses_writes_is_explained(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = writeless_folder(tmp_path)
    text = folder_problem(folder)
    assert "только для чтения" in text and "--data-dir" in text
    monkeypatch.setenv("CXDESK_DATA_DIR", str(folder))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with msgbox.capture() as shown:
        assert app.main([]) == 2
    assert shown[0].kind == "error" and "только для чтения" in shown[0].text
    assert "Программа будет закрыта" in shown[0].text
    assert folder_problem(tmp_path) == ""


def test_the_day_s_backup_is_made_in_the_background(data_dir: Path) -> None:
    started: list = []
    app._daily_backup(data_dir, started)
    for thread in started:
        thread.join(30)
    assert any(p.name.startswith("daily-") for p in list_backups(data_dir))


# --- the «Файл» menu -------------------------------------------------------------------------
def test_backup_and_restore_from_the_menu(
    make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    window = make_window()
    names = [a.objectName() for a in window.menus["Файл"].actions()]
    assert names.index("action_backup") < names.index("action_restore") < names.index("action_quit")
    copy = tmp_path / "копия.zip"
    make_backup_action(window, copy)
    assert copy.exists() and boxes[-1].text.endswith(str(copy))
    assert cli(["set", str(pid), "1", "--status", "done"]) == 0
    window.panel.editors["result"].setText("Отчёт")  # an edit in the window: one undo step
    window.panel.commit()
    assert window.stack_for(pid).count() == 1
    restore_action(window, copy)
    assert [b.kind for b in boxes[-2:]] == ["question", "information"]
    kept = Path(boxes[-1].text.splitlines()[-1])  # the copy of the state before, named
    assert kept.exists() and kept.name.startswith("before-restore-")
    assert get_plan(store, pid).items()[0].status == "not_started"
    assert window.model.plan is not None and window.model.plan.items()[0].status == "not_started"
    assert window.stack_for(pid).count() == 0  # the steps no longer fit the data
    assert any(p.name.startswith("before-restore-") for p in list_backups(store.data_dir))


# --- changes from outside --------------------------------------------------------------------
def test_command_line_change_shows_in_the_window(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    pid = agency_plan(store)
    other = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    window = make_window()
    qtbot.waitUntil(lambda: window.current_plan_id == pid)
    watcher = window.external_changes
    window.select_row(row_id(store, pid, "2.2"))
    window.panel.editors["result"].setText("Приказ № 5")  # an edit made in the window
    window.panel.commit()
    assert not watcher.poll()  # the window's own change is not one from outside
    assert window.stack_for(pid).count() == 1
    bar = window.tree.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = bar.value()
    assert top > 0

    assert cli(["set", str(pid), "1.4", "--status", "in_progress"]) == 0
    assert watcher.poll()
    shown = {r.number.rstrip("."): r for r in window.model.plan.items()}
    assert shown["1.4"].status == "in_progress"
    assert window.panel.row is not None and window.panel.row.number.rstrip(".") == "2.2"
    assert bar.value() == top  # the view did not jump
    assert window.stack_for(pid).count() == 0  # undo steps of a plan changed underneath
    assert "изменён вне окна" in window.statusBar().currentMessage()
    assert not watcher.poll()  # nothing new since

    window.stack_for(pid).push(QUndoCommand("шаг"))
    assert cli(["set", str(other), "1", "--status", "done"]) == 0
    assert watcher.poll()  # another plan: the list is read again, the open plan stays as it is
    assert window.current_plan_id == pid and window.stack_for(pid).count() == 1


# --- a lost database, the copy on exit, leftovers at start -----------------------------------
@pytest.mark.parametrize("how", ["empty", "missing"])
def test_lost_database_offers_the_latest_backup(
    qapp: QApplication, data_dir: Path, boxes: list, how: str
) -> None:
    store = Store(data_dir)
    create_plan(store, PlanRequest("szn_pilot", "ЦЗН"))
    make_backup(data_dir)
    store.close()
    db = data_dir / DB_NAME
    if how == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    recovered = open_or_recover(data_dir)
    assert recovered is not None
    assert boxes[0].kind == "question" and "копия от" in boxes[0].text
    assert "резервной копии" in boxes[0].text
    assert [p.org for p in list_plans(recovered)] == ["ЦЗН"]
    recovered.close()


def test_read_only_folder_is_not_offered_a_restore(qapp: QApplication, tmp_path: Path) -> None:
    blocker = tmp_path / "файл"
    blocker.write_text("not a folder")
    problem = folder_problem(blocker / "data")
    assert problem and "поврежд" not in problem


def test_copy_on_exit_is_a_setting_on_by_default(
    make_window: Make, store: Store, boxes: list
) -> None:
    from ui.safety.exit_backup import backup_on_exit
    from ui.settings import BACKUP_ON_EXIT

    window = make_window()
    action = window.safety_actions["on_exit"]
    assert action.isChecked() and window.settings.get(BACKUP_ON_EXIT) is True
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    made = backup_on_exit(store.data_dir, window.settings)
    assert made is not None and made.name.startswith("exit-")
    assert backup_on_exit(store.data_dir, window.settings) is None  # nothing changed since
    action.setChecked(False)
    assert window.settings.get(BACKUP_ON_EXIT) is False
    cli(["set", str(pid), "1", "--status", "done"])
    assert backup_on_exit(store.data_dir, window.settings) is None
    action.setChecked(True)


def test_leftovers_of_a_killed_run_are_removed_at_start(qapp: QApplication, data_dir: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    tmp = data_dir / "store" / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    left = tmp / f"in-{pid}-abcd"
    left.write_bytes(b"x" * 1000)
    store = open_or_recover(data_dir)
    assert store is not None and not left.exists()
    store.close()


def test_guard_listens_only_after_the_plan_is_painted(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    store = Store(data_dir)
    agency_plan(store)
    guard = InstanceGuard(data_dir)
    assert guard.claim()
    painted: list[bool] = []
    with msgbox.capture():
        window = MainWindow(store, Settings.in_file(tmp_path / "s.ini"), Tasks(store, False))
        qtbot.addWidget(window)
        app.after_first_paint(window, lambda: painted.append(window.model.plan is not None))
        app.after_first_paint(window, guard.listen)
        window.show()
        assert guard.server is None  # not before the plan is read and painted
        qtbot.waitUntil(lambda: bool(painted), timeout=10000)
    assert painted == [True]  # the plan's rows were shown by then
    qtbot.waitUntil(lambda: guard.server is not None)
    assert InstanceGuard(data_dir).send_to_running("", wait_ms=0)  # and later starts are heard
    guard.release()
    window.close()
    store.close()
