"""Tracking in the window on a real store with real files: the item's documents (attach, remove
and undo, save a copy, open a read-only copy, drops on the list and on the tree), the data check
and the views «Выполнено без документа» and «По ответственному»."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from cxdesk import clock
from cxdesk.services.attachments import attach_files, list_attachments
from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import AGENCY_ORG, agency_plan, row_id

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.mainwindow.plan_model import ROW_ROLE
from ui.settings import Settings
from ui.tasks import Tasks
from ui.tracking.attachments_section import HINT, AttachmentsSection
from ui.tracking.check_dialog import CheckDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Make = Callable[..., MainWindow]
NO_KEYS = Qt.KeyboardModifier.NoModifier
ORDER = "Приказ № 87-од от 12.03.2026.pdf"
REPORT = "Отчёт о выполнении (итог).docx"


@pytest.fixture(autouse=True)
def no_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is handed to the system's programs during the tests."""
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture() as shown:
        yield shown


@pytest.fixture
def make_window(qtbot: QtBot, store: Store, tmp_path: Path, boxes: list) -> Make:
    def make(synchronous: bool = True) -> MainWindow:
        tasks = Tasks(store, synchronous)
        window = MainWindow(store, Settings.in_file(tmp_path / "settings.ini"), tasks)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "документы"
    folder.mkdir()
    out = {}
    for name, data in ((ORDER, b"%PDF-1.4 order " * 100), (REPORT, b"PK report " * 3000)):
        path = folder / name
        path.write_bytes(data)
        out[name] = path
    return out


def section_of(window: MainWindow) -> AttachmentsSection:
    return next(s for s in window.panel.sections if isinstance(s, AttachmentsSection))


def listed(section: AttachmentsSection) -> list[str]:
    return [section.list.topLevelItem(i).text(0) for i in range(section.list.topLevelItemCount())]


def stored_names(store: Store, plan_id: int, number: str) -> list[str]:
    return [a.name for a in list_attachments(store, plan_id, number)]


def shown_items(window: MainWindow) -> list[str]:
    out = []

    def walk(parent: object) -> None:
        for i in range(window.model.rowCount(parent)):  # type: ignore[arg-type]
            index = window.model.index(i, 0, parent)  # type: ignore[arg-type]
            row = index.data(ROW_ROLE)
            if row.kind == "item":
                out.append(row.number.rstrip("."))
            walk(index)

    walk(QModelIndex())
    return out


