"""Step 7: the approval block («УТВЕРЖДАЮ»): position, name and an optional date."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from cxdesk.domain.building import PlanRequest
from cxdesk.services.common import today

from ui.wizard.common import PageId, PlanPage, field_grid, note, wrapped

DATE_FORMAT = "dd.MM.yyyy"
BLANK_DATE = "«___» ____________ 20__ г."


class ApprovalPage(PlanPage):
    """Fills the block printed in the top right corner of the plan; every field may wait."""

    page_id = PageId.APPROVAL
    heading = "Гриф утверждения"
    explanation = (
        "Блок «УТВЕРЖДАЮ» в правом верхнем углу плана. Поля можно оставить пустыми "
        "и заполнить позже."
    )

    def __init__(self) -> None:
        super().__init__()
        self.position_edit = QPlainTextEdit()
        self.position_edit.setObjectName("approver_position_edit")
        self.position_edit.setTabChangesFocus(True)
        self.position_edit.setPlaceholderText(
            "например,\nМинистр труда и социальной защиты\nТульской области"
        )
        self.position_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        position_label = QLabel("Дол&жность:")
        position_label.setBuddy(self.position_edit)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("approver_name_edit")
        self.name_edit.setPlaceholderText("И.О. Фамилия")
        name_label = QLabel("&Инициалы и фамилия:")
        name_label.setBuddy(self.name_edit)

        self.date_check = QCheckBox("&Указать дату")
        self.date_check.setObjectName("approval_date_check")
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("approval_date_edit")
        self.date_edit.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.calendarWidget().setLocale(self.date_edit.locale())
        self.date_edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        now = today()
        self.date_edit.setDate(QDate(now.year, now.month, now.day))
        self.date_edit.setEnabled(False)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_check)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)

        form = field_grid(
            [
                (
                    position_label,
                    [self.position_edit, note("Можно в несколько строк — как будет напечатано.")],
                ),
                (name_label, [self.name_edit]),
                (
                    "Дата:",
                    [
                        date_row,
                        note(f"Без даты в плане будет строка {BLANK_DATE} — впишете от руки."),
                    ],
                ),
            ]
        )
        column = QVBoxLayout()
        column.addLayout(form)
        column.addStretch(1)

        self.preview = wrapped("", "approval_preview", rich=True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        paper = QFrame()
        paper.setObjectName("approval_paper")
        paper.setFrameShape(QFrame.Shape.StyledPanel)
        paper.setBackgroundRole(QPalette.ColorRole.Base)
        paper.setAutoFillBackground(True)
        paper_layout = QVBoxLayout(paper)
        paper_layout.setContentsMargins(16, 12, 16, 12)
        paper_layout.addWidget(self.preview)
        side = QVBoxLayout()
        side.addWidget(QLabel("Как будет напечатано:"))
        side.addWidget(paper)
        side.addStretch(1)

        row = QHBoxLayout(self)
        row.addLayout(column, 3)
        row.addSpacing(12)
        row.addLayout(side, 2)

        self.position_edit.textChanged.connect(self._update_preview)
        self.name_edit.textChanged.connect(self._update_preview)
        self.date_edit.dateChanged.connect(self._update_preview)
        self.date_check.toggled.connect(self._on_date_check)
        self.setTabOrder(self.position_edit, self.name_edit)
        self.setTabOrder(self.name_edit, self.date_check)
        self.setTabOrder(self.date_check, self.date_edit)

    def approval_date(self) -> str:
        """The date as printed (dd.MM.yyyy), or empty for the blank line."""
        if not self.date_check.isChecked():
            return ""
        return self.date_edit.date().toString(DATE_FORMAT)

    def load(self, request: PlanRequest) -> None:
        self.position_edit.setPlainText(request.approver_position)
        self.name_edit.setText(request.approver_name)
        date = QDate.fromString(request.approval_date, DATE_FORMAT)
        self.date_check.setChecked(date.isValid())
        if date.isValid():
            self.date_edit.setDate(date)
        self._update_preview()

    def focus_start(self) -> None:
        self.position_edit.setFocus()

    def save(self, request: PlanRequest) -> None:
        lines = [line.strip() for line in self.position_edit.toPlainText().splitlines()]
        request.approver_position = "\n".join(line for line in lines if line)
        request.approver_name = self.name_edit.text().strip()
        request.approval_date = self.approval_date()

    def _on_date_check(self, checked: bool) -> None:
        self.date_edit.setEnabled(checked)
        if checked:
            self.date_edit.setFocus()
        self._update_preview()

    def _update_preview(self, *_args: object) -> None:
        position = self.position_edit.toPlainText().strip() or "(должность)"
        name = self.name_edit.text().strip() or "(И.О. Фамилия)"
        when = self.approval_date()
        date_line = f"{when} г." if when else BLANK_DATE
        self.preview.setText(
            "<p><b>УТВЕРЖДАЮ</b></p>"
            f"<p>{escape(position).replace(chr(10), '<br>')}</p>"
            f"<p>_______________ {escape(name)}</p>"
            f"<p>{escape(date_line)}</p>"
        )
