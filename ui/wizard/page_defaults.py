"""Step 6: the default responsible and deadline, applied only where the template gives none."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from cxdesk.domain.building import PlanRequest, build_rows
from cxdesk.domain.deadlines import DATE, EMPTY, PERIOD, parse_deadline
from cxdesk.text import plural_form

from ui.wizard.common import PageId, PlanPage, field_grid, note, wrapped
from ui.wizard.effects import items_text


def genitive(n: int) -> str:
    """«у 1 пункта», «у 6 пунктов»."""
    return f"{n} {plural_form(n, 'пункта', 'пунктов', 'пунктов')}"


class DefaultsPage(PlanPage):
    """Two optional fields and what they will fill in; the template's own values are kept."""

    page_id = PageId.DEFAULTS
    heading = "Ответственный и срок по умолчанию"
    explanation = (
        "Их можно не указывать: ответственных и сроки можно вписать позже в каждом пункте."
    )

    def __init__(self) -> None:
        super().__init__()
        self.responsible_edit = QLineEdit()
        self.responsible_edit.setObjectName("default_responsible_edit")
        self.responsible_edit.setPlaceholderText("например, Отдел организационной работы")
        responsible_label = QLabel("&Ответственный:")
        responsible_label.setBuddy(self.responsible_edit)
        self.responsible_note = note("", "default_responsible_note")

        self.deadline_edit = QLineEdit()
        self.deadline_edit.setObjectName("default_deadline_edit")
        self.deadline_edit.setPlaceholderText("например, 31.12.2026 или IV квартал 2026 года")
        deadline_label = QLabel("&Срок:")
        deadline_label.setBuddy(self.deadline_edit)
        self.deadline_note = note("", "default_deadline_note")
        self.reading = wrapped("", "default_deadline_reading")

        self.kept_note = wrapped("", "template_values_note")
        self.kept_note.setFrameShape(QLabel.Shape.StyledPanel)
        self.kept_note.setMargin(8)

        form = field_grid(
            [
                (responsible_label, [self.responsible_edit, self.responsible_note]),
                (deadline_label, [self.deadline_edit, self.reading, self.deadline_note]),
            ]
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.kept_note)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        self.deadline_edit.textChanged.connect(self._on_deadline)

    def load(self, request: PlanRequest) -> None:
        self.responsible_edit.setText(request.default_responsible)
        self.deadline_edit.setText(request.default_deadline)
        rows = [
            r
            for r in build_rows(
                self.template(), replace(request, default_responsible="", default_deadline="")
            )
            if r.kind == "item"
        ]
        total = len(rows)
        no_resp = sum(1 for r in rows if not r.responsible)
        no_deadline = sum(1 for r in rows if not r.deadline)
        self.responsible_note.setText(
            f"Будет вписан в {items_text(no_resp)} из {total}: там, где типовой план "
            "не называет ответственного."
            if no_resp
            else "Во всех пунктах плана ответственный уже назван в типовом плане: "
            "это поле ничего не изменит."
        )
        self.deadline_note.setText(
            f"Будет вписан в {items_text(no_deadline)} из {total}: там, где типовой план "
            "не указывает срок."
            if no_deadline
            else "Во всех пунктах плана срок уже указан в типовом плане: "
            "это поле ничего не изменит."
        )
        with_deadline = total - no_deadline
        self.kept_note.setText(
            "Сроки и ответственные, указанные в типовом плане, сохраняются как есть"
            + (f" (в этом плане сроки есть у {genitive(with_deadline)})" if with_deadline else "")
            + ". Значения по умолчанию подставляются только в пустые графы."
        )
        self._on_deadline()

    def focus_start(self) -> None:
        self.responsible_edit.setFocus()

    def save(self, request: PlanRequest) -> None:
        request.default_responsible = self.responsible_edit.text().strip()
        request.default_deadline = self.deadline_edit.text().strip()

    def _on_deadline(self, *_args: object) -> None:
        deadline = parse_deadline(self.deadline_edit.text().strip())
        if deadline.state == EMPTY:
            text = ""
        elif deadline.state == DATE and deadline.due is not None:
            text = (
                f"Понятно как срок {deadline.due.strftime('%d.%m.%Y')}: по нему будут "
                "отмечаться просроченные пункты и напоминания."
            )
        elif deadline.state == PERIOD:
            text = "Понятно как период без даты окончания: просрочка по нему не отмечается."
        else:
            text = "Срок не понят как дата: в плане он будет отмечен для исправления."
        self.reading.setText(text)
        self.reading.setVisible(bool(text))
