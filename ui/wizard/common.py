"""What the pages of the plan wizard share: page ids, the page base class with its
``load``/``save`` pair, small label factories and Qt's own Russian translations."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt, QTimer, QTranslator
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from cxdesk.domain.building import PlanRequest
from cxdesk.domain.templates import Template, get_template


class PageId(IntEnum):
    """The wizard's pages, in the order they are shown."""

    TEMPLATE = 0
    ORG = 1
    QUESTIONS = 2
    DONE = 3
    EXCLUDE = 4
    DEFAULTS = 5
    APPROVAL = 6
    SUMMARY = 7


STEPS = len(PageId)
PAGE_NAMES = {
    PageId.TEMPLATE: "page_template",
    PageId.ORG: "page_org",
    PageId.QUESTIONS: "page_questions",
    PageId.DONE: "page_done",
    PageId.EXCLUDE: "page_exclude",
    PageId.DEFAULTS: "page_defaults",
    PageId.APPROVAL: "page_approval",
    PageId.SUMMARY: "page_summary",
}

#: Qt's own dialogs (calendar, context menus of text fields) in Russian when the file exists.
_TRANSLATOR_FLAG = "cxdesk_qtbase_ru"


def install_qt_translations() -> bool:
    """Loads ``qtbase_ru`` into the running application once; False when it is not there.

    Nothing relies on it: every text the wizard shows is set in Russian by the wizard itself.
    """
    app = QCoreApplication.instance()
    if app is None:
        return False
    if app.property(_TRANSLATOR_FLAG):
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_ru", folder):
        return False
    app.installTranslator(translator)
    app.setProperty(_TRANSLATOR_FLAG, True)
    return True


def wrapped(text: str = "", name: str = "", rich: bool = False) -> QLabel:
    """A label that wraps its text and lets the user select and copy it."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def note(text: str = "", name: str = "") -> QLabel:
    """A quieter explanatory label (help texts, notes under fields)."""
    label = wrapped(text, name)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    return label


def hint(name: str) -> QLabel:
    """The label that says why «Далее» is not available yet (empty when it is)."""
    label = wrapped("", name)
    label.setStyleSheet("color: #a61b1b; font-weight: bold;")
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)  # the page does not jump when the hint comes and goes
    label.setSizePolicy(policy)
    return label


def field_grid(rows: list[tuple[QLabel | str, list[QWidget | QLayout]]]) -> QGridLayout:
    """Labels on the left, each beside a column of its field, notes and hints.

    (QFormLayout leaves odd gaps around word-wrapped notes; this keeps them tight.)
    """
    grid = QGridLayout()
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(14)
    for i, (label, parts) in enumerate(rows):
        if isinstance(label, str):
            label = QLabel(label)
        box = QVBoxLayout()
        box.setSpacing(4)
        for part in parts:
            if isinstance(part, QLayout):
                box.addLayout(part)
            else:
                box.addWidget(part)
        first = parts[0] if parts else None
        if isinstance(first, QLineEdit | QDateEdit):
            # Same height as the one-line field, so that the texts sit on one line.
            label.setFixedHeight(first.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        else:
            label.setContentsMargins(0, 4, 0, 0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label, i, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(box, i, 1)
    grid.setColumnStretch(1, 1)
    return grid


class PlanPage(QWizardPage):
    """A page of the plan wizard.

    Each page reads the wizard's request in :meth:`load` (whenever it is shown, so that it
    reflects what the earlier pages say) and writes its part back in :meth:`save`: on «Далее»,
    on «< Назад» (so Back keeps what was entered) and once more when the wizard is accepted.
    """

    page_id: PageId
    heading = ""
    explanation = ""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName(PAGE_NAMES[self.page_id])
        step = int(self.page_id) + 1
        self.setTitle(f"Шаг {step} из {STEPS}. {self.heading}")
        self.setSubTitle(self.explanation)

    # The request the wizard is filling.
    def draft(self) -> PlanRequest:
        return cast(PlanRequest, cast(Any, self.wizard()).draft)

    def template(self) -> Template:
        return get_template(self.draft().template_id)

    def load(self, request: PlanRequest) -> None:
        """Shows what ``request`` holds for this page."""

    def save(self, request: PlanRequest) -> None:
        """Writes this page's part into ``request``."""

    def focus_start(self) -> None:
        """Puts the keyboard focus where the user starts on this page."""

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.load(self.draft())
        # The page is not shown yet; focus once it is (QWizard focuses its own choice first).
        QTimer.singleShot(0, self._focus_if_current)

    def _focus_if_current(self) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            self.focus_start()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt's name
        # QWizard would reset the page's fields here; the wizard keeps them instead.
        self.save(self.draft())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.save(self.draft())
        return True


def set_buttons_russian(wizard: QWizard) -> None:
    """Button texts in Russian whatever translations are installed."""
    texts = {
        QWizard.WizardButton.BackButton: "< &Назад",
        QWizard.WizardButton.NextButton: "&Далее >",
        QWizard.WizardButton.CommitButton: "&Далее >",
        QWizard.WizardButton.FinishButton: "&Готово",
        QWizard.WizardButton.CancelButton: "Отмена",
        QWizard.WizardButton.HelpButton: "Справка",
    }
    for button, text in texts.items():
        wizard.setButtonText(button, text)
