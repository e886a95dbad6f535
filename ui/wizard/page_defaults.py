"""Step 6: the default responsible and deadline, applied only where the template gives none."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from cxdesk import clock
from cxdesk.domain.building import PlanRequest, build_rows, past_template_deadlines
from cxdesk.domain.deadlines import DATE, EMPTY, PERIOD, format_date, parse_deadline
from cxdesk.domain.past_deadlines import DEFAULT, KEEP, SHIFT, shifted, years_to_catch_up
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

        self.past_box = QGroupBox("Сроки типового плана, которые уже прошли")
        self.past_box.setObjectName("past_deadlines_box")
        self.past_text = wrapped("", "past_deadlines_text")
        self.past_keep = QRadioButton("&Оставить как в типовом плане (пункты будут просрочены)")
        self.past_default = QRadioButton("Вписать &срок по умолчанию (поле «Срок» выше)")
        self.past_shift = QRadioButton("Перенести на &целое число лет:")
        self.years = QSpinBox()
        self.years.setObjectName("past_deadlines_years")
        self.years.setRange(1, 10)
        self.years.setSuffix(" г.")
        self.past_group = QButtonGroup(self)
        for button, mode in (
            (self.past_keep, KEEP),
            (self.past_default, DEFAULT),
            (self.past_shift, SHIFT),
        ):
            button.setObjectName(f"past_deadlines_{mode}")
            button.setProperty("mode", mode)
            self.past_group.addButton(button)
        self.past_result = note("", "past_deadlines_result")
        box = QVBoxLayout(self.past_box)
        box.addWidget(self.past_text)
        box.addWidget(self.past_keep)
        box.addWidget(self.past_default)
        shift_row = QHBoxLayout()
        shift_row.addWidget(self.past_shift)
        shift_row.addWidget(self.years)
        shift_row.addStretch(1)
        box.addLayout(shift_row)
        box.addWidget(self.past_result)
        self._past: list = []

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
        layout.addSpacing(8)
        layout.addWidget(self.past_box)
        layout.addStretch(1)
        self.deadline_edit.textChanged.connect(self._on_deadline)
        self.past_group.buttonToggled.connect(self._on_past)
        self.years.valueChanged.connect(self._on_past)

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
        self._load_past(request)
        self._on_deadline()

    def _load_past(self, request: PlanRequest) -> None:
        """Names the template deadlines already past today and the choice made for them."""
        self._past = past_template_deadlines(self.template(), request)
        self.past_box.setVisible(bool(self._past))
        if not self._past:
            return
        today = clock.today()
        dates = sorted({p.deadline for p in self._past})
        numbers = ", ".join(p.number.rstrip(".") for p in self._past[:10])
        more = " …" if len(self._past) > 10 else ""
        self.past_text.setText(
            f"Сегодня {format_date(today)}, а у {genitive(len(self._past))} срок из типового "
            f"плана уже прошёл ({', '.join(dates)}): пункты {numbers}{more}. Что с ними сделать?"
        )
        self.years.blockSignals(True)
        self.years.setValue(request.shift_years or years_to_catch_up(self._past, today))
        self.years.blockSignals(False)
        mode = request.past_deadlines if request.past_deadlines in (KEEP, DEFAULT, SHIFT) else KEEP
        {KEEP: self.past_keep, DEFAULT: self.past_default, SHIFT: self.past_shift}[mode].setChecked(
            True
        )
        self._on_past()

    def past_mode(self) -> str:
        checked = self.past_group.checkedButton()
        return str(checked.property("mode")) if checked is not None else KEEP

    def _on_past(self, *_args: object) -> None:
        if not self._past:
            return
        mode = self.past_mode()
        self.years.setEnabled(mode == SHIFT)
        sample = self._past[0].deadline
        if mode == SHIFT:
            text = f"Например, «{sample}» станет «{shifted(sample, self.years.value())}»."
        elif mode == DEFAULT:
            default = self.deadline_edit.text().strip()
            text = (
                f"Вместо «{sample}» и других прошедших будет «{default}»."
                if default
                else "Срок по умолчанию не указан: у этих пунктов срока не будет, его можно "
                "вписать позже."
            )
        else:
            text = "Сроки останутся как в типовом плане; пункты сразу будут отмечены просроченными."
        self.past_result.setText(text)

    def focus_start(self) -> None:
        self.responsible_edit.setFocus()

    def save(self, request: PlanRequest) -> None:
        request.default_responsible = self.responsible_edit.text().strip()
        request.default_deadline = self.deadline_edit.text().strip()
        request.past_deadlines = self.past_mode() if self._past else KEEP
        request.shift_years = self.years.value() if request.past_deadlines == SHIFT else 0

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
        self._on_past()
