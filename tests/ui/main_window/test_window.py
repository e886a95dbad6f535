"""The main window on a real store: welcome view, the plan's tree, the plans list, the
remembered layout and selection, the wizard and plan actions, errors, the context menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store
from tests.ui.helpers import (
    AGENCY_ANSWERS,
    AGENCY_ORG,
    agency_plan,
    big_plan,
    region_plan,
    row_id,
    when_shown,
)

from ui import msgbox
from ui.mainwindow.actions import Act
from ui.mainwindow.plan_dialog import PlanPropertiesDialog
from ui.mainwindow.plan_model import ROW_ROLE

from .common import Make, leave_field, shown_items, stored

#: The offscreen platform says this whenever a main window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


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


def test_another_item_never_shows_the_history_of_the_one_before(
    make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    first = window.panel.row
    assert first is not None and window.panel.history_model.rowCount() == 7
    window.select_row(row_id(store, plan_id, "1.4"))
    other = window.panel.row
    assert other is not None and other.number == "1.4."
    history = [window.panel.history_model.index(i, 1).data() for i in range(3)]
    assert window.panel.history_model.rowCount() == 3 and "Сидорова" in " ".join(history)
    window.panel.show_row(window.model.plan, first)  # the history of 1.1 not read again yet
    assert window.panel.history_model.rowCount() == 0
    late = item_history(store, plan_id, f"#{other.id}")
    window.panel.show_history(other.id, late)  # a late answer for the item before is dropped
    assert window.panel.history_model.rowCount() == 0


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


def test_new_plan_and_its_answers_on_the_threaded_runner(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list
) -> None:
    """With the window's own runner (a worker thread): «Новый план…» makes the plan and the
    window opens it; «Изменить ответы…» applies the answers as one undo step."""
    from PySide6.QtWidgets import QDialog, QRadioButton

    from ui.mainwindow import MainWindow
    from ui.settings import Settings
    from ui.tasks import Tasks
    from ui.wizard import AnswersDialog, PlanWizard

    window = MainWindow(store, Settings.in_file(tmp_path / "s.ini"), Tasks(store))
    qtbot.addWidget(window)
    window.show()
    idle = lambda: window.plans_loaded and not window.tasks.pending  # noqa: E731

    def fill(wizard: QDialog) -> None:
        assert isinstance(wizard, PlanWizard)
        pages = wizard.template_page.list
        pages.setCurrentItem(
            next(
                pages.item(i)
                for i in range(pages.count())
                if pages.item(i).data(Qt.ItemDataRole.UserRole) == "agency"
            )
        )
        wizard.next()
        wizard.org_page.org_edit.setText(AGENCY_ORG)
        wizard.next()
        for qid, value in AGENCY_ANSWERS.items():
            wizard.findChild(QRadioButton, f"answer_{qid}_{'yes' if value else 'no'}").click()
        while wizard.currentId() != wizard.summary_page.page_id:
            wizard.next()
        wizard.button(wizard.WizardButton.FinishButton).click()

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, AnswersDialog)
        dialog.findChild(QRadioButton, "answer_it_support_yes").click()
        qtbot.waitUntil(lambda: dialog.apply_button.isEnabled())
        dialog.apply_button.click()

    try:
        qtbot.waitUntil(idle)
        when_shown(PlanWizard, fill)
        window.acts[Act.NEW_PLAN].trigger()
        qtbot.waitUntil(lambda: idle() and window.current_plan_id is not None, timeout=15000)
        (plan,) = list_plans(store)
        assert window.current_plan_id == plan.id and plan.org == AGENCY_ORG
        assert get_plan(store, plan.id).answers["it_support"] is False

        when_shown(AnswersDialog, change)
        window.acts[Act.CHANGE_ANSWERS].trigger()
        qtbot.waitUntil(lambda: window.acts[Act.UNDO].isEnabled(), timeout=15000)
        assert window.status_bar.currentMessage().startswith("Ответы изменены: добавлено")
        assert get_plan(store, plan.id).answers["it_support"] is True
        window.acts[Act.UNDO].trigger()
        qtbot.waitUntil(lambda: get_plan(store, plan.id).answers["it_support"] is False)
        qtbot.waitUntil(idle)
    finally:
        window.tasks.shutdown()


def test_answers_of_an_imported_plan_are_proposed_from_its_contents(
    qtbot: QtBot, make_window: Make, store: Store, boxes: list
) -> None:
    """A plan imported without answers: «Изменить ответы…» proposes them from the blocks and
    sections it holds, shows them for confirmation, then records them (rows stay), undoably."""
    from cxdesk.domain.templates import get_template
    from cxdesk.services.importing import import_file

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "agency_autonum.docx"
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
