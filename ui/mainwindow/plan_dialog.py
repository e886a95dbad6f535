"""The plan's properties: organisation, title printed above the table, the approval block."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cxdesk.services.views import PlanView

from ui.mainwindow.item_fields import AutoText


class PlanPropertiesDialog(QDialog):
    """Edits the plan's own fields; :meth:`values` gives those the user changed."""

    def __init__(self, plan: PlanView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planProperties")
        self.setWindowTitle("Свойства плана")
        self.setMinimumWidth(560)
        self.plan = plan
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.org = QLineEdit(plan.org, self)
        self.title = AutoText(2, 5, self)
        self.title.setText(plan.title)
        self.approver_position = AutoText(1, 4, self)
        self.approver_position.setText(plan.approver_position)
        self.approver_position.setPlaceholderText("Например: Министр труда и социальной защиты")
        self.approver_name = QLineEdit(plan.approver_name, self)
        self.approver_name.setPlaceholderText("Например: И. И. Иванов")
        self.approval_date = QLineEdit(plan.approval_date, self)
        self.approval_date.setPlaceholderText("Например: «___» __________ 2026 г.")
        form.addRow("Организация:", self.org)
        form.addRow("Заголовок плана:", self.title)
        layout.addLayout(form)
        block = QLabel("<b>Гриф «УТВЕРЖДАЮ»</b>", self)
        layout.addWidget(block)
        approval = QFormLayout()
        approval.addRow("Должность:", self.approver_position)
        approval.addRow("Ф. И. О.:", self.approver_name)
        approval.addRow("Дата:", self.approval_date)
        layout.addLayout(approval)
        buttons = QDialogButtonBox(self)
        buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        """The fields that differ from the plan."""
        now = {
            "org": self.org.text().strip(),
            "title": self.title.text().strip(),
            "approver_position": self.approver_position.text().strip(),
            "approver_name": self.approver_name.text().strip(),
            "approval_date": self.approval_date.text().strip(),
        }
        return {k: v for k, v in now.items() if v != getattr(self.plan, k)}

    def before(self, keys: list[str]) -> dict[str, str]:
        return {k: str(getattr(self.plan, k)) for k in keys}
