"""The plan wizard and the «Изменить ответы» dialog, driven through their real widgets.

The end-to-end test makes a plan with the wizard and the same plan with ``cxdesk new`` and
compares them row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
    QWizard,
)

from cxdesk.cli import main
from cxdesk.domain.building import build_rows
from cxdesk.domain.templates import get_template
from cxdesk.services.items import update_item
from cxdesk.services.plans import Created, create_plan
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store
from tests.ui.helpers import type_text, when_shown

from ui import msgbox
from ui.tasks import Tasks
from ui.wizard import AnswersDialog, PageId, PlanWizard, run_answers_dialog, run_wizard
from ui.wizard.answers_dialog import load_answers
from ui.wizard.wizard import known_orgs

#: The offscreen platform says this whenever a dialog window opens; it is not ours to fix.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ORG = "Министерство труда и социальной защиты Тульской области"
BASIS = "письмо АЦ от 14.02.2025 № 11-05/1234"
RESPONSIBLE = "Отдел организационной работы"
POSITION = "Министр труда и социальной защиты\nТульской области"
APPROVER = "А.А. Филиппов"
ANSWERS = {
    "has_subordinates": True,
    "provides_services": True,
    "has_vg_services": False,
    "region_unified_registry": False,
    "region_unified_feedback": True,
    "own_hr_service": True,
    "provides_support_measures": True,
    "performs_control": True,
    "it_support": False,
    "accounting": False,
    "admin_economic": False,
}


# ---- driving the widgets ---------------------------------------------------------------------


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def next_button(wizard: QWizard) -> QWidget:
    return wizard.button(QWizard.WizardButton.NextButton)


def go_next(qtbot: QtBot, wizard: PlanWizard) -> None:
    before = wizard.currentId()
    assert next_button(wizard).isEnabled(), f"«Далее» is disabled on page {before}"
    click(qtbot, next_button(wizard))
    assert wizard.currentId() != before


def go_back(qtbot: QtBot, wizard: PlanWizard) -> None:
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))


def choose_template(qtbot: QtBot, wizard: PlanWizard, template_id: str) -> None:
    page = wizard.template_page
    for i in range(page.list.count()):
        item = page.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == template_id:
            rect = page.list.visualItemRect(item)
            qtbot.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            break
    assert page.selected_id() == template_id


def answer(qtbot: QtBot, wizard: QWidget, answers: dict[str, bool]) -> None:
    for qid, value in answers.items():
        button = wizard.findChild(QRadioButton, f"answer_{qid}_{'yes' if value else 'no'}")
        assert button is not None, qid
        click(qtbot, button)
        assert button.isChecked()


def toggle_by_keyboard(qtbot: QtBot, tree: QWidget, ref: str) -> None:
    tree.setCurrentItem(tree.item_for(ref))
    qtbot.keyClick(tree, Qt.Key.Key_Space)


class Host(QWidget):
    """What the wizard and the dialog need of a main window: its runner (``tasks``)."""

    def __init__(self, store: Store, synchronous: bool = True) -> None:
        super().__init__()
        self.tasks = Tasks(store, synchronous=synchronous, parent=self)


@pytest.fixture
def host(qtbot: QtBot, store: Store) -> Host:
    window = Host(store)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def threaded(qtbot: QtBot, store: Store) -> Iterator[Host]:
    """A host whose runner has its worker thread, as the window's has."""
    window = Host(store, synchronous=False)
    qtbot.addWidget(window)
    try:
        yield window
    finally:
        window.tasks.shutdown()


@pytest.fixture
def wizard(qtbot: QtBot, store: Store) -> PlanWizard:
    w = PlanWizard(None, known_orgs(store))
    w.confirm_cancel = False
    qtbot.addWidget(w)
    w.show()
    return w


def to_questions(qtbot: QtBot, wizard: PlanWizard, template_id: str = "agency") -> None:
    choose_template(qtbot, wizard, template_id)
    go_next(qtbot, wizard)
    type_text(wizard.org_page.org_edit, ORG)
    go_next(qtbot, wizard)


