"""The window is the whole product: every feature is there, and one that breaks is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cxdesk.logs import log_path
from cxdesk.storage.db import Store

import ui.tracking
from ui import msgbox
from ui.app import menu_entries
from ui.mainwindow import MainWindow
from ui.settings import Settings
from ui.tasks import Tasks

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

#: What the «Файл», «План» and «Сервис» menus hold in every installation (the bundle's test
#: compares the bundled window with the installed one as a whole).
EXPECTED = {
    "Файл": ["Новый план…", "Открыть файл…", "Объединить с файлом коллеги…", "Экспорт…",
             "Печать…", "Предварительный просмотр", "Сохранить пакет…",
             "Отправить по почте…", "Сводка по планам…", "Резервная копия…",
             "Восстановить из копии…", "Подключение к общей базе…", "Выход"],
    "План": ["Изменить ответы…", "Свойства плана…", "Форма документа…",
             "Проверить по типовому плану",
             "Сроки в календарь…", "Отчёт о ходе реализации…", "Удалить план…"],
    "Сервис": ["Проверка данных…"],
}  # fmt: skip


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture() as shown:
        yield shown


def _window(qtbot: QtBot, store: Store, tmp_path: Path) -> MainWindow:
    window = MainWindow(store, Settings.in_file(tmp_path / "settings.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_feature_is_in_the_menus(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list
) -> None:
    window = _window(qtbot, store, tmp_path)
    menus = menu_entries(window)
    for title, entries in EXPECTED.items():
        for entry in entries:
            assert entry in menus[title], (title, entry)
    assert window.welcome.create_button.isVisible()
    assert boxes == []


def test_a_feature_that_fails_to_install_is_logged_and_shown(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_window: object) -> None:
        raise RuntimeError("installer broke")

    monkeypatch.setattr(ui.tracking, "install_tracking", broken)
    window = _window(qtbot, store, tmp_path)
    qtbot.waitUntil(lambda: bool(boxes))
    (shown,) = boxes
    assert "вложения и проверка" in shown.text
    assert str(log_path(store.data_dir)) in shown.text
    assert "installer broke" in log_path(store.data_dir).read_text(encoding="utf-8")
    assert "Экспорт…" in menu_entries(window)["Файл"]  # the rest of the window works
