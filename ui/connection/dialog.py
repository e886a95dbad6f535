"""«Файл → Подключение к общей базе…»: where the window keeps its data.

By default the data are a file in the data folder and nothing needs setting. An IT department
that has set a shared PostgreSQL database up (README) gives each person its address; it is kept
in the user's settings (without a password: PostgreSQL's own password file, pgpass, or a domain
sign-in carries that) and used from the next start. ``--db``/``CXDESK_DB`` still win over it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cxdesk.errors import UserError

from ui import msgbox
from ui.settings import SHARED_DB, Settings

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

HINT = "postgresql://имя_входа@сервер:5432/база"


def apply_saved(settings: Settings) -> None:
    """At start: the saved address becomes CXDESK_DB unless one is given already."""
    url = str(settings.get(SHARED_DB) or "").strip()
    if url and not os.environ.get("CXDESK_DB"):
        os.environ["CXDESK_DB"] = url


class ConnectionDialog(QDialog):
    """The choice between the data folder's file and a shared database, with a check."""

    def __init__(self, current: str, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle("Подключение к общей базе")
        layout = QVBoxLayout(self)
        now = QLabel(f"Сейчас данные: {where}", self)
        now.setObjectName("connectionNow")
        now.setWordWrap(True)
        layout.addWidget(now)
        self.local = QRadioButton("Файл в папке данных (по умолчанию, ничего настраивать не нужно)")
        self.local.setObjectName("useLocal")
        self.shared = QRadioButton("Общая база PostgreSQL (Postgres Pro) организации")
        self.shared.setObjectName("useShared")
        layout.addWidget(self.local)
        layout.addWidget(self.shared)
        form = QFormLayout()
        self.url = QLineEdit(current, self)
        self.url.setObjectName("dbUrl")
        self.url.setPlaceholderText(HINT)
        self.url.setMinimumWidth(460)
        form.addRow("Адрес базы:", self.url)
        layout.addLayout(form)
        note = QLabel(
            "Адрес выдаёт ИТ-отдел. Пароль здесь не хранится: он берётся из файла паролей "
            "PostgreSQL (pgpass) или входа по доменной учётной записи. Подключение начнёт "
            "действовать при следующем запуске cxdesk.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.outcome = QLabel("", self)
        self.outcome.setObjectName("checkResult")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.check_button = QPushButton("&Проверить подключение", self)
        self.check_button.setObjectName("checkButton")
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        layout.addWidget(buttons)
        (self.shared if current else self.local).setChecked(True)
        self.shared.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.url.setEnabled(self.shared.isChecked())
        self.check_button.setEnabled(self.shared.isChecked())

    def chosen_url(self) -> str:
        return self.url.text().strip() if self.shared.isChecked() else ""

    def check(self) -> bool:
        """Tries the address once (nothing is changed there); shows what it found."""
        from cxdesk.storage.db import resolve_url
        from cxdesk.storage.postgres import check_connection, is_postgres

        url = self.chosen_url()
        try:
            if not is_postgres(resolve_url(url) or "-"):
                raise UserError(f"Адрес должен начинаться с postgresql://, например {HINT}.")
            text = check_connection(url)
        except UserError as exc:
            self.outcome.setText("⚠ " + exc.message)
            return False
        self.outcome.setText("✓ " + text)
        return True

    def accept(self) -> None:
        if self.shared.isChecked() and not self.check():
            return
        super().accept()


def connection_action(window: MainWindow) -> None:
    """Shows the dialog and saves the choice in the user's settings."""
    settings: Settings = window.settings
    store = window.store
    where = f"общая база {store.label}" if store.kind == "postgresql" else f"файл {store.label}"
    dialog = ConnectionDialog(str(settings.get(SHARED_DB) or ""), where, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    settings.set(SHARED_DB, dialog.chosen_url())
    settings.sync()
    msgbox.information(
        window,
        "Подключение сохранено. Оно начнёт действовать при следующем запуске cxdesk."
        if dialog.chosen_url()
        else "cxdesk будет хранить данные в файле папки данных (со следующего запуска).",
    )


def install_connection(window: MainWindow) -> QAction:
    """Adds «Подключение к общей базе…» to the «Файл» menu."""
    from ui.safety import _file_menu

    action = QAction("Подключение к &общей базе…", window)
    action.setObjectName("action_connection")
    action.setStatusTip("Хранить данные в файле папки данных или в общей базе организации")
    action.triggered.connect(lambda: connection_action(window))
    menu = _file_menu(window)
    quit_action = next((a for a in menu.actions() if a.objectName() == "action_quit"), None)
    if quit_action is not None:
        menu.insertAction(quit_action, action)
    else:
        menu.addAction(action)
    window.connection_action = action
    return action
