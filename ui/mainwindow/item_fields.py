"""The editing widgets of the item panel, and the model of an item's history.

:class:`AutoText` is a plain-text box that grows with its text; :class:`DateField` is a line
edit with a calendar button (the deadline's variant also shows how the text reads as a due
date); :class:`HistoryModel` lists an item's changes in Russian words.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from cxdesk.domain.deadlines import parse_user_date
from cxdesk.services.shapes import HistoryEntry, deadline_hint

from ui.mainwindow import status
from ui.undo import FIELD_TITLES

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root: the default parent
#: Notes the attachment services write themselves; the history line already says as much.
AUTO_NOTES = ("добавлен файл", "файл удалён")
RUSSIAN = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)


class AutoText(QTextEdit):
    """Plain text in a box as high as its text (between ``min_lines`` and ``max_lines``)."""

    def __init__(self, min_lines: int = 2, max_lines: int = 8, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.min_lines = min_lines
        self.max_lines = max_lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - the Qt spelling, like QLineEdit
        if text != self.toPlainText():
            self.setPlainText(text)

    def _fit(self, *_: object) -> None:
        line = QFontMetrics(self.font()).lineSpacing()
        doc = int(self.document().size().height())
        frame = 2 * self.frameWidth() + 4
        height = max(self.min_lines * line + 8, min(doc, self.max_lines * line + 8))
        self.setFixedHeight(height + frame)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()


class DateField(QWidget):
    """A line edit with a calendar popup that writes dd.MM.yyyy.

    With ``deadline=True`` it also accepts the templates' text forms («I квартал 2024 года») and
    shows below how the text reads (the due date, or «срок не распознан»).

    Signals: picked(): a date was chosen in the calendar (the panel saves at once).
    """

    picked = Signal()

    def __init__(self, deadline: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deadline = deadline
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(
            "ДД.ММ.ГГГГ или «I квартал 2024 года»" if deadline else "ДД.ММ.ГГГГ"
        )
        row.addWidget(self.edit)
        self.button = QToolButton(self)
        self.button.setIcon(status.icon("calendar"))
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.button.setToolTip("Выбрать дату в календаре")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(RUSSIAN)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.calendar.clicked.connect(self._on_pick)
        self.calendar.activated.connect(self._on_pick)
        self.button.setMenu(menu)
        row.addWidget(self.button)
        outer.addLayout(row)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(deadline)
        outer.addWidget(self.hint)
        self.edit.textChanged.connect(self._update_hint)
        self._update_hint(self.edit.text())

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - the Qt spelling
        if text != self.edit.text():
            self.edit.setText(text)
            self.edit.setCursorPosition(0)

    def _prepare_calendar(self) -> None:
        d = parse_user_date(self.edit.text())
        self.calendar.setSelectedDate(QDate(d.year, d.month, d.day) if d else QDate.currentDate())

    def _on_pick(self, d: QDate) -> None:
        self.edit.setText(d.toString("dd.MM.yyyy"))
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
        self.picked.emit()

    def _update_hint(self, text: str) -> None:
        if not self.deadline:
            return
        if not text.strip():
            self.hint.setText("срок не указан")
            self.hint.setStyleSheet("")
            return
        hint = deadline_hint(text)
        if hint.startswith("срок не распознан"):
            self.hint.setText(
                "Срок не распознан: введите дату или срок вида «IV квартал 2024 года»"
            )
            self.hint.setStyleSheet(f"color: {status.COLORS['unreadable'].name()};")
        else:
            self.hint.setText(f"Срок для контроля: {hint}" if hint else "")
            self.hint.setStyleSheet("")


def _moment(at: str) -> str:
    try:
        return datetime.fromisoformat(at).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return at


#: Entries that record how an item came to be, not a change of one field.
ARRIVALS = {
    "created": "Пункт создан",
    "imported": "Пункт загружен из файла",
    "merged": "Пункт добавлен из файла коллеги",
}


def _status(value: str) -> str:
    return status.title(value) if value in status.STATUS_TITLES else (value or "—")


def field_title(field: str) -> str:
    """The Russian name of a history entry's field (an unknown one, e.g. from another
    program's package, reads as a plain «Изменение», never its key)."""
    if field.startswith("answer:"):
        return "Ответ на вопрос"
    return FIELD_TITLES.get(field) or ARRIVALS.get(field) or "Изменение"


def _value(field: str, value: str) -> str:
    if field == "status":
        return _status(value)
    if not value:
        return "—"
    one = " ".join(value.split())
    return f"«{one[:77]}…»" if len(one) > 80 else f"«{one}»"


def describe(entry: HistoryEntry) -> str:
    """One history entry in words: «Статус: Не начато → Выполнено»."""
    if entry.field in ARRIVALS:
        text = ARRIVALS[entry.field]
        return f"{text} ({_status(entry.new)})" if entry.new else text
    if entry.field == "attachment":  # a file attached to or removed from the item
        return f"Прикреплён файл «{entry.new}»" if entry.new else f"Убран файл «{entry.old}»"
    name = field_title(entry.field)
    return f"{name}: {_value(entry.field, entry.old)} → {_value(entry.field, entry.new)}"


class HistoryModel(QAbstractTableModel):
    """An item's history, newest first: when and who; what changed, with the comment."""

    HEADINGS = ("Когда, кто", "Изменение")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.beginResetModel()
        self.entries = list(reversed(entries))
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADINGS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADINGS)
        ):
            return self.HEADINGS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{_moment(e.at)}\n{e.user or '—'}"
            note = "" if e.field == "attachment" and e.note.startswith(AUTO_NOTES) else e.note
            return describe(e) + (f"\nКомментарий: {note}" if note else "")
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            name = field_title(e.field)
            text = f"{name}\nбыло: {e.old or '—'}\nстало: {e.new or '—'}"
            if e.field == "status" or e.field in ARRIVALS:
                text = describe(e)
            return text + (f"\nКомментарий: {e.note}" if e.note else "")
        if role == Qt.ItemDataRole.DecorationRole and col == 1 and e.field == "status":
            return status.icon(e.new)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        return None


def separator(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
