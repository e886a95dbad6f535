"""The inclusion questions as a scrolling form of Да/Нет choices, shared by the wizard's step 3
and the «Изменить ответы» dialog.

Keyboard: Tab goes from question to question, the arrow keys choose Да or Нет inside one,
Alt+1 … Alt+9 jump to the question with that number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.templates import Question, Template, contradictions

from ui.wizard.common import note, wrapped
from ui.wizard.effects import affected_nodes, describe_answer, number_of


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def footnotes_text(template: Template, question: Question) -> str:
    """The footnotes behind a question, each labelled with its own number and the place it
    belongs to: «Сноска 12 (к пункту 1.5): …  Сноска 16 (к разделу 3.1): …»."""
    parts = []
    for node in affected_nodes(template, question.id):
        for f in node.footnotes:
            place = f"к {KIND_DATIVE.get(node.kind, 'пункту')} {number_of(node)}"
            text = f"Сноска {f.n} ({place}) типового плана: {' '.join(f.text.split())}"
            if text not in parts:
                parts.append(text)
    if not parts:  # the question's own words, as the template file keeps them
        source = f"Сноска {question.footnote} типового плана: " if question.footnote else ""
        return source + " ".join(question.help.split())
    return "\n".join(parts)


KIND_DATIVE = {"item": "пункту", "section": "разделу", "block": "блоку"}


class QuestionRow(QFrame):
    """One question: its text, the footnote's words, and Да/Нет with what each answer does.

    Signals: ``answered`` when the user chooses an answer.
    """

    answered = Signal()

    def __init__(self, template: Template, question: Question, index: int) -> None:
        super().__init__()
        self.question = question
        self.setObjectName(f"question_{question.id}")
        mnemonic = "&" if index <= 9 else ""
        self.label = wrapped(f"{mnemonic}{index}. {question.text}")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.meaning = wrapped(question.meaning, f"meaning_{question.id}")
        self.help = note(footnotes_text(template, question), f"help_{question.id}")
        self.conflict = wrapped("", f"conflict_{question.id}")
        self.conflict.setStyleSheet("color: #a61b1b; font-weight: bold;")

        self.yes = QRadioButton("Да")
        self.no = QRadioButton("Нет")
        self.group = QButtonGroup(self)
        for button, value, suffix in ((self.yes, True, "yes"), (self.no, False, "no")):
            button.setObjectName(f"answer_{question.id}_{suffix}")
            self.group.addButton(button)
            button.setProperty("answer", value)
        self.yes_effect = wrapped(capitalized(describe_answer(template, question, True)))
        self.no_effect = wrapped(capitalized(describe_answer(template, question, False)))
        for effect in (self.yes_effect, self.no_effect):
            effect.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.yes.setToolTip("Да: " + describe_answer(template, question, True))
        self.no.setToolTip("Нет: " + describe_answer(template, question, False))
        self.label.setBuddy(self.yes)
        self.was = QLabel()
        self.was.setObjectName(f"was_{question.id}")
        self.was.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.was.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 8, 4, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.label, 0, 0, 1, 2)
        grid.addWidget(self.was, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.meaning, 1, 0, 1, 3)
        grid.addWidget(self.help, 2, 0, 1, 3)
        grid.addWidget(self.yes, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.yes_effect, 3, 1, 1, 2)
        grid.addWidget(self.no, 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.no_effect, 4, 1, 1, 2)
        grid.addWidget(self.conflict, 5, 0, 1, 3)
        self.meaning.setVisible(bool(question.meaning))  # once inside the row, never a window
        self.conflict.hide()
        grid.setColumnStretch(1, 1)
        self.set_value(question.default)
        self.group.buttonToggled.connect(self._on_toggled)

    def show_was(self, saved: bool | None) -> None:
        """Marks the question when its answer differs from the saved one."""
        changed = saved is not None and self.value() is not saved
        self.was.setText(f"ответ изменён (был «{'Да' if saved else 'Нет'}»)" if changed else "")
        self.was.setVisible(changed)

    def value(self) -> bool | None:
        checked = self.group.checkedButton()
        return None if checked is None else bool(checked.property("answer"))

    def set_value(self, value: bool | None) -> None:
        """Shows ``value`` (None: neither button chosen)."""
        self.group.blockSignals(True)
        if value is None:
            self.group.setExclusive(False)
            self.yes.setChecked(False)
            self.no.setChecked(False)
            self.group.setExclusive(True)
        else:
            (self.yes if value else self.no).setChecked(True)
        self.group.blockSignals(False)
        self._update_emphasis()

    def _on_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._update_emphasis()
            self.answered.emit()

    def _update_emphasis(self) -> None:
        value = self.value()
        self.label.setBuddy(self.no if value is False else self.yes)
        for effect, mine in ((self.yes_effect, True), (self.no_effect, False)):
            effect.setEnabled(value is None or value is mine)


class QuestionsForm(QScrollArea):
    """All the template's questions, one under another, in a scrolling area.

    Signals: ``changed`` whenever an answer is chosen.
    """

    changed = Signal()

    def __init__(self, template: Template, answers: dict[str, bool] | None = None) -> None:
        super().__init__()
        self.setObjectName("questions_form")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.template = template
        self.rows: dict[str, QuestionRow] = {}
        body = QWidget()
        body.setObjectName("questions_body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        for i, question in enumerate(template.questions, start=1):
            if i > 1:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                layout.addWidget(line)
            row = QuestionRow(template, question, i)
            row.answered.connect(self.contradictions)
            row.answered.connect(self.changed)
            self.rows[question.id] = row
            layout.addWidget(row)
        if not template.questions:
            empty = QLabel(
                "У этого типового плана нет вопросов о составе: все его пункты входят в план."
            )
            empty.setObjectName("no_questions_label")
            empty.setWordWrap(True)
            layout.addWidget(empty)
        layout.addStretch(1)
        self.setWidget(body)
        if answers:
            self.set_answers(answers)
        self.contradictions()

    def answers(self) -> dict[str, bool]:
        """The answers chosen so far (unanswered questions are left out)."""
        out = {}
        for qid, row in self.rows.items():
            value = row.value()
            if value is not None:
                out[qid] = value
        return out

    def set_answers(self, answers: dict[str, bool]) -> None:
        for qid, row in self.rows.items():
            row.set_value(answers.get(qid, row.question.default))

    def mark_changed(self, saved: dict[str, bool]) -> None:
        """Marks each question whose answer differs from ``saved``."""
        for qid, row in self.rows.items():
            row.show_was(saved.get(qid))

    def contradictions(self) -> list[str]:
        """The answers chosen that contradict each other, each said in a sentence; each is
        also shown in red under its question."""
        found = contradictions(self.template, self.answers())
        for row in self.rows.values():
            said = [t for t in found if t.startswith(f"Ответ «Да» на вопрос «{row.question.text}»")]
            row.conflict.setText("\n".join(said))
            row.conflict.setVisible(bool(said))
        return found

    def unanswered(self) -> list[Question]:
        return [row.question for row in self.rows.values() if row.value() is None]

    def first_unanswered(self) -> QuestionRow | None:
        for row in self.rows.values():
            if row.value() is None:
                return row
        return None

    def focus_first(self) -> None:
        """Puts the focus on the first unanswered question (or the first one)."""
        row = self.first_unanswered() or next(iter(self.rows.values()), None)
        if row is not None:
            button = row.group.checkedButton() or row.yes
            button.setFocus(Qt.FocusReason.TabFocusReason)
            self.ensureWidgetVisible(row)
