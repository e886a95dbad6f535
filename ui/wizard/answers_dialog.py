"""«План → Изменить ответы…»: the inclusion questions again, with the plan's saved answers.

Before anything changes the dialog shows, from ``change_answers(..., dry_run=True)``, which
items the new answers add, remove, keep as excluded (they hold data) or bring back; only
«Применить» changes the plan. Every service call goes to the window's runner: the plan is read
by :func:`load_answers` before the dialog opens, each preview is a dry run there (the latest
answers win: a preview of answers the form no longer holds is dropped), and «Применить» writes
there, with the button disabled until the work is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.templates import Template, get_template
from cxdesk.errors import UserError
from cxdesk.services.plans import AnswerChange, change_answers, proposed_answers
from cxdesk.services.views import PlanView, get_plan
from cxdesk.storage.db import Store

from ui import msgbox
from ui.tasks import tasks_of
from ui.wizard.check_tree import make_wrapping
from ui.wizard.common import install_qt_translations, note, wrapped
from ui.wizard.effects import items_text
from ui.wizard.questions_form import QuestionsForm
from ui.wording import for_window

GROUPS = (
    ("added", "Будут добавлены"),
    ("removed", "Будут удалены"),
    ("kept_excluded", "Останутся в плане как исключённые: в них уже внесены данные"),
    ("restored", "Вернутся из исключённых"),
)


def diff_sentence(change: AnswerChange) -> str:
    """«Добавится 7 пунктов, удалится 6 пунктов.» (parts that are zero are left out)."""
    parts = []
    if change.added:
        parts.append(f"добавится {items_text(len(change.added))}")
    if change.removed:
        parts.append(f"удалится {items_text(len(change.removed))}")
    one = lambda n: n % 10 == 1 and n % 100 != 11  # noqa: E731 - «останется 1 пункт»
    if change.kept_excluded:
        n = len(change.kept_excluded)
        verb = "останется исключённым" if one(n) else "останутся исключёнными"
        parts.append(f"{verb} {items_text(n)}")
    if change.restored:
        n = len(change.restored)
        verb = "вернётся" if one(n) else "вернутся"
        parts.append(f"{verb} из исключённых {items_text(n)}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class AnswersSource:
    """What the dialog shows, read on the runner: the plan and its template; ``first`` for a
    plan imported without answers, with ``proposed`` the answers its contents imply (applying
    them records the answers only: its rows stay as the file gave them)."""

    plan: PlanView
    template: Template
    first: bool
    proposed: dict[str, bool]


def load_answers(store: Store, plan_id: int) -> AnswersSource:
    """Reads what :class:`AnswersDialog` shows (work for the runner)."""
    plan = get_plan(store, plan_id)
    if not plan.template_id:
        raise UserError(f"План {plan_id} загружен из файла и не связан с вопросами шаблона.")
    template = get_template(plan.template_id)
    first = bool(template.questions) and not plan.answers
    proposed = proposed_answers(store, plan_id) if first else {}
    return AnswersSource(plan, template, first, proposed)


class AnswersDialog(QDialog):
    """The plan's questions with its saved answers and a live preview of what changes.

    The dialog's parent chain must reach a window with a runner (``tasks``). ``change`` holds
    the applied :class:`AnswerChange` after «Применить»; ``previewing`` is True while the dry
    run of the form's answers has not come back.
    """

    def __init__(self, parent: QWidget | None, source: AnswersSource) -> None:
        super().__init__(parent)
        install_qt_translations()
        self.setObjectName("answers_dialog")
        plan = source.plan
        self.plan_id = plan.id
        self.change: AnswerChange | None = None
        self.template = source.template
        self.saved = dict(plan.answers)
        self.first = source.first
        self.proposed = dict(source.proposed)
        self._rows = {r.ref: r for r in plan.rows}
        #: The number of the latest preview asked for; an older one that comes back is dropped.
        self._asked = 0
        self.previewing = False
        self.applying = False
        self.setWindowTitle(f"Изменить ответы — {plan.org}")

        self.form = QuestionsForm(self.template, self.saved or self.proposed)
        self.diff_tree = QTreeWidget()
        self.diff_tree.setObjectName("diff_tree")
        self.diff_tree.setHeaderLabels(["№", "Мероприятие"])
        self.diff_tree.setColumnWidth(0, 190)
        make_wrapping(self.diff_tree)
        self.diff_label = wrapped("", "diff_label")
        font = self.diff_label.font()
        font.setBold(True)
        self.diff_label.setFont(font)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("&Что изменится в плане:")
        heading.setBuddy(self.diff_tree)
        lower_layout.addWidget(heading)
        lower_layout.addWidget(self.diff_label)
        lower_layout.addWidget(self.diff_tree, 1)
        lower_layout.addWidget(
            note(
                "Пункты, в которых уже есть данные (статус, файлы, заметки), не удаляются, "
                "а остаются исключёнными с отметкой, каким ответом они исключены."
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.form)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            "&Применить", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("apply_button")
        cancel = self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancel_button")
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro = (
            "План загружен из файла без ответов на вопросы. Ответы ниже предложены по его "
            "составу: «Да» — там, где блок, раздел или пункт, зависящий от вопроса, в плане "
            "есть, «Нет» — где его нет. Проверьте их и нажмите «Применить»: сохранятся "
            "ответы, а пункты плана останутся как есть."
            if self.first
            else "Измените ответы: ниже видно, что будет добавлено и что удалено. "
            "План изменится только после «Применить»."
        )
        self.intro = wrapped(intro, "answers_intro")
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self.refresh)
        self.form.changed.connect(lambda: self.form.mark_changed(self.saved))
        self.resize(900, 650)
        self.refresh()

    def answers(self) -> dict[str, bool]:
        return self.form.answers()

    def refresh(self) -> None:
        """Asks the runner what applying the form's answers would do (nothing is written);
        the list of changes is redrawn when the answer comes, if the answers are still these."""
        self._asked += 1
        asked = self._asked
        answers, structure, plan_id = self.answers(), not self.first, self.plan_id
        self.previewing = True
        self.apply_button.setEnabled(False)

        def failed(exc: BaseException) -> bool:
            if asked != self._asked:
                return isinstance(exc, UserError)  # stale: only an unexpected error is shown
            self.previewing = False
            if isinstance(exc, UserError):  # e.g. a question still without an answer
                self.diff_tree.clear()
                self.diff_label.setText(for_window(exc.message))
                return True
            return False

        tasks_of(self).run(
            lambda st: change_answers(st, plan_id, answers, dry_run=True, structure=structure),
            parent=self.parentWidget(),
            success=lambda change: self._previewed(asked, change),
            failure=failed,
        )

    def _previewed(self, asked: int, change: AnswerChange) -> None:
        """Redraws the list of changes from a preview, unless the form has moved on."""
        if asked != self._asked:
            return
        self.previewing = False
        self.diff_tree.clear()
        total = 0
        for attr, title in GROUPS:
            refs: list[str] = getattr(change, attr)
            if not refs:
                continue
            total += len(refs)
            group = QTreeWidgetItem([f"{title} ({len(refs)})", ""])
            group.setFirstColumnSpanned(True)
            group.setData(0, Qt.ItemDataRole.UserRole, attr)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.diff_tree.addTopLevelItem(group)
            for ref in refs:
                group.addChild(QTreeWidgetItem(self._describe(ref, attr)))
        self.diff_tree.expandAll()
        changed = change.answers != self.saved
        if total:
            self.diff_label.setText(diff_sentence(change))
        elif changed:
            self.diff_label.setText("Состав плана не изменится; сохранятся только новые ответы.")
            if self.first:
                self.diff_label.setText(
                    "Пункты плана останутся как есть; сохранятся ответы, и дальше «Изменить "
                    "ответы…» будет добавлять и убирать пункты по ним."
                )
        else:
            self.diff_label.setText(
                "Ответы не изменены. Измените ответ — здесь появится, что добавится или удалится."
            )
        conflicts = self.form.contradictions()
        if conflicts:
            self.diff_label.setText(
                self.diff_label.text() + "\nПроверьте ответы: " + " ".join(conflicts)
            )
        self.apply_button.setEnabled(changed and not self.form.unanswered())

    def _describe(self, ref: str, attr: str) -> list[str]:
        local = ref.split(":", 1)[-1]
        row = self._rows.get(ref)
        if row is not None and attr != "added":
            return [f"{row.number.rstrip('.')} (по типовому {local})", row.title]
        return [f"по типовому {local}", self.template.node(local).title]

    def apply(self) -> None:
        """Changes the plan's answers on the runner (the only place this dialog writes); the
        dialog closes when that is done, and stays, as it was, when it failed."""
        if self.previewing or self.applying or not self.apply_button.isEnabled():
            return
        answers, structure, plan_id = self.answers(), not self.first, self.plan_id
        self._hold(True)

        def applied(change: AnswerChange) -> None:
            self._hold(False)
            self.change = change
            self.accept()

        def failed(exc: BaseException) -> bool:
            self._hold(False)
            if isinstance(exc, UserError):
                msgbox.user_error(self, exc, title="Ответы не изменены")
                return True
            return False

        tasks_of(self).run(
            lambda st: change_answers(st, plan_id, answers, structure=structure),
            parent=self,
            success=applied,
            failure=failed,
            label="Изменение ответов…",
        )

    def _hold(self, applying: bool) -> None:
        """While «Применить» writes, nothing in the dialog can be changed or pressed."""
        self.applying = applying
        self.form.setEnabled(not applying)
        self.buttons.setEnabled(not applying)

    def reject(self) -> None:
        """Cancel; not while the answers are being written (the plan would change unseen)."""
        if not self.applying:
            super().reject()

    def done(self, result: int) -> None:
        self._asked += 1  # a preview still on its way is for a closed dialog: dropped
        super().done(result)


Then = Callable[[AnswerChange | None], object]


def run_answers_dialog(window: QWidget, plan_id: int, then: Then | None = None) -> None:
    """Reads the plan on the window's runner and opens the dialog; then ``then(change)`` with
    what «Применить» changed, or ``then(None)`` when nothing changed."""
    done: Then = then or _nothing

    def loaded(source: AnswersSource) -> None:
        if not source.template.questions:
            msgbox.information(
                window,
                f"У типового плана «{source.template.short_title}» нет вопросов о составе: "
                "все его пункты входят в план, менять нечего.",
                title="Изменить ответы",
            )
            done(None)
            return
        dialog = AnswersDialog(window, source)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            change = dialog.change if accepted else None
        finally:
            dialog.deleteLater()
        done(change)

    def failed(exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            msgbox.information(window, exc.message, title="Изменить ответы")
            done(None)
            return True
        done(None)
        return False  # the error dialog says what went wrong

    tasks_of(window).run(
        lambda st: load_answers(st, plan_id), parent=window, success=loaded, failure=failed
    )


def _nothing(_result: object) -> None:
    """The end of a flow whose caller wants no result."""
