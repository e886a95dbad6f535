"""Step 2: the organisation and the plan's title (proposed from the organisation)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from cxdesk.domain.building import PlanRequest
from cxdesk.services.plans import default_title

from ui.wizard.common import PageId, PlanPage, field_grid, hint, note


class OneParagraphEdit(QPlainTextEdit):
    """A wrapping text field for one long line: Enter goes on to «Далее», Tab to the next
    field, pasted line breaks become spaces."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        return " ".join(self.toPlainText().split())


class OrgPage(PlanPage):
    """Asks for the organisation (required) and proposes the title printed above the table."""

    page_id = PageId.ORG
    heading = "Организация и название плана"
    explanation = "Для какого органа составляется план и как он будет озаглавлен."

    def __init__(self, orgs: list[str] | None = None) -> None:
        super().__init__()
        self.org_edit = QLineEdit()
        self.org_edit.setObjectName("org_edit")
        self.org_edit.setPlaceholderText(
            "например, Министерство труда и социальной защиты Тульской области"
        )
        if orgs:
            completer = QCompleter(sorted(set(orgs)), self.org_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.org_edit.setCompleter(completer)
        org_label = QLabel("&Организация:")
        org_label.setBuddy(self.org_edit)
        self.org_hint = hint("org_hint")

        self.title_edit = OneParagraphEdit()
        self.title_edit.setObjectName("title_edit")
        title_label = QLabel("&Заголовок плана:")
        title_label.setBuddy(self.title_edit)
        self.reset_button = QPushButton("&Вернуть предложенный")
        self.reset_button.setObjectName("title_reset")
        self.reset_button.setAutoDefault(False)
        self.title_note = note("", "title_note")

        under = QHBoxLayout()
        under.addWidget(self.title_note, 1)
        under.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        grid = field_grid(
            [
                (
                    org_label,
                    [
                        self.org_edit,
                        note("Полное официальное название, как в шапке документа."),
                        self.org_hint,
                    ],
                ),
                (title_label, [self.title_edit, under]),
            ]
        )
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)

        self._auto = True  # the title follows the organisation until the user edits it
        self._setting = False
        self.org_edit.textChanged.connect(self._on_org)
        self.title_edit.textChanged.connect(self._on_title)
        self.reset_button.clicked.connect(self._reset_title)

    def proposed(self) -> str:
        return default_title(self.template(), self.org_edit.text().strip())

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.org_edit.text().strip())

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        # A template without questions (the pilot programme) has nothing to ask on step 3.
        return int(PageId.QUESTIONS if self.template().questions else PageId.DONE)

    def load(self, request: PlanRequest) -> None:
        self._setting = True
        self.org_edit.setText(request.org)
        self._setting = False
        title = request.title.strip()
        self._auto = not title or title == self.proposed()
        follows = default_title(self.template(), "…") != default_title(self.template(), "")
        self.title_note.setText(
            "Заголовок печатается над таблицей плана. Он составлен из названия организации; "
            "его можно изменить — тогда он перестанет следовать за названием."
            if follows
            else "Заголовок печатается над таблицей плана. Предложено название программы; "
            "его можно изменить."
        )
        self._set_title(self.proposed() if self._auto else title)
        self._on_org()

    def focus_start(self) -> None:
        (self.title_edit if self.org_edit.text() else self.org_edit).setFocus()

    def save(self, request: PlanRequest) -> None:
        request.org = self.org_edit.text().strip()
        request.title = self.title_edit.text()

    def _set_title(self, text: str) -> None:
        self._setting = True
        self.title_edit.setPlainText(text)
        self._setting = False
        self.reset_button.setEnabled(not self._auto)

    def _on_org(self, *_args: object) -> None:
        if self._setting:
            return
        if self._auto:
            self._set_title(self.proposed())
        empty = not self.org_edit.text().strip()
        self.org_hint.setText("Укажите организацию, чтобы продолжить." if empty else "")
        self.org_hint.setVisible(empty)
        self.completeChanged.emit()

    def _on_title(self) -> None:
        if self._setting:
            return
        text = self.title_edit.text()
        self._auto = not text or text == self.proposed()
        self.reset_button.setEnabled(not self._auto)

    def _reset_title(self) -> None:
        self._auto = True
        self._set_title(self.proposed())
        self.title_edit.setFocus()
