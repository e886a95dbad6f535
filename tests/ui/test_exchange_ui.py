"""The exchange dialogs in the window: export, import preview, merge, package, mail, menu entries.

Real stores in temporary folders and real files; modal dialogs are answered through their
widgets (found by object name once shown). Message boxes are recorded by ``msgbox.capture``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from cxdesk.domain.building import PlanRequest
from cxdesk.io.package import read_package
from cxdesk.progress import Progress
from cxdesk.services.attachments import attach_files, list_attachments
from cxdesk.services.common import Changes
from cxdesk.services.importing import import_file
from cxdesk.services.items import item_view, update_item
from cxdesk.services.packing import pack_plan
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C
from ui.exchange import install_exchange_actions, open_dropped_files, save_package
from ui.exchange.export_dialog import ExportDialog, run_export
from ui.exchange.import_preview import ImportPreviewDialog
from ui.exchange.mail_dialog import MailDialog, prepare_mail
from ui.exchange.merge_dialog import MergeDialog
from ui.exchange.merging import apply_choice, keep_copy, run_merge
from ui.exchange.opening import open_plan_file, read_for_preview
from ui.settings import Settings
from ui.tasks import Tasks
from ui.undo import ServiceCommand

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORG = "ЦЗН города Тулы"


class Host(QMainWindow):
    """What the exchange needs of a main window (``ui.exchange.common.Host``): the store, tasks
    (synchronous unless asked otherwise), settings, and it records what the flows ask of it:
    the plans opened, the changes to redraw, the undo steps (on real undo stacks)."""

    def __init__(self, store: Store, folder: Path, synchronous: bool = True) -> None:
        super().__init__()
        self.store = store
        self.tasks = Tasks(store, synchronous=synchronous, parent=self)
        self.settings = Settings.in_file(folder / "settings.ini")
        self.current_plan_id: int | None = None
        self.opened: list[int | None] = []
        self.redrawn: list[Changes] = []
        self.stacks: dict[int, QUndoStack] = {}

    def reload_plans(self, select: int | None = None) -> None:
        self.opened.append(select)

    def apply_changes(self, changes: Changes | None) -> None:
        if changes is not None:
            self.redrawn.append(changes)

    def push_command(self, plan_id: int, command: ServiceCommand) -> None:
        self.stacks.setdefault(plan_id, QUndoStack(self)).push(command)

    def run_undo_call(self, call: Any) -> None:
        self.tasks.run(call, parent=self, success=self.apply_changes)

    def commit_edits(self) -> None:
        pass


def _is_a_host(host: Host) -> C.Host:
    return host  # mypy checks that the stand-in gives what the exchange asks


@pytest.fixture
def host(qtbot: QtBot, store: Store, tmp_path: Path) -> Host:
    window = Host(store, tmp_path)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def threaded(qtbot: QtBot, store: Store, tmp_path: Path) -> Iterator[Host]:
    """A host whose runner works on the database thread, as the window's does."""
    window = Host(store, tmp_path, synchronous=False)
    qtbot.addWidget(window)
    try:
        yield window
    finally:
        window.tasks.shutdown()


def ended(flow: Callable[..., None], *args: Any, **kwargs: Any) -> Any:
    """Runs a flow on a synchronous runner: its result, handed to ``then`` exactly once."""
    got: list[Any] = []
    flow(*args, **kwargs, then=got.append)
    assert len(got) == 1, f"then called {len(got)} times"
    return got[0]


def ended_later(qtbot: QtBot, flow: Callable[..., None], *args: Any, **kwargs: Any) -> Any:
    """Runs a flow on a threaded runner: it returns before its work is done; its result, once
    ``then`` is called (exactly once)."""
    got: list[Any] = []
    flow(*args, **kwargs, then=got.append)
    qtbot.waitUntil(lambda: len(got) > 0, timeout=20000)
    qtbot.wait(50)  # a second call would come now
    assert len(got) == 1, f"then called {len(got)} times"
    return got[0]


@pytest.fixture
def shown() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture() as boxes:
        yield boxes


def pilot(store: Store, org: str = ORG) -> int:
    return create_plan(store, PlanRequest(template_id="szn_pilot", org=org, answers={})).plan_id


