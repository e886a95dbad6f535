"""«Файл → Отправить по почте…»: what to attach and to whom, then a new message in the mail
program (or, when there is none, a draft file to open and send)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cxdesk.errors import UserError
from cxdesk.services.mail import split_addresses
from cxdesk.services.outbox import mail_plan
from cxdesk.storage.db import Store

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C
from ui.tasks import tasks_of

#: What can be attached: key → (choice, explanation).
ATTACHMENTS = {
    "cxplan": ("Пакет cxdesk (.cxplan)",
               "План с историей и вложенными документами — для коллеги, у которого есть cxdesk."),
    "docx": ("Документ Word (.docx)", "Официальная форма плана — для согласования и печати."),
    "xlsx": ("Книга Excel (.xlsx)", "Таблица плана — для сводов и расчётов."),
    "pdf": ("PDF (.pdf)", "Для чтения и печати без правки."),
}  # fmt: skip
PROGRAM_NAMES = {
    "mapi": "почтовой программе",
    "thunderbird": "Thunderbird",
    "xdg-email": "почтовой программе",
}


class MailDialog(QDialog):
    """The attachment's kind and the recipient (optional)."""

    def __init__(self, parent: QWidget | None, org: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("mailDialog")
        self.setWindowTitle("Отправить план по почте")
        settings = C.settings_for(parent)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        if org:
            about = QLabel(f"План «{org}» будет приложен к новому письму.", self)
            about.setWordWrap(True)
            layout.addWidget(about)
        box = QGroupBox("Что приложить", self)
        inner = QVBoxLayout(box)
        inner.setSpacing(2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, (title, hint) in ATTACHMENTS.items():
            button = QRadioButton(title, box)
            button.setObjectName(f"attach_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            inner.addWidget(button)
            note = QLabel(hint, box)
            note.setWordWrap(True)
            note.setIndent(22)
            C.quiet(note)
            inner.addWidget(note)
        chosen = str(settings.get(S.MAIL_FORMAT))
        self.buttons.get(chosen, self.buttons["cxplan"]).setChecked(True)
        layout.addWidget(box)

        form = QFormLayout()
        self.to_edit = QLineEdit(self)
        self.to_edit.setObjectName("toEdit")
        self.to_edit.setPlaceholderText("name@example.ru — можно указать в письме")
        self.to_edit.setText(str(settings.get(S.MAIL_TO)))
        self.to_edit.setMinimumWidth(360)
        form.addRow("&Кому:", self.to_edit)
        layout.addLayout(form)

        buttons = QDialogButtonBox(self)
        self.send_button = buttons.addButton(
            "&Подготовить письмо", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def fmt(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def to(self) -> str:
        return self.to_edit.text().strip()

    def accept(self) -> None:
        try:
            split_addresses(self.to())
        except UserError as exc:
            msgbox.user_error(self, exc)
            self.to_edit.setFocus()
            return
        settings = C.settings_for(self.parent())
        settings.set(S.MAIL_FORMAT, self.fmt())
        settings.set(S.MAIL_TO, self.to())
        super().accept()


def tell_result(parent: QWidget | None, result: Any) -> None:
    """Says in Russian what happened to the message."""
    name = Path(result.attachment).name
    if result.method != "eml":
        where = PROGRAM_NAMES.get(result.method, "почтовой программе")
        msgbox.information(
            parent,
            f"Открыто окно нового письма в {where}; приложен файл «{name}».\n\n"
            "Проверьте адрес и текст письма и отправьте его.",
            title="Письмо подготовлено",
        )
        return
    draft = Path(result.eml)
    if result.opened:
        text = (
            "Почтовая программа не найдена: сохранён черновик письма, он открыт — проверьте "
            "адрес и отправьте письмо."
        )
    else:
        text = (
            "Почтовая программа не найдена: сохранён черновик письма — откройте его и "
            "отправьте (кнопка «Открыть черновик» или двойной щелчок по файлу в папке)."
        )
    C.finished(
        parent,
        text,
        draft,
        detail=f"Черновик: {draft.name}\nПапка: {draft.parent}",
        title="Черновик письма",
        open_text="Открыть черновик",
    )


def send_by_mail(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    eml: Path | None = None,
    then: Callable[[Any], None] | None = None,
) -> None:
    """Shows the dialog, prepares the message; ``then`` gets the mail result (or None)."""
    from cxdesk.services.views import get_plan

    done = then or C.nothing

    def ask(plan: Any) -> None:
        dialog = MailDialog(parent, plan.org or plan.title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            done(None)
            return
        prepare_mail(parent, store, plan_id, dialog.fmt(), dialog.to(), eml, done)

    tasks_of(parent).run(
        lambda st: get_plan(st, plan_id), parent=parent, success=ask, failure=C.ends_with(done)
    )


def prepare_mail(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    fmt: str,
    to: str,
    eml: Path | None,
    then: Callable[[Any], None] | None = None,
) -> None:
    """Makes the attachment and hands it to the mail program; tells the user what happened.

    ``then`` gets the mail result, or None when it failed."""
    done = then or C.nothing

    def prepared(result: Any) -> None:
        tell_result(parent, result)
        done(result)

    tasks_of(parent).run(
        lambda st: mail_plan(st, plan_id, fmt, to, eml),
        parent=parent,
        success=prepared,
        failure=C.ends_with(done),
        label="Подготовка письма…",
    )