def drop(target: QWidget, paths: list[Path], pos: QPointF | None = None) -> bool:
    """Drags files from the file manager onto a widget and drops them there (Qt delivers a drop
    only to the widget that took the drag's entry); True when the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = pos if pos is not None else QPointF(target.rect().center())
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(at.toPoint(), copy, mime, left, NO_KEYS)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(at.toPoint(), copy, mime, left, NO_KEYS)
    QApplication.sendEvent(target, move)
    event = QDropEvent(at, copy, mime, left, NO_KEYS)
    QApplication.sendEvent(target, event)
    return enter.isAccepted() and event.isAccepted()


def test_attach_remove_undo_and_history(
    make_window: Make, store: Store, files: dict[str, Path], boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.4"))
    section = section_of(window)
    assert section.isVisible() and listed(section) == []

    section.attach_paths([files[ORDER], files[REPORT]])
    assert listed(section) == [ORDER, REPORT]
    assert stored_names(store, plan_id, "1.4") == [ORDER, REPORT]
    sizes = [section.list.topLevelItem(i).text(1) for i in range(2)]
    assert sizes == ["1 КБ", "29 КБ"]
    assert section.list.topLevelItem(0).text(2) == clock.today().strftime("%d.%m.%Y")
    history = [window.panel.history_model.index(i, 1).data() for i in range(2)]
    assert any(REPORT in h for h in history) and any(ORDER in h for h in history)
    stack = window.stack_for(plan_id)
    assert stack.count() == 1 and "2" in stack.text(0)

    assert section.select_name(ORDER)
    section.remove_selected()
    assert boxes[-1].kind == "question" and ORDER in boxes[-1].text
    assert listed(section) == [REPORT]
    assert stored_names(store, plan_id, "1.4") == [REPORT]
    assert stack.count() == 2 and ORDER in stack.text(1)
    entries = item_history(store, plan_id, "1.4")
    assert entries[-1].field == "attachment" and entries[-1].old == ORDER
    assert window.panel.history_model.index(0, 1).data() == f"Убран файл «{ORDER}»"

    window.undo_group.undo()
    assert listed(section) == [ORDER, REPORT]
    assert stored_names(store, plan_id, "1.4") == [ORDER, REPORT]
    window.undo_group.undo()  # the attaching itself
    assert listed(section) == [] and stored_names(store, plan_id, "1.4") == []
    window.undo_group.redo()
    assert listed(section) == [ORDER, REPORT]


def test_save_a_copy_and_open_a_read_only_copy(
    make_window: Make, store: Store, files: dict[str, Path], tmp_path: Path
) -> None:
    plan_id = agency_plan(store)
    attach_files(store, plan_id, "1.2", [files[REPORT]])
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.2"))
    section = section_of(window)
    assert listed(section) == [REPORT] and section.select_name(REPORT)

    dest = tmp_path / "копии" / "Отчёт № 1.docx"
    dest.parent.mkdir()
    saved: list[Path] = []
    section.save_copy_to(dest, saved.append)
    assert saved == [dest] and dest.read_bytes() == files[REPORT].read_bytes()

    opened: list[Path] = []
    section.open_selected(opened.append)
    try:
        copy = opened[0]
        assert copy.name == REPORT and copy.read_bytes() == files[REPORT].read_bytes()
        stored = store.blobs.path(list_attachments(store, plan_id, "1.2")[0].sha256)
        assert copy.resolve() != stored.resolve()
        assert not os.stat(copy).st_mode & stat.S_IWUSR
    finally:
        os.chmod(opened[0], stat.S_IWUSR | stat.S_IRUSR)
        shutil.rmtree(opened[0].parent)


def test_a_file_dropped_on_the_list_is_attached(
    make_window: Make, store: Store, files: dict[str, Path]
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.5"))
    section = section_of(window)
    assert drop(section.list.viewport(), [files[ORDER]])
    assert listed(section) == [ORDER]
    assert stored_names(store, plan_id, "1.5") == [ORDER]
    assert window.stack_for(plan_id).count() == 1


def test_files_dropped_on_the_tree(
    make_window: Make, store: Store, files: dict[str, Path], boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    target = row_id(store, plan_id, "1.3")
    rect = window.tree.visualRect(window.model.index_of(target, 1))
    assert drop(window.tree.viewport(), [files[REPORT]], QPointF(rect.center()))
    assert stored_names(store, plan_id, "1.3") == [REPORT]
    assert window.panel.row.id == target and listed(section_of(window)) == [REPORT]

    heading = window.tree.visualRect(window.model.index(0, 1))
    drop(window.tree.viewport(), [files[ORDER]], QPointF(heading.center()))
    assert boxes[-1].kind == "information" and "строку нужного пункта" in boxes[-1].text
    assert all(stored_names(store, plan_id, n) == [] for n in ("1.1", "1.2"))


def test_hint_for_a_done_item_without_a_document(
    make_window: Make, store: Store, files: dict[str, Path]
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.1"))
    section = section_of(window)
    assert section.hint.isVisible() and section.hint.text().startswith(HINT)
    assert "Вид документа по плану: " in section.hint.text()
    section.attach_paths([files[ORDER]])
    assert not section.hint.isVisible()
    window.select_row(row_id(store, plan_id, "1.4"))  # not done
    assert not section.hint.isVisible()
    block = get_plan(store, plan_id).rows[0]
    window.select_row(block.id)
    assert not section.isVisible()


def test_the_check_reports_an_altered_file_and_goes_to_its_item(
    make_window: Make, store: Store, files: dict[str, Path]
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.tracking.check()
    dialog = window.tracking_check
    assert isinstance(dialog, CheckDialog)
    assert dialog.summary.text() == "Проверка пройдена: база цела, проверено 0 файлов."

    attach_files(store, plan_id, "1.2", [files[ORDER]])
    (view,) = attach_files(store, plan_id, "2.1", [files[REPORT]]).files
    blob = store.blobs.path(view.sha256)
    blob.write_bytes(blob.read_bytes()[:-3] + b"xyz")
    window.select_row(row_id(store, plan_id, "1.4"))
    window.tracking.check()
    dialog = window.tracking_check
    assert "Найдено: 1 проблема (проверено 2 файла)" in dialog.summary.text()
    assert dialog.line_count() == 1
    plan, number, name, fix = dialog.line_texts(0)
    assert (plan, number) == (AGENCY_ORG, "2.1")
    assert name == f"«{REPORT}»\nизменён после того, как был прикреплён"
    assert "прикрепите его заново" in fix
    dialog.choose(0)
    assert window.panel.row.number.rstrip(".") == "2.1"
    assert window.tracking.actions["check"] in window.menus["Сервис"].actions()


def test_views_done_without_document_and_by_person(
    make_window: Make, store: Store, files: dict[str, Path]
) -> None:
    plan_id = agency_plan(store)
    attach_files(store, plan_id, "1.2", [files[ORDER]])
    window = make_window()
    names = [a.text() for a in window.menus["Вид"].actions()]
    assert names.index("Выполнено &без документа") == names.index("&Ближайшие сроки") + 1
    assert "По &ответственному…" in names

    window.tracking.actions["no_proof"].trigger()
    want = [
        r.number.rstrip(".")
        for r in get_plan(store, plan_id).items()
        if r.status == "done" and not r.attachments
    ]
    assert want == ["1.1", "2.1"]
    assert shown_items(window) == want
    assert window.filter_bar.status.currentData() == "no_proof"

    window.tracking.show_person("Сидорова М. И.")
    assert shown_items(window) == ["1.5"]  # 1.4 names her with her position: another line
    assert window.filter_bar.status.currentData() == "all"
    window.show_view("all")
    assert len(shown_items(window)) == 48


def test_attaching_through_the_worker_thread(
    qtbot: QtBot, make_window: Make, store: Store, files: dict[str, Path]
) -> None:
    plan_id = agency_plan(store)
    window = make_window(synchronous=False)
    qtbot.waitUntil(lambda: window.panel.row is not None)
    window.select_row(row_id(store, plan_id, "1.6"))
    section = section_of(window)
    section.attach_paths([files[ORDER], files[REPORT]])
    qtbot.waitUntil(lambda: listed(section) == [ORDER, REPORT])
    qtbot.waitUntil(lambda: window.stack_for(plan_id).count() == 1)
    window.undo_group.undo()
    qtbot.waitUntil(lambda: listed(section) == [])
    assert stored_names(store, plan_id, "1.6") == []
    window.tasks.shutdown()
