"""Step 1: choose the typical template, with what it is for shown beside the list."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from cxdesk.domain.building import PlanRequest
from cxdesk.domain.templates import Template, all_templates, get_template
from cxdesk.text import plural_form

from ui.wizard.common import PageId, PlanPage, hint, wrapped
from ui.wizard.effects import items_text

ID_ROLE = Qt.ItemDataRole.UserRole


def size_text(t: Template) -> str:
    """«76 пунктов, 11 вопросов» or «12 пунктов, без вопросов»."""
    q = len(t.questions)
    questions = f"{q} {plural_form(q, 'вопрос', 'вопроса', 'вопросов')}" if q else "без вопросов"
    return f"{items_text(len(t.items()))}, {questions}"


def template_html(t: Template) -> str:
    """The description shown beside the list: purpose, source, size and questions."""
    q = len(t.questions)
    if q:
        questions = (
            f"{q}: какие блоки и пункты нужны именно вам. Ответы на шаге 3 "
            "определяют состав плана; их можно изменить и после создания плана."
        )
    else:
        questions = "нет: все пункты входят в план, шаг 3 пропускается."
    return (
        f"<p style='font-size:large'><b>{escape(t.title)}</b></p>"
        f"<p><b>Для чего:</b> {escape(t.purpose)}</p>"
        f"<p><b>Пунктов в типовом плане:</b> {len(t.items())}</p>"
        f"<p><b>Вопросов о составе плана:</b> {questions}</p>"
        f"<p><b>Источник:</b> {escape(t.source)}</p>"
        f"<p><b>Версия шаблона:</b> {escape(t.version)}</p>"
    )


class TemplateList(QListWidget):
    """The list of templates; with nothing chosen yet, the first arrow key chooses the first
    template (Qt would skip it: the list's current row starts on it unselected)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        arrows = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Home, Qt.Key.Key_PageDown)
        if not self.selectedItems() and self.count() and event.key() in arrows:
            self.setCurrentRow(0)
            return
        super().keyPressEvent(event)


class TemplatePage(PlanPage):
    """Lists the built-in templates; choosing another one than before resets the answers."""

    page_id = PageId.TEMPLATE
    heading = "Типовой план"
    explanation = (
        "Выберите типовой план, по которому будет составлена ваша «дорожная карта». "
        "Описание выбранного плана — справа."
    )

    def __init__(self) -> None:
        super().__init__()
        self.list = TemplateList()
        self.list.setObjectName("template_list")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setMinimumWidth(270)
        self.list.setMaximumWidth(320)
        for t in all_templates():
            item = QListWidgetItem(f"{t.short_title}\n{size_text(t)}")
            item.setData(ID_ROLE, t.id)
            item.setToolTip(t.title)
            self.list.addItem(item)
        label = QLabel("&Типовые планы:")
        label.setBuddy(self.list)

        self.details = QTextBrowser()
        self.details.setObjectName("template_details")
        self.details.setOpenLinks(False)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details.setPlaceholderText("Выберите типовой план в списке слева.")

        self.warning = hint("template_reset_warning")
        self.warning.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.choose_hint = hint("template_hint")

        left = QVBoxLayout()
        left.addWidget(label)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addLayout(left)
        right = QVBoxLayout()
        right.addWidget(wrapped("Описание:"))
        right.addWidget(self.details, 1)
        row.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.choose_hint)

        self.list.itemSelectionChanged.connect(self._on_current)
        self.list.itemDoubleClicked.connect(lambda _item: self.wizard().next())

    def selected_id(self) -> str:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None and item.isSelected() else ""

    def select(self, template_id: str) -> None:
        """Makes ``template_id`` the chosen template (as a click on it would)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == template_id:
                self.list.setCurrentRow(i)
                return
        raise KeyError(template_id)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.selected_id())

    def load(self, request: PlanRequest) -> None:
        if request.template_id:
            self.select(request.template_id)
        self._on_current()

    def focus_start(self) -> None:
        self.list.setFocus()

    def save(self, request: PlanRequest) -> None:
        chosen = self.selected_id()
        if not chosen or chosen == request.template_id:
            return
        if request.template_id:
            request.answers = {}
            request.done = set()
            request.exclusions = {}
        request.template_id = chosen

    def _on_current(self, *_args: object) -> None:
        chosen = self.selected_id()
        if chosen:
            self.details.setHtml(template_html(get_template(chosen)))
            self.choose_hint.setText("")
        else:
            self.details.clear()
            self.choose_hint.setText("Выберите типовой план, чтобы продолжить.")
        self.warning.setText(self._reset_text(chosen))
        self.warning.setVisible(bool(self.warning.text()))
        self.choose_hint.setVisible(not chosen)
        self.completeChanged.emit()

    def _reset_text(self, chosen: str) -> str:
        request = self.draft() if self.wizard() is not None else None
        if request is None or not request.template_id or chosen in ("", request.template_id):
            return ""
        parts = []
        if request.answers:
            parts.append(f"ответы на вопросы ({len(request.answers)})")
        if request.done:
            parts.append(f"отметки о выполненных пунктах ({len(request.done)})")
        if request.exclusions:
            parts.append(f"исключённые пункты с основаниями ({len(request.exclusions)})")
        if not parts:
            return ""
        before = get_template(request.template_id).short_title
        return (
            f"Вы выбрали другой типовой план. Введённые для плана «{before}» "
            f"{', '.join(parts)} будут сброшены: у другого плана свои вопросы и пункты. "
            f"Чтобы сохранить их, выберите снова «{before}»."
        )
