"""The plan menu's commands: new plan and change of answers (through ui.wizard, imported when
first used), the plan's properties (undoable), deleting a plan, «О программе», opening a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from cxdesk import __version__
from cxdesk.logs import log_path
from cxdesk.services.shapes import PlanView
from cxdesk.text import items as items_text

from ui import msgbox
from ui.mainwindow.plan_dialog import PlanPropertiesDialog
from ui.undo import answers_change, plan_edit

if TYPE_CHECKING:
    from cxdesk.services.plans import AnswerChange, Created

    from ui.mainwindow.window import MainWindow


def new_plan(w: MainWindow) -> None:
    """Файл → Новый план…: the wizard makes the plan; the window opens it."""
    from ui.wizard import run_wizard

    w.panel.commit()

    def made(created: Created | None) -> None:
        if created is not None:  # the new plan is in the list, and opened
            w.reload_plans(select=created.plan_id)

    run_wizard(w, made)


def change_answers(w: MainWindow) -> None:
    """План → Изменить ответы…: one undo step (answering back restores every item)."""
    plan_id = w.current_plan_id
    if plan_id is None:
        return
    from ui.wizard import run_answers_dialog

    w.panel.commit()
    run_answers_dialog(w, plan_id, lambda change: _answers_changed(w, plan_id, change))


def _answers_changed(w: MainWindow, plan_id: int, change: AnswerChange | None) -> None:
    """The end of «Изменить ответы…»: one undo step, the status bar, the redraw."""
    if change is None:
        return
    structure = change.structure
    before, after = dict(change.previous), dict(change.answers)
    w.push_command(plan_id, answers_change(plan_id, before, after, w.run_undo_call, structure))
    w.undo_group.setActiveStack(w.stack_for(plan_id))
    parts = [f"добавлено пунктов: {len(change.added)}", f"убрано: {len(change.removed)}"]
    if change.kept_excluded:
        parts.append(f"оставлено исключёнными: {len(change.kept_excluded)}")
    if change.restored:
        parts.append(f"вернулось из исключённых: {len(change.restored)}")
    if not structure:
        parts = ["пункты плана не изменились"]
    w.status_bar.showMessage("Ответы изменены: " + ", ".join(parts) + ".", 10000)
    w.apply_changes(change.changes)


def plan_properties(w: MainWindow) -> None:
    """План → Свойства плана…: organisation, title, approval block (one undo step)."""
    plan_id = w.current_plan_id
    if plan_id is None:
        return
    from cxdesk.services.views import get_plan

    w.tasks.run(
        lambda st: get_plan(st, plan_id), parent=w, success=lambda p: _edit_properties(w, p)
    )


def _edit_properties(w: MainWindow, plan: PlanView) -> None:
    from cxdesk.services.plans import edit_plan

    dialog = PlanPropertiesDialog(plan, w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    values = dialog.values()
    if not values:
        return
    before = dialog.before(list(values))
    plan_id = plan.id
    w.run_service(
        lambda st: edit_plan(st, plan_id, **values),
        then=lambda _r: w.push_command(
            plan_id, plan_edit(plan_id, before, values, w.run_undo_call)
        ),
    )


def confirm_delete(w: MainWindow, delete: Any) -> None:
    """План → Удалить план…: asks first; cannot be undone."""
    plan_id = w.current_plan_id
    if plan_id is None:
        return
    summary = next((p for p in w.plans if p.id == plan_id), None)
    org = summary.org if summary else f"№ {plan_id}"
    items = f" ({items_text(summary.items)})" if summary else ""
    if not msgbox.question(
        w,
        f"Удалить план «{org}»{items} вместе с историей изменений?",
        yes="Удалить план",
        no="Отмена",
        detail="Это действие нельзя отменить."
        + " Перед удалением план можно сохранить в файл (Файл → Экспорт…).",
        dangerous=True,
    ):
        return
    w.panel.commit()

    def forget(_result: Any) -> None:
        w.drop_stack(plan_id)
        w.current_plan_id = None

    w.run_service(lambda st: delete(st, plan_id), label="Удаление плана…", then=forget)


def about(w: MainWindow) -> None:
    """Справка → О программе."""
    msgbox.information(
        w,
        f"cxdesk {__version__}\n\n"
        "Планы мероприятий («дорожные карты») по внедрению Стандартов "
        "клиентоцентричности: построение по типовому плану, учёт исполнения, история "
        "изменений.\n\n"
        f"Папка данных:\n{w.store.data_dir}\n\n"
        f"Журнал ошибок:\n{log_path(w.store.data_dir)}",
        title="О программе",
    )


def open_path(w: MainWindow, path: Path) -> None:
    """A file given on the command line (a plan file or a .cxplan package)."""
    from ui.exchange import handle_startup_file

    handle_startup_file(w, w.store, path)
