"""The main window on a real store: welcome view, the plan's tree, editing with undo and redo,
the filter, the remembered layout, and the actions that exist only with their features."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store
from tests.ui.helpers import AGENCY_ORG, agency_plan, big_plan, region_plan, row_id

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.mainwindow.actions import Act
from ui.mainwindow.plan_dialog import PlanPropertiesDialog
from ui.mainwindow.plan_model import ROW_ROLE
from ui.settings import Settings
from ui.tasks import Tasks

#: The offscreen platform says this whenever a main window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Make = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


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


def stored(store: Store, plan_id: int, number: str) -> object:
    return next(r for r in get_plan(store, plan_id).rows if r.number.rstrip(".") == number)


def shown_items(window: MainWindow, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for i in range(window.model.rowCount(parent)):
        index = window.model.index(i, 0, parent)
        row = index.data(ROW_ROLE)
        if row.kind == "item":
            out.append(row.number.rstrip("."))
        out += shown_items(window, index)
    return out


def type_text(widget: QWidget, text: str) -> None:
    """Types ``text`` as key presses (QTest cannot type Cyrillic letters itself)."""
    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def leave_field(qtbot: QtBot, window: MainWindow) -> None:
    """Moves the focus to the tree, as a click on it would."""
    window.tree.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: window.tree.hasFocus())


def test_empty_data_folder_shows_the_welcome_view(make_window: Make) -> None:
    window = make_window()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.isVisible()
    assert "клиентоцентричности" in window.welcome.findChild(object, "welcomeTitle").text()
    assert window.welcome.create_button.isVisible() and window.welcome.open_button.isVisible()
    assert "cxdesk new" not in window.welcome.findChild(object, "welcomeSteps").text()
    assert not window.acts[Act.DELETE_PLAN].isEnabled()
    assert window.status_bar.progress.text() == ""


def test_a_plan_shows_as_a_tree(make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    assert window.pages.currentWidget() is window.main_splitter
    assert window.current_plan_id == plan_id
    assert window.plans_list.model.rowCount() == 1
    assert window.model.rowCount() == 3  # blocks 1, 2, 3
    assert len(shown_items(window)) == 48
    assert window.status_bar.progress.text() == (
        "Выполнено 3 из 47 (6 %), просрочено 7, исключено 1"
    )
    assert window.windowTitle() == f"{AGENCY_ORG} — cxdesk"
    assert window.panel.row is not None and window.panel.row.number == "1.1."
    assert window.panel.history_model.rowCount() > 0


def test_edit_in_the_panel_then_undo_and_redo(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.4"))
    panel = window.panel
    panel.result.setFocus()
    type_text(panel.result, "Приказ № 301")
    leave_field(qtbot, window)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"
    assert window.model.row_at(window.model.index_of(panel.row.id)).result == "Приказ № 301"
    undo = window.acts[Act.UNDO]
    assert undo.isEnabled() and undo.text().startswith("Отменить изменение: Результат")

    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL)
    assert stored(store, plan_id, "1.4").result == ""
    assert panel.result.text() == ""
    assert item_history(store, plan_id, "1.4")[-1].note == "отмена"
    assert window.acts[Act.REDO].text().startswith("Повторить изменение")

    qtbot.keyClick(window.tree, Qt.Key.Key_Y, CTRL)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"
    assert panel.result.text() == "Приказ № 301"
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"


def test_status_with_comment_and_its_undo(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.4"))
    panel = window.panel
    panel.status.setFocus()
    panel.status.setCurrentIndex(panel.status.findData("done"))
    panel.status.activated.emit(panel.status.currentIndex())
    assert panel.comment.hasFocus()
    assert stored(store, plan_id, "1.4").status == "not_started"  # waits for the comment
    type_text(panel.comment, "приказ подписан")
    qtbot.keyClick(panel.comment, Qt.Key.Key_Return)
    row = stored(store, plan_id, "1.4")
    assert row.status == "done" and row.done_date == "23.11.2026"
    last = item_history(store, plan_id, "1.4")
    assert any(h.field == "status" and h.note == "приказ подписан" for h in last)
    assert panel.comment.text() == ""
    assert window.status_bar.progress.text().startswith("Выполнено 4 из 47")
    assert panel.rows["done_date"].isVisible()

    window.acts[Act.UNDO].trigger()
    row = stored(store, plan_id, "1.4")
    assert row.status == "not_started" and row.done_date == ""
    assert panel.status.currentData() == "not_started"


def test_repeated_edits_of_one_field_are_one_undo_step(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "2.3"))
    panel = window.panel
    for text in ("Отдел кадров", "Отдел кадров\nОрлова Т. В."):
        panel.responsible.setFocus()
        panel.responsible.setText(text)
        leave_field(qtbot, window)
    assert stored(store, plan_id, "2.3").responsible == "Отдел кадров\nОрлова Т. В."
    assert window.stack_for(plan_id).count() == 1
    window.acts[Act.UNDO].trigger()
    assert stored(store, plan_id, "2.3").responsible == ""
    assert (
        "Орлова Т. В."
        in window.filter_bar.responsible.itemText(window.filter_bar.responsible.count() - 1)
        or window.filter_bar.responsible.findData("Орлова Т. В.") >= 0
    )


def test_deadline_by_enter_and_a_refused_value(
    qtbot: QtBot, make_window: Make, store: Store, boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "2.4"))
    panel = window.panel
    edit = panel.deadline.edit
    edit.setFocus()
    type_text(edit, "II квартал 2027 года")
    assert panel.deadline.hint.text() == "Срок для контроля: до 30.06.2027"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored(store, plan_id, "2.4").deadline == "II квартал 2027 года"

    edit.clear()
    type_text(edit, "VI квартал 2026 года")
    assert "не распознан" in panel.deadline.hint.text()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert panel.error.isVisible() and "не распознан" in panel.error.text()
    assert stored(store, plan_id, "2.4").deadline == "II квартал 2027 года"  # nothing changed
    assert boxes == []  # inline, not a dialog
    leave_field(qtbot, window)  # leaving again does not retry the refused value
    assert window.stack_for(plan_id).count() == 1


def test_overdue_and_excluded_items_are_marked(make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.3"))
    assert window.panel.flag.text() == "Просрочено: срок 31.10.2026"
    index = window.tree.currentIndex()
    assert "Просрочено" in index.siblingAtColumn(4).data()
    window.select_row(row_id(store, plan_id, "1.8"))
    assert window.panel.flag.text().startswith("Исключено: письмо Аналитического центра")
    assert window.panel.rows["basis"].isVisible()


def test_filter_text_status_overdue_and_person(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    agency_plan(store)
    window = make_window()
    bar = window.filter_bar
    window.acts[Act.FIND].trigger()
    assert bar.search.hasFocus()
    type_text(bar.search, "реестр")
    qtbot.waitUntil(lambda: shown_items(window) == ["1.4", "1.5"])
    assert bar.count.text() == "Показано 2 из 48"
    qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(shown_items(window)) == 48)

    bar.set_status("done")
    assert shown_items(window) == ["1.1", "1.2", "2.1"]
    bar.set_status("all")
    bar.overdue.setChecked(True)
    assert len(shown_items(window)) == 7 and "1.3" in shown_items(window)
    bar.overdue.setChecked(False)
    bar.responsible.setCurrentIndex(bar.responsible.findData("Орлова Т. В."))
    assert shown_items(window) == ["2.2"]
    bar.reset.click()
    assert len(shown_items(window)) == 48

    window.acts[Act.VIEW_UPCOMING].trigger()
    assert shown_items(window) == ["1.4"]
    window.acts[Act.VIEW_OVERDUE].trigger()
    assert len(shown_items(window)) == 7
    window.acts[Act.VIEW_ALL].trigger()
    assert len(shown_items(window)) == 48


def test_plans_list_switches_plans_and_keeps_undo_apart(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    first = agency_plan(store)
    second = region_plan(store)
    window = make_window()
    window.select_row(row_id(store, first, "2.3"))
    window.panel.note.setFocus()
    window.panel.note.setText("обсудить с кадровой службой")
    leave_field(qtbot, window)
    window.plans_list.select(second)
    assert window.current_plan_id == second
    assert not window.acts[Act.UNDO].isEnabled()  # the other plan's stack
    assert window.status_bar.progress.text().startswith("Выполнено 0 из 38")
    window.plans_list.select(first)
    assert window.acts[Act.UNDO].isEnabled()


def test_layout_and_last_plan_are_restored(qtbot: QtBot, make_window: Make, store: Store) -> None:
    agency_plan(store)
    second = region_plan(store)
    window = make_window("layout.ini")
    window.plans_list.select(second)
    window.resize(790, 640)  # inside the offscreen screen (800 × 800)
    window.main_splitter.setSizes([250, 540])
    window.tree.setColumnWidth(1, 420)
    window.panel.splitter.setSizes([300, 400])
    sizes = window.main_splitter.sizes()
    item_sizes = window.panel.splitter.sizes()
    window.close()

    again = make_window("layout.ini")
    assert again.current_plan_id == second
    assert (again.width(), again.height()) == (790, 640)
    assert again.main_splitter.sizes() == sizes
    assert again.tree.columnWidth(1) == 420
    assert again.panel.splitter.sizes() == item_sizes


def test_wizard_actions_are_wired(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    assert Act.CHANGE_ANSWERS in window.acts and Act.NEW_PLAN in window.acts
    plan_menu = window.menus["План"].actions()
    assert all(a.isEnabled() or a.isSeparator() for a in plan_menu)
    assert window.acts[Act.CHANGE_ANSWERS] in plan_menu
    before = len(shown_items(window))
    window.select_row(row_id(store, plan_id, "2.3"))
    window.panel.note.setFocus()
    window.panel.note.setText("x")
    leave_field(qtbot, window)
    assert window.stack_for(plan_id).count() == 1

    def apply() -> None:
        from PySide6.QtWidgets import QRadioButton

        dialog = QApplication.activeModalWidget()
        dialog.findChild(QRadioButton, "answer_performs_control_yes").click()
        dialog.apply_button.click()

    QTimer.singleShot(0, apply)
    window.acts[Act.CHANGE_ANSWERS].trigger()
    assert len(shown_items(window)) == before + 7  # section 3.3 came in
    assert get_plan(store, plan_id).answers["performs_control"] is True
    # the change is one undo step on top of the note's edit, and «Отменить» takes it back
    assert window.stack_for(plan_id).count() == 2
    undo = window.acts[Act.UNDO]
    assert undo.isEnabled() and undo.text() == "Отменить изменение ответов"
    undo.trigger()
    assert len(shown_items(window)) == before
    assert get_plan(store, plan_id).answers["performs_control"] is False
    undo.trigger()
    assert stored(store, plan_id, "2.3").note == ""
    window.acts[Act.REDO].trigger()
    window.acts[Act.REDO].trigger()
    assert len(shown_items(window)) == before + 7
    assert stored(store, plan_id, "2.3").note == "x"


def test_answers_there_and_back_keep_a_done_item_done(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """«Нет» then «Да» in the answers dialog: the done item comes back done with its result."""
    from PySide6.QtWidgets import QRadioButton

    from cxdesk.services.items import update_item

    plan_id = agency_plan(store)
    window = make_window()
    target = next(r for r in get_plan(store, plan_id).items() if r.ref == "agency:3.1.2")
    update_item(store, plan_id, f"#{target.id}", {"status": "done", "result": "Приказ № 9"})
    window.reload_plan()

    def answer(value: str) -> None:
        def go() -> None:
            dialog = QApplication.activeModalWidget()
            dialog.findChild(QRadioButton, f"answer_provides_services_{value}").click()
            dialog.apply_button.click()

        QTimer.singleShot(0, go)
        window.acts[Act.CHANGE_ANSWERS].trigger()

    answer("no")
    row = next(r for r in get_plan(store, plan_id).rows if r.id == target.id)
    assert row.status == "excluded" and "государственные услуги" in row.basis
    answer("yes")
    back = next(r for r in get_plan(store, plan_id).rows if r.id == target.id)
    assert (back.status, back.result, back.basis) == ("done", "Приказ № 9", "")
    window.select_row(target.id)
    assert window.panel.row.status == "done"
    assert window.acts[Act.UNDO].isEnabled()


def test_plan_properties_are_undoable(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PlanPropertiesDialog)
        dialog.approver_name.setText("А. А. Петрова")
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.acts[Act.PLAN_PROPERTIES].trigger()
    assert get_plan(store, plan_id).approver_name == "А. А. Петрова"
    window.acts[Act.UNDO].trigger()
    assert get_plan(store, plan_id).approver_name == ""


def test_delete_plan_asks_first(make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    with msgbox.capture(answer=False) as asked:
        window.acts[Act.DELETE_PLAN].trigger()
    assert asked[0].kind == "question" and AGENCY_ORG in asked[0].text
    assert [p.id for p in list_plans(store)] == [plan_id]
    with msgbox.capture(answer=True):
        window.acts[Act.DELETE_PLAN].trigger()
    assert list_plans(store) == []
    assert window.pages.currentWidget() is window.welcome
    assert window.current_plan_id is None


def test_about_names_the_data_and_log_folders(make_window: Make, store: Store, boxes) -> None:
    window = make_window()
    window.acts[Act.ABOUT].trigger()
    assert str(store.data_dir) in boxes[-1].text and "cxdesk.log" in boxes[-1].text


def test_unexpected_error_is_logged_and_explained(
    make_window: Make, store: Store, boxes: list
) -> None:
    window = make_window()
    window.tasks.run(lambda st: 1 / 0, parent=window)
    assert boxes[-1].kind == "bug"
    log = store.data_dir / "logs" / "cxdesk.log"
    assert str(log) in boxes[-1].text and "ZeroDivisionError" in log.read_text("utf-8")


def test_a_big_plan_opens_filters_and_jumps(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = big_plan(store, 1000)
    window = make_window()
    assert window.current_plan_id == plan_id
    total = window.model.total_items()
    assert total > 1000
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_End)
    assert window.panel.row.id == window.model.rows[-1].id
    qtbot.keyClick(window.tree, Qt.Key.Key_Home)
    assert window.tree.currentIndex().row() == 0
    window.filter_bar.search.setText("услуге № 999 ")
    window.filter_bar.flush()
    assert window.filter_bar.count.text() == f"Показано 1 из {total}"


def test_new_plan_opens_the_wizard(make_window: Make, store: Store) -> None:
    window = make_window()
    if Act.NEW_PLAN not in window.acts:
        assert window.welcome.create_button is None
        return

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() != "mainWindow"
        dialog.reject()

    QTimer.singleShot(0, cancel)
    window.welcome.create_button.click()
    assert list_plans(store) == []
    assert window.pages.currentWidget() is window.welcome


def test_edit_and_undo_through_the_worker_thread(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = MainWindow(store, Settings.in_file(tmp_path / "async.ini"))  # real worker
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.panel.row is not None)
    target = row_id(store, plan_id, "2.4")
    window.select_row(target)
    qtbot.waitUntil(lambda: window.panel.row.id == target)
    panel = window.panel
    panel.status.setCurrentIndex(panel.status.findData("in_progress"))
    panel.comment.setText("начали")
    assert panel.commit()
    qtbot.waitUntil(lambda: window.model.row_by_id(target).status == "in_progress")
    assert stored(store, plan_id, "2.4").status == "in_progress"
    assert window.panel.status.currentData() == "in_progress"
    window.acts[Act.UNDO].trigger()
    qtbot.waitUntil(lambda: window.model.row_by_id(target).status == "not_started")
    assert stored(store, plan_id, "2.4").status == "not_started"
    window.close()
    assert boxes == []


def test_f2_and_double_click_go_to_the_field(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.5"))
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.currentIndex().siblingAtColumn(5))  # Результат
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)
    assert window.panel.result.hasFocus()


def test_every_field_of_the_item_panel_is_set_by_the_command_line(
    qtbot: QtBot, make_window: Make, store: Store, data_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each field the panel edits has its `cxdesk set` flag; what it sets shows in the panel."""
    from cxdesk.cli import main

    from ui.mainwindow.item_panel import FIELDS

    plan_id = agency_plan(store)
    window = make_window()
    rid = row_id(store, plan_id, "1.2")
    values = {
        "title": "Новый текст", "responsible": "Петрова М.С.", "deadline": "01.12.2026",
        "start": "01.10.2026", "status": "done", "done_date": "20.11.2026",
        "result": "Приказ № 3", "document": "Приказ", "materials": "Письмо № 5",
        "note": "подписан", "basis": "",
    }  # fmt: skip
    assert set(values) == set(FIELDS)
    argv = ["--data-dir", str(data_dir), "set", str(plan_id), f"#{rid}"]
    for name, value in values.items():
        if value:
            argv += ["--" + name.replace("_", "-"), value]
    assert main(argv) == 0, capsys.readouterr().err
    assert "Пункт 1.2.: выполнено" in capsys.readouterr().out
    window.reload_plan()
    window.select_row(rid)
    panel = window.panel
    for name, value in values.items():
        if name != "status":
            assert panel._current(name) == value, name
    assert panel.row.status == "done"