def when_shown(name: str, act: Callable[[QWidget], None]) -> None:
    """Calls ``act(dialog)`` once the modal dialog with this object name is on screen."""
    tries = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.objectName() == name and widget.isVisible():
            try:
                act(widget)
            except BaseException:
                widget.close()  # never leave a test waiting on an open dialog
                raise
            return
        tries[0] += 1
        if tries[0] < 500:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


# ---- export ----------------------------------------------------------------------------------


def test_export_dialog_writes_a_docx_that_word_reads(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    plan_id = pilot(store)
    title = get_plan(store, plan_id).title
    out = tmp_path / "out" / "план.docx"
    out.parent.mkdir()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        assert dialog.format_combo.currentData() == "docx"
        assert ORG in dialog.name_edit.text() and dialog.path().suffix == ".docx"
        assert dialog.font_size.minimum() == 12 and dialog.font_size.maximum() == 14
        assert dialog.margins["left"].value() == 20 and dialog.margins["right"].value() == 10
        dialog.set_path(out)
        dialog.save_button.click()

    when_shown("exportDialog", fill)
    assert ended(run_export, host, store, plan_id) == out
    texts = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert " ".join(title.split()) in " ".join(texts.split())
    assert shown and shown[-1].kind == "information" and "план.docx" in shown[-1].text
    again = ExportDialog(host, store, plan_id, ORG)
    assert again.path().parent == out.parent  # the folder is remembered


def test_export_options_reach_the_writer_and_errors_keep_the_dialog(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    plan_id = pilot(store)
    dialog = ExportDialog(host, store, plan_id, ORG)
    dialog.set_path(tmp_path / "нет такой папки" / "plan.docx")
    dialog.accept()
    assert dialog.written is None and "нет" in shown[-1].text.lower()

    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("xlsx"))
    dialog.layout_buttons["report"].setChecked(True)
    assert dialog.report_date.isEnabled()
    dialog.font_size.setValue(14)
    dialog.margins["left"].setValue(30)
    options = dialog.options()
    assert (options.layout, options.font_size, options.margin_left_mm) == ("report", 14.0, 30.0)
    dialog.reset_margins()
    assert dialog.options().margin_left_mm == 20.0
    dialog.name_edit.setText(str(tmp_path / "отчёт"))
    dialog.accept()
    assert dialog.written is not None and dialog.written[0] == tmp_path / "отчёт.xlsx"
    assert (tmp_path / "отчёт.xlsx").stat().st_size > 0


# ---- open a file -----------------------------------------------------------------------------


def test_import_preview_shows_what_was_read(qtbot: QtBot, store: Store) -> None:
    incoming, existing = read_for_preview(store, FIXTURES / "tula_plan.docx", Progress())
    try:
        dialog = ImportPreviewDialog(incoming, existing)
        qtbot.addWidget(dialog)
        assert existing is None and incoming.items() == 32
        assert "32 пункта" in dialog.fields["count"].text()
        assert dialog.fields["template"].text() == "не сопоставлен"
        assert "УТВЕРЖДАЮ" not in dialog.fields["approval"].text()
        assert dialog.warnings.count() == len(incoming.warnings) > 0
        assert f"({len(incoming.warnings)})" in dialog.warnings_label.text()
        numbers = []
        stack = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
        while stack:
            node = stack.pop()
            numbers.append(node.text(0))
            stack += [node.child(i) for i in range(node.childCount())]
        assert len(numbers) == len(incoming.doc.rows)
        assert dialog.create_button.text() == "&Создать план" and dialog.merge_button is None
    finally:
        incoming.cleanup()


def test_import_creates_the_plan_only_when_confirmed(host: Host, store: Store) -> None:
    path = FIXTURES / "tula_plan.docx"
    when_shown("importPreview", lambda d: d.findChild(QWidget, "cancelButton").click())
    assert ended(open_plan_file, host, store, path) is None
    assert list_plans(store) == [] and host.opened == []

    when_shown("importPreview", lambda d: d.create_button.click())
    plan_id = ended(open_plan_file, host, store, path)
    assert plan_id is not None and host.opened == [plan_id]
    assert [p.items for p in list_plans(store)] == [32]


def test_dropped_files_refuse_what_is_not_a_plan(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    note = tmp_path / "заметки.txt"
    note.write_text("не план", encoding="utf-8")
    when_shown("importPreview", lambda d: d.create_button.click())
    made = ended(open_dropped_files, host, store, [str(note), FIXTURES / "tula_plan.xlsx"])
    assert len(made) == 1 and "заметки.txt" in shown[0].text and ".docx" in shown[0].text


def test_own_package_offers_merge(host: Host, store: Store, tmp_path: Path) -> None:
    plan_id = pilot(store)
    package, _, _ = pack_plan(store, plan_id, tmp_path / "p.cxplan")
    incoming, existing = read_for_preview(store, package, Progress())
    try:
        dialog = ImportPreviewDialog(incoming, existing)
        assert existing.id == plan_id and dialog.merge_button is not None
        assert dialog.create_button.text() == "&Загрузить как новый"
        dialog.deleteLater()
    finally:
        incoming.cleanup()


# ---- merge -----------------------------------------------------------------------------------


@pytest.fixture
def colleague(store: Store, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Our plan (from the colleague's first package) and the colleague's second package: item 1
    done with a scan attached; item 2's responsible changed on both sides (a conflict)."""
    theirs = Store(tmp_path / "colleague")
    try:
        their_plan = pilot(theirs)
        first, _, _ = pack_plan(theirs, their_plan, tmp_path / "first.cxplan")
        ours = import_file(store, first).plan_id
        assert ours is not None
        update_item(theirs, their_plan, "1", {"status": "done"}, "вебинар проведён")
        update_item(theirs, their_plan, "2", {"responsible": "Иванов И. И."}, "")
        update_item(store, ours, "2", {"responsible": "Петрова А. А."}, "")
        scan = tmp_path / "протокол вебинара.pdf"
        scan.write_bytes(b"%PDF-1.4 protocol")
        attach_files(theirs, their_plan, "1", [scan])
        second, _, _ = pack_plan(theirs, their_plan, tmp_path / "second.cxplan")
        yield ours, second
    finally:
        theirs.close()


def test_merge_dialog_lists_changes_and_marks_the_conflict(
    qtbot: QtBot, store: Store, colleague: tuple[int, Path]
) -> None:
    from cxdesk.services.merge import preview_merge

    plan_id, package = colleague
    preview = preview_merge(store, plan_id, package)
    dialog = MergeDialog(preview, ORG, {"1": "Вебинар", "2": "Рабочая группа"})
    qtbot.addWidget(dialog)
    by_field = {(d.item, d.field): d for d in preview.differences}
    status = dialog.difference_item(by_field[("1", "status")].index)
    assert (status.text(1), status.text(2)) == ("Не начато", "Выполнено")
    attachment = dialog.difference_item(by_field[("1", "attachment")].index)
    assert attachment.text(2) == "протокол вебинара.pdf"
    conflict = by_field[("2", "responsible")]
    row = dialog.difference_item(conflict.index)
    assert conflict.conflict and "конфликт" in row.text(0) and not row.icon(0).isNull()
    assert conflict.index not in dialog.accepted_indexes()
    assert dialog.accepted_indexes() == {d.index for d in preview.differences if not d.conflict}
    assert dialog.findChild(QWidget, "conflictLegend") is not None
    dialog.none_button.click()
    assert dialog.accepted_indexes() == set() and not dialog.apply_button.isEnabled()
    dialog.all_button.click()
    assert len(dialog.accepted_indexes()) == len(preview.differences)


def test_merge_applies_only_what_was_checked_and_undo_restores(
    qtbot: QtBot, store: Store, tmp_path: Path, colleague: tuple[int, Path]
) -> None:
    from ui.mainwindow import MainWindow

    plan_id, package = colleague
    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    install_exchange_actions(window)
    window.open_plan(plan_id)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, MergeDialog)
        for d in dialog.preview.differences:  # keep the status; leave out the scan
            dialog.set_checked(d.index, d.field in ("status", "done_date"))
        dialog.apply_button.click()

    when_shown("mergeDialog", choose)
    with msgbox.capture():
        undo = ended(run_merge, window, store, plan_id, package)
    assert undo is not None
    assert item_view(store, plan_id, "1").status == "done"
    assert item_view(store, plan_id, "2").responsible == "Петрова А. А."  # ours kept
    assert list_attachments(store, plan_id, "1") == []
    stack = window.stack_for(plan_id)
    assert stack.count() == 1 and "объединение" in stack.undoText()
    stack.undo()
    assert item_view(store, plan_id, "1").status == "not_started"
    stack.redo()
    assert item_view(store, plan_id, "1").status == "done"
    assert list_attachments(store, plan_id, "1") == []


def test_opened_package_is_read_once_from_preview_to_merge(
    qtbot: QtBot,
    store: Store,
    tmp_path: Path,
    colleague: tuple[int, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«Открыть файл» on a colleague's package of our plan: the preview, the comparison and the
    merge all use the one reading of the file; «Повторить» after «Отменить» reads the kept copy."""
    import cxdesk.io.package as package_module

    from ui.mainwindow import MainWindow

    plan_id, package = colleague
    read = package_module.read_package
    seen: list[str] = []

    def noting(path: Path, *args: object) -> object:
        seen.append(Path(path).name)
        return read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(package_module, "read_package", noting)
    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    install_exchange_actions(window)
    window.open_plan(plan_id)
    when_shown("importPreview", lambda d: d.merge_button.click())
    when_shown("mergeDialog", lambda d: d.apply_button.click())
    with msgbox.capture():
        assert ended(open_plan_file, window, store, package) == plan_id
    assert seen == [package.name]
    assert item_view(store, plan_id, "1").status == "done"
    assert [a.name for a in list_attachments(store, plan_id, "1")] == ["протокол вебинара.pdf"]
    stack = window.stack_for(plan_id)
    stack.undo()
    assert item_view(store, plan_id, "1").status == "not_started"
    stack.redo()
    assert item_view(store, plan_id, "1").status == "done" and len(seen) == 2


def test_merge_without_a_window_returns_the_undo(
    host: Host, store: Store, colleague: tuple[int, Path]
) -> None:
    from cxdesk.services.merge import undo_merge

    plan_id, package = colleague
    undo = ended(apply_choice, host, store, plan_id, keep_copy(package), {2})  # the scan only
    assert undo is not None and [a.name for a in list_attachments(store, plan_id, "1")] == [
        "протокол вебинара.pdf"
    ]
    undo_merge(store, undo)
    assert list_attachments(store, plan_id, "1") == []


# ---- package and mail ------------------------------------------------------------------------


def test_save_package_writes_what_the_reader_reads(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    plan_id = pilot(store)
    path = ended(save_package, host, store, plan_id, tmp_path / "для коллеги")
    assert path == tmp_path / "для коллеги.cxplan"
    contents = read_package(path, tmp_path / "unpacked")
    assert contents.plan.org == ORG and sum(r.kind == "item" for r in contents.plan.rows) == 12
    assert "Пакет сохранён" in shown[-1].text


def test_mail_without_a_mail_program_leaves_a_draft(
    host: Host,
    store: Store,
    tmp_path: Path,
    shown: list[msgbox.Shown],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")
    result = ended(prepare_mail, host, store, pilot(store), "docx", "", None)
    assert result.method == "eml" and result.eml.is_file()
    assert "Почтовая программа не найдена" in shown[-1].text


def test_mail_opens_a_new_message(
    host: Host,
    store: Store,
    tmp_path: Path,
    shown: list[msgbox.Shown],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    stand_in = folder / "xdg-email"
    stand_in.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path / "asked.txt"}"\n', encoding="utf-8")
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder) + os.pathsep + "/bin:/usr/bin")
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")
    result = ended(prepare_mail, host, store, pilot(store), "cxplan", "kollega@example.ru", None)
    assert result.method == "xdg-email"
    assert "Открыто окно нового письма" in shown[-1].text
    assert "kollega@example.ru" in (tmp_path / "asked.txt").read_text(encoding="utf-8")


def test_mail_dialog_checks_the_address(host: Host, shown: list[msgbox.Shown]) -> None:
    dialog = MailDialog(host, ORG)
    assert dialog.fmt() == "cxplan"
    dialog.to_edit.setText("не адрес")
    dialog.accept()
    assert dialog.result() == 0 and "указан неверно" in shown[-1].text
    dialog.buttons["xlsx"].setChecked(True)
    dialog.to_edit.setText("a@example.ru")
    dialog.accept()
    assert dialog.fmt() == "xlsx" and host.settings.get(S.MAIL_TO) == "a@example.ru"


# ---- the window's menu -----------------------------------------------------------------------


def test_menu_entries_follow_the_open_plan(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    from ui.mainwindow import MainWindow

    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    made = install_exchange_actions(window)
    assert install_exchange_actions(window) is made
    menu = window.menus["Файл"]
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    for key in ("merge", "export", "package", "mail"):
        assert f"action_exchange_{key}" in names
        assert not made[key].isEnabled()
    assert made["export"].shortcut().toString() == "Ctrl+E"
    assert names[-1] == "action_quit" and window.acceptDrops()
    plan_id = pilot(store)
    window.reload_plans(select=plan_id)
    assert made["export"].isEnabled() and made["mail"].isEnabled()


# ---- print -----------------------------------------------------------------------------------


def test_print_preview_draws_the_plan_on_a4_landscape(
    qtbot: QtBot, host: Host, store: Store
) -> None:
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    from cxdesk.services.documents import plan_doc

    from ui.exchange.printing import preview_dialog, renderer

    dialog = preview_dialog(host, plan_doc(store, pilot(store)), renderer())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.findChild(QPrintPreviewWidget)
    view.updatePreview()
    assert view.pageCount() >= 1
    layout = dialog.page_printer.pageLayout()
    assert layout.orientation() == QPageLayout.Orientation.Landscape
    assert round(layout.fullRect(QPageLayout.Unit.Millimeter).width()) == 297
    dialog.close()


def test_files_dropped_on_the_window_open_the_preview(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from ui.mainwindow import MainWindow

    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    install_exchange_actions(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "tula_plan.xlsx"))])
    action, buttons, keys = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.NoModifier
    enter = QDragEnterEvent(window.rect().center(), action, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    when_shown("importPreview", lambda d: d.create_button.click())
    QApplication.sendEvent(window, QDropEvent(QPointF(10, 10), action, mime, buttons, keys))
    assert [p.items for p in list_plans(store)] == [32]
    assert window.current_plan_id == list_plans(store)[0].id


def test_startup_package_of_a_known_plan_merges(
    host: Host, store: Store, colleague: tuple[int, Path]
) -> None:
    from ui.exchange import handle_startup_file

    plan_id, package = colleague
    when_shown("importPreview", lambda d: d.merge_button.click())
    when_shown("mergeDialog", lambda d: d.apply_button.click())
    with msgbox.capture():
        assert ended(handle_startup_file, host, store, package) == plan_id
    assert item_view(store, plan_id, "1").status == "done"
    assert item_view(store, plan_id, "2").responsible == "Петрова А. А."
    assert len(list_plans(store)) == 1 and host.opened == [plan_id]


def test_work_runs_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    plan_id = pilot(store)
    path = ended_later(qtbot, save_package, threaded, store, plan_id, tmp_path / "в потоке")
    assert path == tmp_path / "в потоке.cxplan" and path.is_file()
    assert "Пакет сохранён" in shown[-1].text
    assert ended_later(qtbot, save_package, threaded, store, 999, tmp_path / "нет") is None
    assert shown[-1].kind == "error" and "999" in shown[-1].text


def test_merge_dialog_shows_no_conflict_for_a_change_made_before_the_export(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    """Our change, exported, edited by the colleague, merged back: a plain checked change."""
    from cxdesk.services.documents import export_plan
    from cxdesk.services.merge import preview_merge

    plan_id = pilot(store)
    update_item(store, plan_id, "2", {"responsible": "Петрова А. А."}, "")
    sent, _ = export_plan(store, plan_id, tmp_path / "к коллеге.xlsx")
    theirs = Store(tmp_path / "colleague")
    try:
        their_plan = import_file(theirs, sent).plan_id
        update_item(theirs, their_plan, "2", {"responsible": "Иванов И. И."}, "")
        back, _ = export_plan(theirs, their_plan, tmp_path / "от коллеги.xlsx")
    finally:
        theirs.close()
    preview = preview_merge(store, plan_id, back)
    dialog = MergeDialog(preview, ORG, {"2": "Рабочая группа"})
    qtbot.addWidget(dialog)
    change = next(d for d in preview.differences if d.field == "responsible")
    row = dialog.difference_item(change.index)
    assert not change.conflict and "конфликт" not in row.text(0)
    assert change.index in dialog.accepted_indexes()
    assert dialog.findChild(QWidget, "conflictLegend") is None


def test_export_dialog_says_which_layout_and_starts_from_the_plans_form(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    """A report chosen once does not silently stay: the next export starts from the official
    form, and the dialog says what it will save."""
    plan_id = pilot(store)
    dialog = ExportDialog(host, store, plan_id, ORG)
    used = dialog.findChild(QWidget, "layoutUsed")
    assert dialog.layout_key() == "official" and "форма плана" in used.text()
    dialog.layout_buttons["report"].setChecked(True)
    assert "отчёт о ходе на дату" in used.text()
    dialog.set_path(tmp_path / "отчёт.docx")
    dialog.accept()
    assert dialog.written is not None
    again = ExportDialog(host, store, plan_id, ORG)
    assert (
        again.layout_key() == "official"
        and "форма плана" in again.findChild(QWidget, "layoutUsed").text()
    )


def test_file_dialogs_start_in_the_folder_used_last(
    host: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    """A folder chosen in one file dialog (an export) is where the others open next (a package,
    opening a file) until they have a folder of their own."""
    plan_id = pilot(store)
    folder = tmp_path / "Обмен"
    folder.mkdir()
    dialog = ExportDialog(host, store, plan_id, ORG)
    dialog.set_path(folder / "план.docx")
    dialog.accept()
    assert dialog.written is not None
    assert C.remembered_folder(host, S.PACKAGE_FOLDER) == folder
    assert C.remembered_folder(host, S.OPEN_FOLDER) == folder


# ---- every flow on a threaded runner: each step goes on when its work is done -----------------


def test_open_a_file_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, shown: list[msgbox.Shown]
) -> None:
    when_shown("importPreview", lambda d: d.create_button.click())
    plan_id = ended_later(qtbot, open_plan_file, threaded, store, FIXTURES / "tula_plan.docx")
    assert plan_id is not None and threaded.opened == [plan_id]
    assert [p.items for p in list_plans(store)] == [32]


def test_dropped_files_open_one_after_another_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, shown: list[msgbox.Shown]
) -> None:
    previews: list[str] = []

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        previews.append(dialog.incoming.path.name)
        dialog.create_button.click()
        if len(previews) == 1:  # the next file's preview, once this one is stored
            when_shown("importPreview", create)

    when_shown("importPreview", create)
    files = [FIXTURES / "tula_plan.docx", FIXTURES / "tula_plan.xlsx"]
    made = ended_later(qtbot, open_dropped_files, threaded, store, files)
    assert previews == ["tula_plan.docx", "tula_plan.xlsx"]
    assert len(made) == 2 and sorted(made) == sorted(p.id for p in list_plans(store))


def test_package_merged_from_the_preview_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, colleague: tuple[int, Path]
) -> None:
    """The file read for the preview is compared and merged, and removed only afterwards."""
    plan_id, package = colleague
    read: list[Path | None] = []

    def merge(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        read.append(dialog.incoming.tmp_dir)
        dialog.merge_button.click()

    when_shown("importPreview", merge)
    when_shown("mergeDialog", lambda d: d.apply_button.click())
    with msgbox.capture():
        assert ended_later(qtbot, open_plan_file, threaded, store, package) == plan_id
    assert item_view(store, plan_id, "1").status == "done"
    assert [a.name for a in list_attachments(store, plan_id, "1")] == ["протокол вебинара.pdf"]
    assert "перенесено" in threaded.statusBar().currentMessage()
    assert read and read[0] is not None and not read[0].exists()  # removed after the merge
    assert any(plan_id in c.plan_ids for c in threaded.redrawn)  # what the merge reported
    stack = threaded.stacks[plan_id]
    assert stack.count() == 1  # the merge is one undo step
    stack.undo()
    qtbot.waitUntil(lambda: item_view(store, plan_id, "1").status != "done", timeout=10000)


def test_merge_on_the_database_thread_returns_the_undo(
    qtbot: QtBot, threaded: Host, store: Store, colleague: tuple[int, Path]
) -> None:
    from cxdesk.services.merge import undo_merge

    plan_id, package = colleague
    when_shown("mergeDialog", lambda d: d.apply_button.click())
    with msgbox.capture():
        undo = ended_later(qtbot, run_merge, threaded, store, plan_id, package)
    assert undo is not None and item_view(store, plan_id, "1").status == "done"
    undo_merge(store, undo)
    assert item_view(store, plan_id, "1").status == "not_started"


def test_export_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, tmp_path: Path, shown: list[msgbox.Shown]
) -> None:
    plan_id = pilot(store)
    out = tmp_path / "в потоке.xlsx"
    clicked: list[bool] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("xlsx"))
        dialog.set_path(out)
        dialog.save_button.click()
        clicked.append(dialog.save_button.isEnabled())  # the work has only been asked for

    when_shown("exportDialog", fill)
    assert ended_later(qtbot, run_export, threaded, store, plan_id) == out
    assert clicked == [False] and out.stat().st_size > 0
    assert "в потоке.xlsx" in shown[-1].text


def test_export_dialog_runs_its_work_once_and_gives_the_button_back_on_failure(
    qtbot: QtBot,
    threaded: Host,
    store: Store,
    tmp_path: Path,
    shown: list[msgbox.Shown],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.exchange.export_dialog as module

    written: list[Path] = []
    real = module.export_plan

    def counted(st: Store, plan_id: int, path: Path, *args: Any) -> Any:
        written.append(path)
        return real(st, plan_id, path, *args)

    monkeypatch.setattr(module, "export_plan", counted)
    plan_id = pilot(store)
    dialog = ExportDialog(threaded, store, plan_id, ORG)
    taken = tmp_path / "папка.docx"
    taken.mkdir()  # a folder where the file should go: the writer fails
    dialog.set_path(taken)
    dialog._confirmed = taken
    dialog.accept()
    assert not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=20000)
    assert dialog.written is None and shown[-1].kind == "error"
    assert dialog.result() == 0  # the dialog stays, to change the file

    dialog.set_path(tmp_path / "план.docx")
    dialog.accept()
    dialog.accept()  # a double click
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    qtbot.wait(100)
    assert written == [taken, tmp_path / "план.docx"]
    assert dialog.result() == 1 and (tmp_path / "план.docx").stat().st_size > 0


def test_mail_on_the_database_thread(
    qtbot: QtBot,
    threaded: Host,
    store: Store,
    tmp_path: Path,
    shown: list[msgbox.Shown],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")
    result = ended_later(qtbot, prepare_mail, threaded, store, pilot(store), "docx", "", None)
    assert result.method == "eml" and result.eml.is_file()
    assert "Почтовая программа не найдена" in shown[-1].text


def test_mail_dialog_then_message_on_the_database_thread(
    qtbot: QtBot,
    threaded: Host,
    store: Store,
    tmp_path: Path,
    shown: list[msgbox.Shown],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.exchange.mail_dialog import send_by_mail

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, MailDialog)
        dialog.buttons["xlsx"].setChecked(True)
        dialog.send_button.click()

    when_shown("mailDialog", choose)
    draft = tmp_path / "письмо.eml"
    result = ended_later(qtbot, send_by_mail, threaded, store, pilot(store), draft)
    assert result.method == "eml" and result.eml == draft and draft.is_file()
    assert Path(result.attachment).suffix == ".xlsx"


def test_print_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store, shown: list[msgbox.Shown]
) -> None:
    from ui.exchange.printing import print_plan

    asked: list[str] = []

    def decline(dialog: QWidget) -> None:
        asked.append(dialog.windowTitle())
        dialog.close()

    when_shown("printDialog", decline)
    assert ended_later(qtbot, print_plan, threaded, store, pilot(store)) is False
    assert asked == ["Печать плана"]
    assert ended_later(qtbot, print_plan, threaded, store, 999) is False
    assert shown[-1].kind == "error" and "999" in shown[-1].text


def test_print_preview_opens_on_the_database_thread(
    qtbot: QtBot, threaded: Host, store: Store
) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    from ui.exchange.printing import preview_plan

    pages: list[int] = []

    def look(dialog: QWidget) -> None:
        view = dialog.findChild(QPrintPreviewWidget)
        view.updatePreview()
        pages.append(view.pageCount())
        dialog.close()

    when_shown("printPreview", look)
    preview_plan(threaded, store, pilot(store))
    assert pages == []  # the plan is still being read
    qtbot.waitUntil(lambda: len(pages) == 1, timeout=20000)
    assert pages[0] >= 1


def test_form_dialog_on_the_database_thread(qtbot: QtBot, threaded: Host, store: Store) -> None:
    from cxdesk.services.forms import plan_form

    from ui.exchange.form_dialog import FormDialog, edit_form

    plan_id = pilot(store)
    seen: list[int] = []

    def keep(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        qtbot.waitUntil(lambda: dialog.preset_combo.count() > 1)  # the saved forms are read
        seen.append(dialog.preset_combo.count())
        dialog.title_edit.setText("План на год")
        dialog.save_button.click()
        assert not dialog.save_button.isEnabled() and dialog.isVisible()  # saving

    when_shown("formDialog", keep)
    assert ended_later(qtbot, edit_form, threaded, store, plan_id) is True
    assert seen and plan_form(store, plan_id).form.title == "План на год"


def test_cancelled_work_ends_the_flow_and_removes_what_was_read(
    qtbot: QtBot,
    threaded: Host,
    store: Store,
    colleague: tuple[int, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«Прервать» in the progress of the merge: no continuation is lost (``then`` gets None) and
    the file read for the preview is removed."""
    from cxdesk.progress import Cancelled

    import ui.exchange.merging as merging

    plan_id, package = colleague
    read: list[Path | None] = []

    def interrupted(*_args: object) -> None:
        raise Cancelled  # what the comparison raises when «Прервать» is pressed

    def merge(dialog: QWidget) -> None:
        read.append(dialog.incoming.tmp_dir)  # type: ignore[attr-defined]
        dialog.merge_button.click()  # type: ignore[attr-defined]

    monkeypatch.setattr(merging, "preview_merge", interrupted)
    when_shown("importPreview", merge)
    with msgbox.capture() as boxes:
        assert ended_later(qtbot, open_plan_file, threaded, store, package) == plan_id
    assert boxes == []  # a cancelled work is no error
    assert read and read[0] is not None and not read[0].exists()
    assert item_view(store, plan_id, "1").status == "not_started"


def test_menu_entry_pressed_twice_runs_its_flow_once(
    qtbot: QtBot, threaded: Host, store: Store, shown: list[msgbox.Shown]
) -> None:
    """Ctrl+E pressed twice while the plan is read opens one export dialog; once it is closed,
    the entry works again."""
    threaded.current_plan_id = pilot(store)
    made = install_exchange_actions(threaded)
    closed: list[int] = []

    def sweep() -> None:  # closes every export dialog shown (a test that fails never hangs)
        for dialog in threaded.findChildren(ExportDialog):
            if dialog.isVisible():
                closed.append(len(threaded.findChildren(ExportDialog)))
                dialog.reject()

    sweeper = QTimer(threaded)
    sweeper.timeout.connect(sweep)
    sweeper.start(20)
    made["export"].trigger()
    made["export"].trigger()
    qtbot.waitUntil(lambda: len(closed) > 0, timeout=20000)
    qtbot.wait(300)
    assert len(threaded.findChildren(ExportDialog)) == 1 and closed == [1]
    made["export"].trigger()
    qtbot.waitUntil(lambda: len(closed) == 2, timeout=20000)
    sweeper.stop()
    assert closed == [1, 2]


def test_menu_entry_works_again_after_its_flow_broke(
    qtbot: QtBot, threaded: Host, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in a flow's continuation (here, building the export dialog) never
    reaches the flow's end; the entry still works on the next press."""
    from ui.exchange import export_dialog

    threaded.current_plan_id = pilot(store)
    made = install_exchange_actions(threaded)
    real = export_dialog.ExportDialog.__init__
    calls: list[int] = []

    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the dialog could not be built")
        real(self, *args, **kwargs)
        QTimer.singleShot(0, self.reject)

    monkeypatch.setattr(export_dialog.ExportDialog, "__init__", broken)
    with qtbot.capture_exceptions() as raised:
        made["export"].trigger()
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=20000)
        qtbot.wait(50)
    assert [str(e[1]) for e in raised] == ["the dialog could not be built"]
    made["export"].trigger()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=20000)


def test_merge_in_the_window_on_its_threaded_runner_is_one_undo_step(
    qtbot: QtBot, store: Store, tmp_path: Path, colleague: tuple[int, Path]
) -> None:
    from ui.mainwindow import MainWindow

    plan_id, package = colleague
    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store))
    qtbot.addWidget(window)
    try:
        install_exchange_actions(window)
        window.open_plan(plan_id)
        qtbot.waitUntil(lambda: window.current_plan_id == plan_id, timeout=20000)
        when_shown("mergeDialog", lambda d: d.apply_button.click())
        with msgbox.capture():
            undo = ended_later(qtbot, run_merge, window, store, plan_id, package)
        assert undo is not None and item_view(store, plan_id, "1").status == "done"
        stack = window.stack_for(plan_id)
        assert stack.count() == 1 and "объединение" in stack.undoText()
        assert "перенесено" in window.statusBar().currentMessage()
        stack.undo()
        qtbot.waitUntil(lambda: item_view(store, plan_id, "1").status == "not_started")
    finally:
        window.tasks.shutdown()
