"""The plan's properties: organisation, title printed above the table, the approval block, and the
signature and executor line printed below it (read from an imported file, or typed here)."""

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

from cxdesk.services.shapes import PlanView

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
        block = QLabel("<b>Гриф «УТВЕРЖДАЮ»</b>", self)
        block.setContentsMargins(0, 8, 0, 0)
        form.addRow(block)
        form.addRow("Должность:", self.approver_position)
        form.addRow("Ф. И. О.:", self.approver_name)
        form.addRow("Дата:", self.approval_date)
        self.signature = AutoText(1, 4, self)
        self.signature.setObjectName("planSignature")
        self.signature.setText(plan.signature)
        self.signature.setPlaceholderText("Например: Заместитель министра … Г.В. Богданова")
        self.executor = AutoText(1, 3, self)
        self.executor.setObjectName("planExecutor")
        self.executor.setText(plan.executor)
        self.executor.setPlaceholderText("Например: Исп.: Петрова М.С., тел. 35-10-21")
        below = QLabel("<b>Под таблицей</b>", self)
        below.setContentsMargins(0, 8, 0, 0)
        form.addRow(below)
        form.addRow("Подпись:", self.signature)
        form.addRow("Исполнитель:", self.executor)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("propertiesError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Refuses an empty organisation (the plan's name in the list and in print)."""
        if not self.org.text().strip():
            self.error.setText("Укажите организацию: её название стоит в списке планов и в шапке.")
            self.error.setVisible(True)
            self.org.setFocus()
            return
        super().accept()

    def values(self) -> dict[str, str]:
        """The fields that differ from the plan."""
        now = {
            "org": self.org.text().strip(),
            "title": self.title.text().strip(),
            "approver_position": self.approver_position.text().strip(),
            "approver_name": self.approver_name.text().strip(),
            "approval_date": self.approval_date.text().strip(),
            "signature": self.signature.text().strip(),
            "executor": self.executor.text().strip(),
        }
        return {k: v for k, v in now.items() if v != getattr(self.plan, k)}

    def before(self, keys: list[str]) -> dict[str, str]:
        return {k: str(getattr(self.plan, k)) for k in keys}