def test_imported_rows_history_reads_in_russian(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """An imported item's history says it came from a file, in words; no key is shown."""
    from cxdesk.services.importing import import_file

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tula_plan.docx"
    plan_id = import_file(store, fixture).plan_id
    window = make_window()
    window.open_plan(plan_id)
    first = next(r for r in get_plan(store, plan_id).items())
    window.select_row(first.id)
    model = window.panel.history_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    for i in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                text = str(model.index(i, col).data(role) or "")
                assert "imported" not in text and "not_started" not in text, text
    assert "Пункт загружен из файла" in model.index(0, 1).data()


def test_core_messages_reach_the_window_without_command_line_advice(
    make_window: Make, boxes: list
) -> None:
    """Every message the core raises (they serve the command line too) reads, in a window's
    box, without «cxdesk …» or «--…» advice."""
    import ast

    from ui.wording import has_cli_advice

    root = Path(__file__).resolve().parents[2] / "cxdesk"
    texts = []
    for path in root.rglob("*.py"):
        if path.parts[-2] in ("commands",) or path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith(
                ("Error", "NotFound", "BadFile", "Problem")
            ):
                for arg in node.args[:1]:
                    parts = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
                    text = "".join(
                        p.value if isinstance(p, ast.Constant) and isinstance(p.value, str)
                        else "3"
                        for p in parts
                    )  # fmt: skip
                    texts.append(text)
    advising = [t for t in texts if has_cli_advice(t)]
    assert len(advising) >= 5  # the core does advise the command line
    window = make_window()
    for text in advising:
        msgbox.user_error(window, text)
    assert boxes and not [b.text for b in boxes if has_cli_advice(b.text)]


def test_a_date_error_goes_when_a_valid_date_is_typed_back(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.2"))
    panel = window.panel
    for key in ("start", "done_date", "deadline"):
        if not panel._shown.get(key):
            continue
        edit = panel.editors[key].edit
        before = edit.text()
        edit.setFocus()
        edit.selectAll()
        type_text(edit, "32.13.2026")
        leave_field(qtbot, window)
        assert panel.error.isVisible() and edit.styleSheet(), key
        edit.setFocus()
        edit.selectAll()
        type_text(edit, before or "01.12.2026")
        assert not panel.error.isVisible(), key  # at once, before the field is left
        assert edit.styleSheet() == "", key
        leave_field(qtbot, window)
        assert not panel.error.isVisible(), key


def test_status_filter_shows_every_choice_whole(make_window: Make, store: Store) -> None:
    """«Ближайшие сроки», never «Ближай… сроки», even in a narrow window."""
    agency_plan(store)
    window = make_window()
    window.resize(900, 600)
    box = window.filter_bar.status
    QApplication.processEvents()
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    option.initFrom(box)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    room = field.width() - box.iconSize().width() - 4  # the text beside the icon, as painted
    for i in range(box.count()):
        assert box.fontMetrics().horizontalAdvance(box.itemText(i)) <= room, box.itemText(i)


def test_answers_of_an_imported_plan_are_proposed_from_its_contents(
    qtbot: QtBot, make_window: Make, store: Store, boxes: list
) -> None:
    """A plan imported without answers: «Изменить ответы…» proposes them from the blocks and
    sections it holds, shows them for confirmation, then records them (rows stay), undoably."""
    from cxdesk.domain.templates import get_template
    from cxdesk.services.importing import import_file

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "agency_autonum.docx"
    plan_id = import_file(store, fixture).plan_id
    plan = get_plan(store, plan_id)
    assert plan.template_id == "agency" and plan.answers == {}
    rows_before = [(r.id, r.ref, r.number) for r in plan.rows]
    refs = {r.ref.split(":", 1)[1] for r in plan.rows if r.ref}
    window = make_window()
    window.open_plan(plan_id)
    seen = {}

    def confirm() -> None:
        dialog = QApplication.activeModalWidget()
        seen["answers"] = dialog.form.answers()
        seen["intro"] = dialog.intro.text()
        seen["enabled"] = dialog.apply_button.isEnabled()
        dialog.apply_button.click()

    QTimer.singleShot(0, confirm)
    window.acts[Act.CHANGE_ANSWERS].trigger()
    template = get_template("agency")
    assert set(seen["answers"]) == {q.id for q in template.questions}  # every one proposed
    assert seen["answers"]["own_hr_service"] is ("2" in refs)  # block 2 (HR) decides
    assert seen["answers"]["provides_services"] is ("3.1" in refs)
    assert "предложены по его составу" in seen["intro"] and seen["enabled"]
    after = get_plan(store, plan_id)
    assert after.answers == seen["answers"]
    assert [(r.id, r.ref, r.number) for r in after.rows] == rows_before  # rows as the file gave
    assert not [b for b in boxes if "--answer" in b.text or "cxdesk " in b.text]
    window.acts[Act.UNDO].trigger()
    assert get_plan(store, plan_id).answers == {}


@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",  # a popup menu on the offscreen platform
    "This plugin does not support grabbing the keyboard",
)
def test_tree_context_menu_offers_the_items_actions(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """A right click on an item: it becomes current; the menu sets its status, excludes it
    (the basis asked in the panel), attaches, opens its documents and shows its guidance."""
    from PySide6.QtWidgets import QMenu

    plan_id = agency_plan(store)
    window = make_window()
    target = row_id(store, plan_id, "3.1.3")
    index = window.model.index_of(target)
    window.tree.scrollTo(index)
    pos = window.tree.visualRect(index).center()
    window.tree.customContextMenuRequested.emit(pos)
    menu = window.findChild(QMenu, "treeContextMenu")
    assert menu is not None and menu.isVisible()
    assert window.panel.row.id == target
    names = {a.objectName() for a in menu.findChildren(QAction)} | {
        a.objectName() for a in menu.actions()
    }
    assert {"ctx_exclude"} <= names
    assert "ctx_attach" in names
    assert "ctx_guidance" in names
    status_menu = window.findChild(QMenu, "ctx_status")
    done = next(a for a in status_menu.actions() if a.objectName() == "ctx_status_done")
    menu.close()
    done.trigger()
    assert stored(store, plan_id, "3.1.3").status == "done"
    assert window.acts[Act.UNDO].isEnabled()
    window.tree.customContextMenuRequested.emit(pos)
    menu = window.findChild(QMenu, "treeContextMenu")
    exclude = next(a for a in menu.actions() if a.objectName() == "ctx_exclude")
    menu.close()
    exclude.trigger()
    assert window.panel.status.currentData() == "excluded"
    assert window.panel.basis.isVisible() and window.panel.basis.hasFocus()


def test_the_selected_item_is_restored_on_the_next_start(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window("restart.ini")
    target = row_id(store, plan_id, "2.3")
    window.select_row(target)
    window.close()
    again = make_window("restart.ini")
    assert again.panel.row is not None and again.panel.row.id == target
    assert again.tree.currentIndex().data(ROW_ROLE).id == target
