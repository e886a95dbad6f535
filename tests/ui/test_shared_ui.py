"""Several windows on one database (SQLite, and a shared PostgreSQL database): each sees the
others' changes, and a conflicting edit is resolved without loss; the connection dialog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cxdesk.services.items import item_history, item_view
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, row_id

from ui import msgbox
from ui.connection.dialog import ConnectionDialog, apply_saved
from ui.mainwindow import MainWindow
from ui.settings import SHARED_DB, Settings
from ui.tasks import Tasks

pytestmark = [
    pytest.mark.both_engines,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture(True) as shown:
        yield shown


def window_on(qtbot: QtBot, store: Store, settings: Path) -> MainWindow:
    window = MainWindow(store, Settings.in_file(settings), Tasks(store, True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_two_windows_see_each_other_and_resolve_a_conflict(
    qtbot: QtBot, store: Store, data_dir: Path, tmp_path: Path, boxes: list
) -> None:
    pid = agency_plan(store)
    colleague = Store(tmp_path / "colleague", url=store.url or f"sqlite:///{store.db_path}")
    try:
        mine = window_on(qtbot, store, tmp_path / "a.ini")
        theirs = window_on(qtbot, colleague, tmp_path / "b.ini")
        qtbot.waitUntil(lambda: mine.current_plan_id == pid and theirs.current_plan_id == pid)
        rid = row_id(store, pid, "2.2")
        mine.select_row(rid)
        theirs.select_row(rid)
        assert mine.external_changes.poll() is False

        # the colleague saves first; my window learns of it and redraws, keeping my place
        theirs.panel.editors["result"].setText("Приказ коллеги № 7")
        theirs.panel.commit()
        assert item_view(store, pid, "2.2").result == "Приказ коллеги № 7"
        qtbot.waitUntil(mine.external_changes.poll, timeout=5000)
        qtbot.waitUntil(lambda: mine.panel.row is not None and mine.panel.row.id == rid)
        shown = {r.number.rstrip("."): r for r in mine.model.plan.items()}
        assert shown["2.2"].result == "Приказ коллеги № 7"

        # both edit the same field from the same version: the later save is a conflict
        theirs.panel.editors["document"].setText("Копия приказа")
        mine.panel.editors["document"].setText("Скан приказа с подписью")
        theirs.panel.commit()
        mine.panel.commit()
        qtbot.waitUntil(lambda: any(b.title == "Конфликт изменений" for b in boxes))
        # the user kept their own value (the dialog's answer): saved over the newer version
        qtbot.waitUntil(lambda: item_view(store, pid, "2.2").document == "Скан приказа с подписью")
        values = [h.new for h in item_history(store, pid, "2.2") if h.field == "document"]
        assert values[-2:] == ["Копия приказа", "Скан приказа с подписью"]  # nothing lost
        assert item_view(store, pid, "2.2").result == "Приказ коллеги № 7"
        mine.grab().save(str(tmp_path / "mine.png"))
    finally:
        colleague.close()


def test_connection_dialog_checks_and_remembers(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = store.url if store.kind == "postgresql" else ""
    dialog = ConnectionDialog("", f"файл {store.label}", None)
    qtbot.addWidget(dialog)
    assert dialog.local.isChecked() and not dialog.url.isEnabled()
    dialog.shared.setChecked(True)
    dialog.url.setText("mysql://кто-то@сервер/база")
    assert not dialog.check() and "postgresql://" in dialog.outcome.text()
    dialog.url.setText("postgresql://nobody@127.0.0.1:1/none")
    assert not dialog.check() and "Не удаётся подключиться" in dialog.outcome.text()
    if url:
        dialog.url.setText(url)
        assert dialog.check(), dialog.outcome.text()
        assert "версия схемы 0003" in dialog.outcome.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "connection.png"))
    settings = Settings.in_file(tmp_path / "s.ini")
    settings.set(SHARED_DB, "postgresql://u@h/db")
    monkeypatch.setenv("CXDESK_DB", "")  # recorded first: the test leaves the variable as it was
    monkeypatch.delenv("CXDESK_DB")
    apply_saved(settings)
    assert os.environ["CXDESK_DB"] == "postgresql://u@h/db"
    monkeypatch.setenv("CXDESK_DB", "postgresql://given@h/db")
    apply_saved(settings)  # --db / CXDESK_DB win over the saved address
    assert os.environ["CXDESK_DB"] == "postgresql://given@h/db"
