"""Step 3: the inclusion questions, with a live count of the plan's items.

A template without questions (the pilot programme) skips this step: the organisation page
goes straight on to step 4.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from cxdesk.domain.building import PlanRequest
from cxdesk.text import plural_form

from ui.wizard.common import PageId, PlanPage, hint, note, wrapped
from ui.wizard.effects import count_sentence, items_text, plan_counts
from ui.wizard.questions_form import QuestionsForm


class QuestionsPage(PlanPage):
    """Each question with Да/Нет, its footnote and what each answer brings in or leaves out;
    «Далее» waits until every question without a default is answered."""

    page_id = PageId.QUESTIONS
    heading = "Вопросы о составе плана"
    explanation = (
        "От ответов зависит, какие блоки и пункты типового плана войдут в ваш план. "
        "Под каждым вопросом — пояснение из сноски типового плана."
    )

    def __init__(self) -> None:
        super().__init__()
        self.form: QuestionsForm | None = None
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(
            note(
                "Клавиатура: Tab — к следующему вопросу, стрелки и Пробел — Да или Нет, "
                "Alt+цифра — к вопросу с этим номером."
            )
        )
        self.count_label = wrapped("", "item_count_label")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.hint = hint("questions_hint")
        self.to_unanswered = QPushButton("К &первому без ответа")
        self.to_unanswered.setObjectName("to_unanswered")
        self.to_unanswered.setAutoDefault(False)
        self.to_unanswered.clicked.connect(self._focus_unanswered)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.to_unanswered)
        self._layout.addWidget(self.count_label)
        self._layout.addLayout(bottom)

    def load(self, request: PlanRequest) -> None:
        template = self.template()
        if self.form is None or self.form.template.id != template.id:
            if self.form is not None:
                self._layout.removeWidget(self.form)
                self.form.deleteLater()
            self.form = QuestionsForm(template)
            self.form.changed.connect(self._on_changed)
            self._layout.insertWidget(1, self.form, 1)
            rows = list(self.form.rows.values())
            if rows:
                self.setTabOrder(rows[-1].no, self.to_unanswered)
        self.form.set_answers(request.answers)
        self._on_changed()

    def focus_start(self) -> None:
        if self.form is not None:
            self.form.focus_first()

    def save(self, request: PlanRequest) -> None:
        if self.form is not None and self.form.template.id == request.template_id:
            request.answers = self.form.answers()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.form is not None and not self.form.unanswered()

    def _on_changed(self) -> None:
        assert self.form is not None
        request = self.draft()
        preview = PlanRequest(
            template_id=request.template_id,
            org=request.org,
            answers=self.form.answers(),
            done=request.done,
            exclusions=request.exclusions,
        )
        left = self.form.unanswered()
        counts = plan_counts(self.template(), preview)
        if left:
            n = len(left)
            word = plural_form(n, "вопрос", "вопроса", "вопросов")
            text = (
                f"Пока в плане {items_text(counts.items)}; ещё {n} {word} без ответа — "
                "от них зависит остальной состав плана."
            )
            numbers = [i for i, q in enumerate(self.template().questions, 1) if q in left]
            shown = ", ".join(f"№ {i}" for i in numbers[:6]) + (" …" if len(numbers) > 6 else "")
            self.hint.setText(f"Ответьте на все вопросы, чтобы продолжить (без ответа: {shown}).")
        else:
            text = count_sentence(counts)
            self.hint.setText("")
        conflicts = self.form.contradictions()
        if conflicts:  # pointed out, not refused: the coordinator may know better
            self.hint.setText(" ".join(filter(None, [self.hint.text(), "Проверьте ответы: "
                                                     + " ".join(conflicts)])))  # fmt: skip
        self.count_label.setText(text)
        self.hint.setVisible(bool(left) or bool(conflicts))
        self.to_unanswered.setVisible(bool(left))
        self.completeChanged.emit()

    def _focus_unanswered(self) -> None:
        if self.form is not None:
            self.form.focus_first()