def plan_json(store: Store, plan_id: int) -> dict:
    """What ``cxdesk show --json`` says of a plan, without the row ids."""
    plan = get_plan(store, plan_id)
    rows = [
        {
            "kind": r.kind, "number": r.number, "ref": r.ref, "title": r.title,
            "deadline": r.deadline, "responsible": r.responsible, "result": r.result,
            "document": r.document, "status": r.shown_status, "basis": r.basis,
        }
        for r in plan.rows
    ]  # fmt: skip
    return {
        "org": plan.org, "title": plan.title, "template": plan.template_id,
        "answers": plan.answers, "done": plan.done_refs, "rows": rows,
        "approval": (plan.approver_position, plan.approver_name, plan.approval_date),
    }  # fmt: skip


def cli_new(capsys: pytest.CaptureFixture[str], *args: str) -> int:
    assert main(["new", *args, "--json"]) == 0
    return int(json.loads(capsys.readouterr().out)["plan"])


# ---- tests -----------------------------------------------------------------------------------


def test_end_to_end_matches_the_command_line(
    qtbot: QtBot, wizard: PlanWizard, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    choose_template(qtbot, wizard, "agency")
    go_next(qtbot, wizard)
    type_text(wizard.findChild(QWidget, "org_edit"), ORG)
    # the proposed title names the body in the prepositional case: «… в Министерстве труда …»
    title = wizard.findChild(QWidget, "title_edit").text()
    assert title.endswith(" в " + ORG.replace("Министерство", "Министерстве", 1))
    go_next(qtbot, wizard)

    answer(qtbot, wizard, ANSWERS)
    count = wizard.questions_page.count_label.text()
    assert count.startswith("В плане будет 53 пункта")
    go_next(qtbot, wizard)

    done = wizard.done_page
    toggle_by_keyboard(qtbot, done.tree, "1.1")
    assert done.tree.checked_refs() == {"1.1"}
    assert "52 пункта" in done.count_label.text()
    go_next(qtbot, wizard)

    exclude = wizard.exclude_page
    assert "1.1" not in exclude.tree.refs()  # done items are not offered
    toggle_by_keyboard(qtbot, exclude.tree, "1.7")
    assert not next_button(wizard).isEnabled()  # no basis yet
    type_text(exclude.basis_edit, BASIS)
    assert exclude.exclusions() == {"1.7": BASIS}
    go_next(qtbot, wizard)

    type_text(wizard.defaults_page.responsible_edit, RESPONSIBLE)
    go_next(qtbot, wizard)

    approval = wizard.approval_page
    approval.position_edit.setFocus()
    type_text(approval.position_edit, POSITION)
    type_text(approval.name_edit, APPROVER)
    click(qtbot, approval.date_check)
    approval.date_edit.setDate(QDate(2025, 3, 14))
    go_next(qtbot, wizard)

    summary = wizard.summary_page
    request = wizard.request()
    expected = [
        (r.number, r.title, r.deadline, r.responsible, f"исключён: {r.basis}" if r.basis else "")
        for r in build_rows(get_template("agency"), request)
    ]
    assert summary.rows_shown() == expected
    assert (
        "1.6.",
        exclude.tree.item_for("1.7").text(1),
        "",
        RESPONSIBLE,
        f"исключён: {BASIS}",
    ) in (expected)
    assert list_plans(store) == []  # nothing is written before «Готово»
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.result() == QWizard.DialogCode.Accepted

    request = wizard.request()
    assert request.approval_date == "14.03.2025"
    made = create_plan(store, request).plan_id
    args = ["agency", "--org", ORG, "--done", "1.1", "--exclude", f"1.7={BASIS}"]
    args += ["--responsible", RESPONSIBLE, "--approver-position", POSITION]
    args += ["--approver-name", APPROVER, "--approval-date", "14.03.2025"]
    for qid, value in ANSWERS.items():
        args += ["--answer", f"{qid}={'yes' if value else 'no'}"]
    by_cli = cli_new(capsys, *args)
    ours, theirs = plan_json(store, made), plan_json(store, by_cli)
    assert ours == theirs
    assert len([r for r in ours["rows"] if r["kind"] == "item"]) == 52


def test_back_and_next_keep_every_answer(qtbot: QtBot, wizard: PlanWizard) -> None:
    to_questions(qtbot, wizard)
    answer(qtbot, wizard, ANSWERS)
    go_next(qtbot, wizard)
    toggle_by_keyboard(qtbot, wizard.done_page.tree, "2.1")
    go_back(qtbot, wizard)
    assert wizard.currentId() == PageId.QUESTIONS
    assert wizard.questions_page.form.answers() == ANSWERS
    go_back(qtbot, wizard)
    assert wizard.org_page.org_edit.text() == ORG
    go_back(qtbot, wizard)
    assert wizard.currentId() == PageId.TEMPLATE
    go_next(qtbot, wizard)  # the same template: nothing is reset
    go_next(qtbot, wizard)
    assert wizard.questions_page.form.answers() == ANSWERS
    go_next(qtbot, wizard)
    assert wizard.done_page.tree.checked_refs() == {"2.1"}

    for _ in range(3):
        go_back(qtbot, wizard)
    template_page = wizard.template_page
    choose_template(qtbot, wizard, "region")
    warning = template_page.warning.text()
    assert template_page.warning.isVisible() and "будут сброшены" in warning
    assert "ответы на вопросы (11)" in warning
    choose_template(qtbot, wizard, "agency")  # changing one's mind brings them back
    assert not template_page.warning.isVisible()
    choose_template(qtbot, wizard, "region")
    go_next(qtbot, wizard)
    assert wizard.org_page.org_edit.text() == ORG  # the organisation stays
    go_next(qtbot, wizard)
    form = wizard.questions_page.form
    assert form.template.id == "region" and form.answers() == {}
    assert wizard.draft.done == set() and wizard.draft.answers == {}


def test_next_waits_for_required_answers(qtbot: QtBot, wizard: PlanWizard) -> None:
    assert not next_button(wizard).isEnabled()  # no template chosen
    choose_template(qtbot, wizard, "agency")
    go_next(qtbot, wizard)
    org = wizard.org_page
    assert not next_button(wizard).isEnabled()
    assert org.org_hint.isVisible() and "организацию" in org.org_hint.text()
    type_text(org.org_edit, "   ")
    assert not next_button(wizard).isEnabled()
    type_text(org.org_edit, ORG)
    assert next_button(wizard).isEnabled() and not org.org_hint.isVisible()
    qtbot.keyClick(org.org_edit, Qt.Key.Key_Return)  # Enter = «Далее»
    assert wizard.currentId() == PageId.QUESTIONS

    page = wizard.questions_page
    assert not any(b.isChecked() for b in page.findChildren(QRadioButton))  # none preselected
    answers = dict(ANSWERS)
    last = answers.pop("admin_economic")
    answer(qtbot, wizard, answers)
    assert not next_button(wizard).isEnabled()
    assert "№ 11" in page.hint.text()
    answer(qtbot, wizard, {"admin_economic": last})
    assert next_button(wizard).isEnabled() and not page.hint.isVisible()
    go_next(qtbot, wizard)
    go_next(qtbot, wizard)

    exclude = wizard.exclude_page
    toggle_by_keyboard(qtbot, exclude.tree, "3.4.1")
    assert not next_button(wizard).isEnabled()
    assert "3.4.1" in exclude.hint.text()
    qtbot.keyClick(exclude.tree, Qt.Key.Key_Space)  # unticked again: nothing to explain
    assert next_button(wizard).isEnabled()


def test_the_keyboard_is_enough(qtbot: QtBot, wizard: PlanWizard) -> None:
    focus = QApplication.focusWidget
    qtbot.waitUntil(lambda: focus() is wizard.template_page.list)
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    assert wizard.template_page.selected_id() == "region"  # the first one
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    assert wizard.template_page.selected_id() == "agency"
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.ORG
    qtbot.waitUntil(lambda: focus() is wizard.org_page.org_edit)
    type_text(focus(), ORG)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.QUESTIONS
    qtbot.waitUntil(lambda: focus().objectName() == "answer_has_subordinates_yes")
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    assert focus().objectName() == "answer_has_subordinates_no"
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus().objectName() == "answer_provides_services_yes"
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    qtbot.keyClick(wizard, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert focus().objectName() == "answer_region_unified_feedback_yes"
    form = wizard.questions_page.form
    assert form.answers() == {"has_subordinates": False, "provides_services": True}
    answer(qtbot, wizard, ANSWERS)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)  # Enter on a radio button = «Далее»
    assert wizard.currentId() == PageId.DONE
    done = wizard.done_page.tree
    qtbot.waitUntil(lambda: focus() is done)
    qtbot.keyClick(done, Qt.Key.Key_Down)
    qtbot.keyClick(done, Qt.Key.Key_Space)
    assert done.checked_refs() == {"1.1"}
    qtbot.keyClick(done, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.EXCLUDE


def test_defaults_fill_only_what_the_template_leaves_empty(
    qtbot: QtBot, wizard: PlanWizard
) -> None:
    to_questions(qtbot, wizard)
    answer(qtbot, wizard, ANSWERS)
    while wizard.currentId() != PageId.DEFAULTS:
        go_next(qtbot, wizard)
    page = wizard.defaults_page
    assert "сохраняются" in page.kept_note.text()
    type_text(page.deadline_edit, "31.12.2026")
    assert "31.12.2026" in page.reading.text()
    type_text(page.responsible_edit, RESPONSIBLE)
    go_next(qtbot, wizard)
    template = get_template("agency")
    rows = [r for r in build_rows(template, wizard.request()) if r.kind == "item"]
    for row in rows:
        node = template.node(row.ref)
        assert row.deadline == (node.deadline or "31.12.2026")
        assert row.responsible == (node.responsible or RESPONSIBLE)
    assert any(template.node(r.ref).deadline for r in rows)  # some keep the template's own


def test_cancel_writes_nothing(qtbot: QtBot, wizard: PlanWizard, store: Store) -> None:
    to_questions(qtbot, wizard)
    answer(qtbot, wizard, ANSWERS)
    while wizard.currentId() != PageId.SUMMARY:
        go_next(qtbot, wizard)
    wizard.confirm_cancel = True
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    with msgbox.capture(answer=False) as asked:  # «Продолжить заполнение»
        click(qtbot, cancel)
    assert [a.text for a in asked] == ["Прервать создание плана?"]
    assert wizard.isVisible() and wizard.currentId() == PageId.SUMMARY
    with msgbox.capture(answer=True):  # «Прервать»
        click(qtbot, cancel)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert list_plans(store) == []


def test_run_wizard_cancelled_returns_none(qtbot: QtBot, host: Host, store: Store) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PlanWizard)
        dialog.reject()  # on the first page Cancel asks nothing

    QTimer.singleShot(0, cancel)
    ended: list[Created | None] = []
    run_wizard(host, ended.append)
    assert ended == [None]
    assert list_plans(store) == []


def test_pilot_has_no_questions(
    qtbot: QtBot, wizard: PlanWizard, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    choose_template(qtbot, wizard, "szn_pilot")
    assert "шаг 3 пропускается" in wizard.template_page.details.toPlainText()
    go_next(qtbot, wizard)
    type_text(wizard.org_page.org_edit, ORG)
    go_next(qtbot, wizard)
    assert wizard.currentId() == PageId.DONE  # step 3 skipped
    assert "12 пунктов" in wizard.done_page.count_label.text()
    go_back(qtbot, wizard)
    assert wizard.currentId() == PageId.ORG
    while wizard.currentId() != PageId.SUMMARY:
        go_next(qtbot, wizard)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    made = create_plan(store, wizard.request()).plan_id
    by_cli = cli_new(capsys, "szn_pilot", "--org", ORG)
    assert plan_json(store, made) == plan_json(store, by_cli)
    assert len(get_plan(store, made).items()) == 12


def _agency_plan(store: Store) -> int:
    from cxdesk.domain.building import PlanRequest

    return create_plan(store, PlanRequest("agency", ORG, answers=dict(ANSWERS))).plan_id


def _groups(dialog: AnswersDialog) -> dict[str, int]:
    tree = dialog.diff_tree
    return {
        tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): tree.topLevelItem(i).childCount()
        for i in range(tree.topLevelItemCount())
    }


def test_answers_dialog_shows_the_change_and_applies_only_on_confirmation(
    qtbot: QtBot, host: Host, store: Store
) -> None:
    plan_id = _agency_plan(store)
    update_item(store, plan_id, "3.3.1", {"status": "in_progress"}, "")  # holds data now
    before = plan_json(store, plan_id)
    dialog = AnswersDialog(host, load_answers(store, plan_id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form.answers() == ANSWERS  # the saved answers
    assert not dialog.apply_button.isEnabled() and _groups(dialog) == {}

    answer(qtbot, dialog, {"it_support": True, "performs_control": False})
    assert _groups(dialog) == {"added": 7, "removed": 6, "kept_excluded": 1}
    assert "Добавится 7 пунктов" in dialog.diff_label.text()
    assert dialog.findChild(QWidget, "was_it_support").isVisible()
    assert plan_json(store, plan_id) == before  # the preview wrote nothing
    click(qtbot, dialog.findChild(QPushButton, "cancel_button"))
    assert dialog.change is None and plan_json(store, plan_id) == before

    dialog = AnswersDialog(host, load_answers(store, plan_id))
    qtbot.addWidget(dialog)
    dialog.show()
    answer(qtbot, dialog, {"it_support": True, "performs_control": False})
    click(qtbot, dialog.apply_button)
    change = dialog.change
    assert change is not None and len(change.added) == 7 and len(change.removed) == 6
    assert change.kept_excluded == ["agency:3.3.1"]
    after = get_plan(store, plan_id)
    assert after.answers["it_support"] is True
    kept = next(r for r in after.rows if r.ref == "agency:3.3.1")
    assert kept.status == "excluded" and "контроль (надзор)" in kept.basis


def test_run_answers_dialog_cancelled_returns_none(qtbot: QtBot, host: Host, store: Store) -> None:
    plan_id = _agency_plan(store)

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AnswersDialog)
        dialog.findChild(QRadioButton, "answer_accounting_yes").click()
        dialog.reject()

    QTimer.singleShot(0, cancel)
    ended: list[object] = []
    run_answers_dialog(host, plan_id, ended.append)
    assert ended == [None]
    assert get_plan(store, plan_id).answers["accounting"] is False


def test_shots_script_saves_every_page(tmp_path: Path, qapp: QApplication) -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "tools" / "shots_wizard.py"
    spec = importlib.util.spec_from_file_location("shots_wizard", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    saved = module.save_wizard_shots(tmp_path)
    assert len(saved) >= 10 and all(p.stat().st_size > 1000 for p in saved)


def test_answers_of_a_plan_without_questions(qtbot: QtBot, host: Host, store: Store) -> None:
    from cxdesk.domain.building import PlanRequest

    plan_id = create_plan(store, PlanRequest("szn_pilot", ORG)).plan_id
    ended: list[object] = []
    with msgbox.capture() as shown:
        run_answers_dialog(host, plan_id, ended.append)
    assert ended == [None]
    assert len(shown) == 1 and "нет вопросов" in shown[0].text


def test_ticking_an_exclusion_with_the_mouse_selects_its_row(
    qtbot: QtBot, wizard: PlanWizard
) -> None:
    """A click on the box of a row that is not current ticks it and makes it current: its
    «Основание» field is enabled at once, and the page does not jump when the hint appears."""
    to_questions(qtbot, wizard)
    answer(qtbot, wizard, ANSWERS)
    go_next(qtbot, wizard)
    go_next(qtbot, wizard)
    exclude = wizard.exclude_page
    tree = exclude.tree
    first = tree.item_for(tree.refs()[0])
    tree.setCurrentItem(first)
    assert exclude.basis_edit.isEnabled()
    target = tree.item_for("3.4.1")
    tree.scrollToItem(target)
    box_y = exclude.basis_edit.mapTo(wizard, exclude.basis_edit.rect().topLeft()).y()
    option = QStyleOptionViewItem()
    index = tree.indexFromItem(target, 0)
    tree.itemDelegate().initStyleOption(option, index)
    option.rect = tree.visualRect(index)
    box = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert target.checkState(0) == Qt.CheckState.Checked
    assert tree.currentItem() is target
    assert exclude.basis_edit.isEnabled() and "3.4.1" in exclude.basis_label.text()
    assert exclude.hint.isVisible()
    assert exclude.basis_edit.mapTo(wizard, exclude.basis_edit.rect().topLeft()).y() == box_y


def test_questions_say_what_their_footnotes_mean(qtbot: QtBot, wizard: PlanWizard) -> None:
    """Each question asks what the coordinator knows, its footnotes are labelled by their own
    numbers, and contradictory answers are pointed out."""
    to_questions(qtbot, wizard)
    page = wizard.questions_page
    form = page.form
    meaning = form.findChild(QLabel, "meaning_has_subordinates")
    assert meaning.isVisible() and "необязател" in meaning.text()
    assert "Сноска 10 (к пункту 1.5) типового плана: Опционально." in (
        form.findChild(QLabel, "help_has_subordinates").text()
    )
    services = form.findChild(QLabel, "help_provides_services").text()
    assert "Сноска 12 (к пункту 1.5)" in services and "Сноска 16 (к разделу 3.1)" in services
    for qid in ("region_unified_registry", "region_unified_feedback"):
        text = form.rows[qid].question.text
        assert not text.startswith("Утвердил") and "переносит ли" in text
    answer(qtbot, wizard, {"provides_services": False, "has_vg_services": True})
    conflict = form.findChild(QLabel, "conflict_has_vg_services")
    assert conflict.isVisible() and "противоречит" in conflict.text()
    assert "Проверьте ответы" in page.hint.text() and page.hint.isVisible()
    answer(qtbot, wizard, {"has_vg_services": False})
    assert not conflict.isVisible() and "Проверьте ответы" not in page.hint.text()


def test_answers_dialog_points_out_contradictions(qtbot: QtBot, host: Host, store: Store) -> None:
    plan_id = _agency_plan(store)
    dialog = AnswersDialog(host, load_answers(store, plan_id))
    qtbot.addWidget(dialog)
    dialog.show()
    answer(qtbot, dialog, {"provides_services": False, "has_vg_services": True})
    assert "противоречит" in dialog.diff_label.text()
    assert dialog.findChild(QLabel, "conflict_has_vg_services").isVisible()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("keep", "31.12.2024"), ("shift", "31.12.2026"), ("default", "01.12.2027")],
)
def test_past_template_deadlines_are_named_and_handled(
    qtbot: QtBot, wizard: PlanWizard, store: Store, mode: str, expected: str
) -> None:
    """Today (CXDESK_TODAY, 23.11.2026) the agency template's «31.12.2024» is past: the wizard
    names those items and keeps them, moves them by whole years, or puts the default in."""
    to_questions(qtbot, wizard)
    answer(qtbot, wizard, ANSWERS)
    for _ in range(3):
        go_next(qtbot, wizard)
    assert wizard.currentId() == PageId.DEFAULTS
    page = wizard.defaults_page
    box = page.findChild(QWidget, "past_deadlines_box")
    assert box.isVisible()
    text = page.findChild(QLabel, "past_deadlines_text").text()
    template = get_template("agency")
    dated = [r for r in build_rows(template, wizard.request()) if r.kind == "item" and r.deadline]
    assert dated and "23.11.2026" in text and "31.12.2024" in text
    assert f"у {len(dated)} пунктов" in text and all(r.number.rstrip(".") in text for r in dated)
    assert page.findChild(QWidget, "past_deadlines_keep").isChecked()  # nothing changes unasked
    assert page.years.value() == 2  # the fewest whole years that bring them to today or later
    type_text(page.deadline_edit, "01.12.2027")
    choice = page.findChild(QRadioButton, f"past_deadlines_{mode}")
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
    assert page.past_mode() == mode
    assert expected in page.findChild(QLabel, "past_deadlines_result").text() or mode == "keep"
    for _ in range(2):
        go_next(qtbot, wizard)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.result() == QWizard.DialogCode.Accepted
    create_plan(store, wizard.request())  # what run_wizard does with the request
    (plan,) = list_plans(store)
    rows = get_plan(store, plan.id).items()
    made = [r for r in rows if template.node(r.ref.split(":")[1]).deadline]
    assert len(made) == len(dated) and {r.deadline for r in made} == {expected}
    assert (plan.overdue > 0) == (mode == "keep")


def _to_summary_and_finish(qtbot: QtBot, wizard: PlanWizard, org: str) -> None:
    choose_template(qtbot, wizard, "szn_pilot")
    go_next(qtbot, wizard)
    type_text(wizard.org_page.org_edit, org)
    while wizard.currentId() != PageId.SUMMARY:
        go_next(qtbot, wizard)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))


