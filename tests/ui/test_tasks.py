"""The op helper, the message boxes, the settings and the undo adapter, each on its own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from cxdesk.errors import UserError
from cxdesk.progress import Progress
from cxdesk.services.common import Changes
from cxdesk.storage.db import Store

from ui import msgbox
from ui import settings as S
from ui.tasks import PROGRESS_DELAY_MS, Tasks
from ui.undo import ServiceCommand


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def test_work_runs_on_one_worker_and_results_arrive_on_the_main_thread(
    qtbot: QtBot, store: Store
) -> None:
    tasks = Tasks(store)
    seen: list[tuple[str, str]] = []
    for n in range(3):
        tasks.run(
            lambda st, n=n: (n, threading.current_thread().name),
            success=lambda r: seen.append((r[1], threading.current_thread().name)),
        )
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert {worker for worker, _ in seen} == {"cxdesk-db_0"}  # one worker thread
    assert {main for _, main in seen} == {threading.main_thread().name}
    tasks.shutdown()


def test_progress_dialog_only_after_the_delay(qtbot: QtBot, store: Store) -> None:
    tasks = Tasks(store)
    done: list[int] = []
    tasks.run(lambda st: 1, success=done.append, label="Быстрая работа")
    qtbot.waitUntil(lambda: done == [1])
    qtbot.wait(PROGRESS_DELAY_MS + 200)
    assert _progress_dialogs() == [] or not any(d.isVisible() for d in _progress_dialogs())

    def slow(st: Store, progress: Progress) -> str:
        progress.set_status("шаг 1")
        time.sleep((PROGRESS_DELAY_MS + 700) / 1000)
        return "готово"

    tasks.run(slow, success=done.append, label="Долгая работа", progress=True)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in _progress_dialogs()), timeout=3000)
    dialog = next(d for d in _progress_dialogs() if d.isVisible())
    assert dialog.labelText().startswith("Долгая работа")
    qtbot.waitUntil(lambda: done[-1] == "готово", timeout=5000)
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in _progress_dialogs()))
    tasks.shutdown()


def test_failures_reach_the_right_dialog(store: Store) -> None:
    tasks = Tasks(store, synchronous=True)
    with msgbox.capture() as shown:
        tasks.run(lambda st: (_ for _ in ()).throw(UserError("Нет такого пункта.")))
        tasks.run(lambda st: {}["нет"])
        handled: list[BaseException] = []
        tasks.run(lambda st: 1 / 0, failure=lambda e: handled.append(e) or True)
    assert [s.kind for s in shown] == ["error", "bug"]
    assert shown[0].text == "Нет такого пункта."
    assert "cxdesk.log" in shown[1].text and isinstance(handled[0], ZeroDivisionError)


def test_questions_take_the_preset_answer() -> None:
    with msgbox.capture(answer=False) as shown:
        assert msgbox.question(None, "Удалить?", dangerous=True) is False
    assert shown == [msgbox.Shown("question", "cxdesk", "Удалить?")]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_choice_returns_the_button_clicked(qtbot: QtBot) -> None:
    with msgbox.capture(answer=True) as shown:
        got = msgbox.choose(None, "Готово.", ["Открыть", "Закрыть"], kind="information",
                            escape="Закрыть", captured="Открыть")  # fmt: skip
    assert got == "Открыть" and shown == [msgbox.Shown("information", "cxdesk", "Готово.")]
    with msgbox.capture(answer=False):
        assert msgbox.choose(None, "Готово.", ["Открыть", "Закрыть"], escape="Закрыть") == (
            "Закрыть"
        )

    seen: list[tuple[str, list[str], str]] = []

    def click(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        names = sorted(b.text() for b in box.buttons())
        seen.append((box.text(), names, box.defaultButton().text()))
        next(b for b in box.buttons() if b.text() == label).click()

    for label in ("Показать в папке", "Закрыть"):
        QTimer.singleShot(50, lambda label=label: click(label))
        got = msgbox.choose(
            None, "Файл записан.", ["Открыть файл", "Показать в папке", "Закрыть"],
            kind="information", default="Открыть файл", escape="Закрыть", name="exchangeFinished",
        )  # fmt: skip
        assert got == label
    assert seen[0] == ("Файл записан.", sorted(["Открыть файл", "Показать в папке", "Закрыть"]),
                       "Открыть файл")  # fmt: skip


def test_settings_are_declared_once_with_defaults(tmp_path: Path) -> None:
    settings = S.Settings.in_file(tmp_path / "s.ini")
    assert settings.get(S.LAST_PLAN) == 0 and settings.get(S.WRAP_TEXT) is True
    assert isinstance(settings.get(S.WINDOW_GEOMETRY), QByteArray)
    settings.set(S.WRAP_TEXT, False)
    settings.set(S.LAST_PLAN, 7)
    settings.sync()
    again = S.Settings.in_file(tmp_path / "s.ini")
    assert again.get(S.WRAP_TEXT) is False and again.get(S.LAST_PLAN) == 7
    with pytest.raises(ValueError):
        S.declare("plan/last", 1, int)
    with pytest.raises(KeyError):
        settings.get(S.Setting("nowhere", 0, int))


def test_undo_adapter_merges_and_drops_a_change_that_leads_back(qapp: QApplication) -> None:
    calls: list[str] = []

    def runner(call) -> None:  # the window runs calls through its tasks; here: at once
        calls.append(call(None).plans_list and "ok")

    def command(before: str, after: str) -> ServiceCommand:
        return ServiceCommand(
            f"изменение {after}",
            lambda st: calls.append(f"do {after}") or Changes(plans_list=True),
            lambda st: calls.append(f"undo {before}") or Changes(plans_list=True),
            runner,
            merge_key=("item", 1, 2, ("title",)),
            state=({"title": before}, {"title": after}),
        )

    stack = QUndoStack()
    stack.push(command("а", "б"))
    stack.push(command("б", "в"))
    assert stack.count() == 1 and calls == []  # made already: the first redo is skipped
    stack.undo()
    assert calls[0] == "undo а"
    stack.redo()
    assert calls[2] == "do в"
    stack.push(command("в", "а"))  # back to where it began: the step disappears
    assert stack.count() == 0
