"""The fixtures of the main window's tests: captured message boxes and a window on the
test's store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from cxdesk.storage.db import Store

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.settings import Settings
from ui.tasks import Tasks

from .common import Make


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture() as shown:
        yield shown


@pytest.fixture
def make_window(qtbot: QtBot, store: Store, tmp_path: Path, boxes: list) -> Make:
    """A window on the test's store, with settings in an ini file of the test's own."""

    def make(ini: str = "settings.ini") -> MainWindow:
        window = MainWindow(store, Settings.in_file(tmp_path / ini), Tasks(store, True))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    return make