def test_run_wizard_on_the_threaded_runner(qtbot: QtBot, threaded: Host, store: Store) -> None:
    """The organisations offered are read on the worker, the plan is made there, and the flow
    ends by handing its id on."""
    from cxdesk.domain.building import PlanRequest

    create_plan(store, PlanRequest("szn_pilot", "ГКУ ТО «ЦЗН города Тулы»"))
    offered: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanWizard)
        model = dialog.org_page.org_edit.completer().model()
        offered.extend(model.index(i, 0).data() for i in range(model.rowCount()))
        _to_summary_and_finish(qtbot, dialog, ORG)

    when_shown(PlanWizard, fill)
    ended: list[Created | None] = []
    run_wizard(threaded, ended.append)
    assert ended == [] and QApplication.activeModalWidget() is None  # the worker reads first
    qtbot.waitUntil(lambda: len(ended) == 1, timeout=10000)
    assert offered == ["ГКУ ТО «ЦЗН города Тулы»"]
    created = ended[0]
    assert created is not None and get_plan(store, created.plan_id).org == ORG
    assert created.changes.plans_list and created.changes.plan_ids == {created.plan_id}
    assert [p.org for p in list_plans(store)].count(ORG) == 1


def test_a_plan_not_made_reopens_the_wizard_as_it_was(
    qtbot: QtBot, host: Host, store: Store
) -> None:
    """The database refuses the plan (it says «locked»): «План не создан» says why, the wizard
    opens again on the page it was on with what was entered, and a second «Готово» makes it."""
    import sqlite3

    con = sqlite3.connect(store.db_path)
    con.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON plans "
        "BEGIN SELECT RAISE(ABORT, 'database is locked'); END"
    )
    con.commit()
    again: dict[str, object] = {}

    def retry(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanWizard)
        again["page"] = dialog.currentId()
        again["org"] = dialog.org_page.org_edit.text()
        con.execute("DROP TRIGGER refuse")
        con.commit()
        click(qtbot, dialog.button(QWizard.WizardButton.FinishButton))

    def first(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanWizard)
        _to_summary_and_finish(qtbot, dialog, ORG)
        when_shown(PlanWizard, retry)

    when_shown(PlanWizard, first)
    ended: list[Created | None] = []
    try:
        with msgbox.capture() as shown:
            run_wizard(host, ended.append)
    finally:
        con.close()
    assert [(s.title, "занята" in s.text) for s in shown] == [("План не создан", True)]
    assert again == {"page": PageId.SUMMARY, "org": ORG}
    assert len(ended) == 1 and ended[0] is not None
    assert [p.org for p in list_plans(store)] == [ORG]


