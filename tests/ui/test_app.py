"""Starting the window: ``cxdesk`` with no command, on an empty and on a full data folder; a
database that cannot be opened is explained in a dialog, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cxdesk.paths import DB_NAME
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan

from ui import app, msgbox

REPO = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        CXDESK_DATA_DIR=str(data_dir),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # the window's settings stay in the test
        HOME=str(tmp_path),
    )
    code = "import sys; from cxdesk.cli import main; sys.exit(main([]))"
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["empty", "full"])
def test_cxdesk_without_a_command_opens_the_window(tmp_path: Path, full: bool) -> None:
    data = tmp_path / "data"
    if full:
        store = Store(data)
        agency_plan(store)
        store.close()
    process = _start(data, tmp_path)
    try:
        deadline = time.monotonic() + 60  # a busy machine may take long to start Qt
        while not (data / DB_NAME).exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.2)
        time.sleep(1)
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "error" not in text.lower(), text
    assert (data / DB_NAME).exists()


def test_a_broken_database_is_explained(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "broken"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    monkeypatch.setenv("CXDESK_DATA_DIR", str(data))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    with msgbox.capture() as shown:
        assert app.main([]) == 2  # no backup to restore: the user can only choose one or leave
    assert shown[0].kind == "question" and "поврежд" in shown[0].text
    assert "Резервных копий в папке данных нет" in shown[0].text


def test_the_excepthook_logs_and_explains(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook(tmp_path)
    try:
        raise RuntimeError("проверка журнала")
    except RuntimeError as exc:
        with msgbox.capture() as shown:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown[0].kind == "bug" and str(tmp_path / "logs" / "cxdesk.log") in shown[0].text
    assert "проверка журнала" in (tmp_path / "logs" / "cxdesk.log").read_text("utf-8")


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_window_paints_its_plan_before_the_store_and_then_takes_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the data folder's own SQLite file, the plans list and the last plan are painted from
    the light read; the commands that write wait, disabled, until the store opens behind the
    window; then the features come in and an edit is saved in the database."""
    from PySide6.QtCore import QSettings, QStandardPaths, QTimer
    from PySide6.QtWidgets import QApplication

    from cxdesk.services.items import item_view

    from ui.mainwindow import MainWindow
    from ui.mainwindow.actions import Act

    data = tmp_path / "data"
    store = Store(data)
    plan_id = agency_plan(store)
    store.close()
    monkeypatch.setenv("CXDESK_DATA_DIR", str(data))
    monkeypatch.delenv("CXDESK_DB", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    user = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    ini, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(ini, scope, str(tmp_path / "config"))
    seen: dict[str, object] = {}

    def window() -> MainWindow | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        return found[0] if found else None

    def first() -> None:
        w = window()
        if w is None or not w.isVisible():
            QTimer.singleShot(1, first)
            return
        seen["before"] = (
            w.store is None,
            w.model.plan is not None and w.model.plan.id,
            w.acts[Act.NEW_PLAN].isEnabled(),
            w.acts[Act.DELETE_PLAN].isEnabled(),
        )
        QTimer.singleShot(1, attached)

    def attached() -> None:
        w = window()
        assert w is not None
        if w.store is None or not w.plans_loaded:
            QTimer.singleShot(10, attached)
            return
        seen["after"] = (
            w.current_plan_id,
            w.acts[Act.NEW_PLAN].isEnabled(),
            w.acts[Act.DELETE_PLAN].isEnabled(),
            "обмен файлами" in w.features and "Экспорт…" in str(menu_texts(w)),
        )
        row = w.panel.row
        assert row is not None
        seen["row"] = f"#{row.id}"
        w.panel.editors["result"].setText("Сделано при открытии")  # typed in the panel
        w.panel.commit()
        QTimer.singleShot(10, saved)

    def saved() -> None:
        w = window()
        assert w is not None
        if w.tasks.pending:
            QTimer.singleShot(10, saved)
            return
        w.close()

    QTimer.singleShot(0, first)
    try:
        with msgbox.capture() as shown:
            assert app.main([]) == 0
    finally:
        QSettings.setPath(ini, scope, user)
    assert shown == []
    assert seen["before"] == (True, plan_id, False, False)
    assert seen["after"] == (plan_id, True, True, True)
    store = Store(data)
    try:
        assert item_view(store, plan_id, str(seen["row"])).result == "Сделано при открытии"
    finally:
        store.close()


def menu_texts(window: object) -> dict[str, list[str]]:
    return app.menu_entries(window)  # type: ignore[arg-type]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_store_that_cannot_open_behind_the_painted_window_ends_the_start(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan was painted from the light read, but the store does not open (the recovery
    dialog was left, say): the start ends with status 2, as it does before a window shows."""
    from ui.safety import recovery

    data = tmp_path / "data"
    store = Store(data)
    agency_plan(store)
    store.close()
    monkeypatch.setenv("CXDESK_DATA_DIR", str(data))
    monkeypatch.delenv("CXDESK_DB", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(recovery, "open_or_recover", lambda _folder, _parent=None: None)
    from PySide6.QtWidgets import QApplication

    from ui.mainwindow import MainWindow

    try:
        assert app.main([]) == 2
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert any(w.painted_before_store and w.store is None for w in windows)
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_closed_before_the_store_opens_the_window_saves_what_was_typed_first(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result typed and the window closed at once, while the store still opens behind it:
    the window closes once the store is there, and the result is saved."""
    from PySide6.QtCore import QSettings, QStandardPaths, QTimer
    from PySide6.QtWidgets import QApplication

    from cxdesk.services.items import item_view

    from ui.mainwindow import MainWindow

    data = tmp_path / "data"
    store = Store(data)
    plan_id = agency_plan(store)
    store.close()
    monkeypatch.setenv("CXDESK_DATA_DIR", str(data))
    monkeypatch.delenv("CXDESK_DB", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    user = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    ini, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(ini, scope, str(tmp_path / "config"))
    typed: dict[str, object] = {}

    def first() -> None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        w = next((x for x in found if x.isVisible() and x.painted_before_store), None)
        if w is None:
            QTimer.singleShot(1, first)
            return
        assert w.store is None and w.panel.row is not None
        typed["row"] = f"#{w.panel.row.id}"
        w.panel.editors["result"].setText("Набрано до открытия базы")
        w.close()
        typed["open_after_close"] = w.isVisible()

    QTimer.singleShot(0, first)
    try:
        with msgbox.capture() as shown:
            assert app.main([]) == 0
    finally:
        QSettings.setPath(ini, scope, user)
    assert shown == [] and typed["open_after_close"] is True
    store = Store(data)
    try:
        assert item_view(store, plan_id, str(typed["row"])).result == "Набрано до открытия базы"
    finally:
        store.close()
