"""The first view on an empty data folder: what cxdesk does, and how to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

INTRO = (
    "cxdesk помогает координатору клиентоцентричности составить план мероприятий "
    "(«дорожную карту») по типовому плану Аналитического центра и довести каждый пункт "
    "до выполнения: сроки, ответственные, результаты, документы, история изменений."
)
STEPS = (
    "Начните с нового плана: выберите типовой план (субъекта РФ, органа исполнительной "
    "власти или пилотной апробации в СЗН), ответьте на несколько вопросов — и пункты "
    "плана будут подобраны и пронумерованы. План, присланный другим органом (Word, Excel "
    "или пакет .cxplan), откройте кнопкой «Открыть файл…»."
)


class WelcomeView(QWidget):
    """Shown instead of the plan while there are no plans."""

    def __init__(
        self,
        new_plan: QAction,
        open_file: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        column = QWidget(self)
        column.setFixedWidth(640)
        layout = QVBoxLayout(column)
        layout.setSpacing(14)

        title = QLabel("Планы мероприятий по внедрению Стандартов клиентоцентричности", column)
        title.setObjectName("welcomeTitle")
        title.setWordWrap(True)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)

        intro = QLabel(INTRO, column)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        steps = QLabel(STEPS, column)
        steps.setObjectName("welcomeSteps")
        steps.setWordWrap(True)
        steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(steps)

        self.create_button = self._button(column, "Создать план…", new_plan, "welcomeCreate")
        self.open_button = self._button(column, "Открыть файл…", open_file, "welcomeOpen")
        for button in (self.create_button, self.open_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.create_button.setDefault(True)

        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(column)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(3)

    @staticmethod
    def _button(parent: QWidget, text: str, action: QAction, name: str) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.setMinimumHeight(36)
        button.setMinimumWidth(220)
        button.clicked.connect(action.trigger)
        return button