def test_answers_dialog_on_the_threaded_runner(qtbot: QtBot, threaded: Host, store: Store) -> None:
    """Previews are dry runs on the worker: «Применить» waits for the latest, an older one that
    comes back is dropped, and «Применить» writes there with the dialog held meanwhile."""
    import threading

    plan_id = _agency_plan(store)
    update_item(store, plan_id, "3.3.1", {"status": "in_progress"}, "")
    seen: dict[str, object] = {}

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, AnswersDialog)
        qtbot.waitUntil(lambda: not dialog.previewing)
        assert _groups(dialog) == {} and not dialog.apply_button.isEnabled()
        resets: list[int] = []
        dialog.diff_tree.model().modelReset.connect(lambda: resets.append(1))
        gate = threading.Event()
        threaded.tasks.run(lambda _st: gate.wait(10))  # the worker is busy elsewhere
        answer(qtbot, dialog, {"it_support": True, "accounting": True})
        answer(qtbot, dialog, {"performs_control": False, "accounting": False})
        assert dialog.previewing and not dialog.apply_button.isEnabled()
        gate.set()
        qtbot.waitUntil(lambda: not dialog.previewing)
        seen["redrawn"] = len(resets)  # four previews asked, the last one drawn
        seen["groups"] = _groups(dialog)
        assert dialog.apply_button.isEnabled()

        gate = threading.Event()
        threaded.tasks.run(lambda _st: gate.wait(10))
        click(qtbot, dialog.apply_button)
        seen["held"] = not dialog.buttons.isEnabled() and not dialog.form.isEnabled()
        dialog.reject()  # Esc while writing: the dialog stays
        seen["stayed"] = dialog.isVisible()
        gate.set()

    when_shown(AnswersDialog, change)
    ended: list[object] = []
    run_answers_dialog(threaded, plan_id, ended.append)
    assert ended == []
    qtbot.waitUntil(lambda: len(ended) == 1, timeout=15000)
    assert seen == {
        "redrawn": 1,
        "groups": {"added": 7, "removed": 6, "kept_excluded": 1},
        "held": True,
        "stayed": True,
    }
    applied = ended[0]
    assert applied is not None and applied.kept_excluded == ["agency:3.3.1"]
    assert get_plan(store, plan_id).answers["it_support"] is True
