"""«План → Изменить ответы…»: the inclusion questions again, with the plan's saved answers.

Before anything changes the dialog shows, from ``change_answers(..., dry_run=True)``, which
items the new answers add, remove, keep as excluded (they hold data) or bring back; only
«Применить» changes the plan.
"""

from __future__ import annotations

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

from cxdesk.domain.templates import get_template
from cxdesk.errors import UserError
from cxdesk.services.plans import AnswerChange, change_answers, proposed_answers
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from ui import msgbox
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


class AnswersDialog(QDialog):
    """The plan's questions with its saved answers and a live preview of what changes.

    ``change`` holds the applied :class:`AnswerChange` after «Применить».
    """

    def __init__(self, parent: QWidget | None, store: Store, plan_id: int) -> None:
        super().__init__(parent)
        install_qt_translations()
        self.setObjectName("answers_dialog")
        self.store = store
        self.plan_id = plan_id
        self.change: AnswerChange | None = None
        plan = get_plan(store, plan_id)
        if not plan.template_id:
            raise UserError(f"План {plan_id} загружен из файла и не связан с вопросами шаблона.")
        self.template = get_template(plan.template_id)
        self.saved = dict(plan.answers)
        # a plan imported without answers: they are proposed from what it contains, and
        # applying them records the answers only (its rows stay as the file gave them)
        self.first = bool(self.template.questions) and not self.saved
        self.proposed = proposed_answers(store, plan_id) if self.first else {}
        self._rows = {r.ref: r for r in plan.rows}
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

    def preview(self) -> AnswerChange:
        """What applying the current answers would do (nothing is written)."""
        return change_answers(
            self.store, self.plan_id, self.answers(), dry_run=True, structure=not self.first
        )

    def refresh(self) -> None:
        """Recomputes the preview and redraws the list of changes."""
        self.diff_tree.clear()
        try:
            change = self.preview()
        except UserError as exc:  # e.g. a question still without an answer
            self.diff_label.setText(for_window(exc.message))
            self.apply_button.setEnabled(False)
            return
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
        """Changes the plan's answers (the only place this dialog writes)."""
        try:
            self.change = change_answers(
                self.store, self.plan_id, self.answers(), structure=not self.first
            )
        except UserError as exc:
            msgbox.user_error(self, exc, title="Ответы не изменены")
            return
        self.accept()


def run_answers_dialog(parent: QWidget | None, store: Store, plan_id: int) -> AnswerChange | None:
    """Opens the dialog; returns what «Применить» changed, or None when nothing changed."""
    try:
        dialog = AnswersDialog(parent, store, plan_id)
    except UserError as exc:
        msgbox.information(parent, exc.message, title="Изменить ответы")
        return None
    if not dialog.template.questions:
        msgbox.information(
            parent,
            f"У типового плана «{dialog.template.short_title}» нет вопросов о составе: "
            "все его пункты входят в план, менять нечего.",
            title="Изменить ответы",
        )
        dialog.deleteLater()
        return None
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.change
    finally:
        dialog.deleteLater()
