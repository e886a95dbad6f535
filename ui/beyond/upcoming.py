"""«Ближайшие сроки (14 дней)»: a banner at the top of the window with what falls due soon.

At start (unless «Не показывать при запуске» is ticked) the window asks for the items of all
plans due within 14 days (:func:`upcoming`, on the database thread) and, when there are any,
shows them in a banner docked at the top: the date, the plan, the item's number and title, and
who is responsible. A click (or Enter) on a line opens its plan and selects the item. «Скрыть»
dismisses the banner; «Вид → Сроки всех планов на 14 дней» shows it again. While it is shown,
the list is read again after every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.deadlines import format_date
from cxdesk.services.calendar_export import upcoming
from cxdesk.services.views import PlanView, RowView
from cxdesk.text import plural

from ui import settings as S
from ui.beyond import common as B
from ui.exchange import common as C

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

DAYS = 14
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ["Срок", "План", "Пункт", "Мероприятие", "Ответственный"]
Entry = tuple[PlanView, RowView]


class UpcomingBanner(QDockWidget):
    """The banner of deadlines due soon.

    Parts for tests: ``list`` (one line per item), ``heading``, ``no_start`` (the check box),
    ``close_button``; ``entries`` are the (plan, row) pairs shown.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Ближайшие сроки", window)
        self.setObjectName("upcomingBanner")
        self.window_ = window
        self.entries: list[Entry] = []
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea)
        self.setTitleBarWidget(QWidget(self))
        frame = QFrame(self)
        frame.setObjectName("upcomingFrame")
        frame.setStyleSheet("#upcomingFrame { background: #fff8e6; border: 1px solid #e8c97a; }")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.heading = QLabel(frame)
        self.heading.setObjectName("upcomingHeading")
        # a long heading must not widen the window: it is cut at the right when narrow
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.heading, 1)
        self.no_start = QCheckBox("Не показывать при запуске", frame)
        self.no_start.setObjectName("upcomingNoStart")
        self.no_start.setChecked(not window.settings.get(S.UPCOMING_AT_START))
        self.no_start.toggled.connect(self._no_start)
        top.addWidget(self.no_start)
        self.close_button = QPushButton("Скрыть", frame)
        self.close_button.setObjectName("upcomingClose")
        self.close_button.setToolTip("Убрать список; снова — «Вид → Сроки всех планов на 14 дней»")
        self.close_button.clicked.connect(self.hide)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.list = QTreeWidget(frame)
        self.list.setObjectName("upcomingList")
        self.list.setAccessibleName("Ближайшие сроки всех планов")
        self.list.setHeaderLabels(HEADERS)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setToolTip("Щёлкните строку, чтобы открыть пункт")
        header = self.list.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate((
            QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Interactive,
            QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
            QHeaderView.ResizeMode.Interactive,
        )):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        header.resizeSection(1, 300)
        header.resizeSection(4, 240)
        self.list.itemClicked.connect(self._go)
        self.list.itemActivated.connect(self._go)
        layout.addWidget(self.list)
        self.setWidget(frame)
        window.changes_applied.connect(self._changes)

    # --- contents ----------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self.list.clear()
        bold = QFont(self.list.font())
        bold.setBold(True)
        soon = plural(len(entries), "пункт", "пункта", "пунктов")
        self.heading.setText(
            f"<b>Ближайшие сроки ({DAYS} дней)</b>: {soon} всех планов — щёлкните строку, "
            "чтобы открыть пункт."
            if entries
            else f"<b>Ближайшие сроки ({DAYS} дней)</b>: в ближайшие {DAYS} дней сроков нет."
        )
        for plan, row in entries:
            when = format_date(row.due_date) if row.due_date else row.deadline
            item = QTreeWidgetItem(self.list, [
                when, C.flat(plan.org or plan.title), row.number.rstrip("."),
                C.flat(row.title), C.flat(row.responsible) or "не указан",
            ])  # fmt: skip
            item.setData(0, TARGET_ROLE, (plan.id, row.id))
            item.setFont(0, bold)
            item.setToolTip(1, plan.org)
            item.setToolTip(3, row.title)
            item.setToolTip(4, row.responsible)
        rows = max(1, min(len(entries), 5))
        height = self.list.sizeHintForRow(0) if entries else self.list.fontMetrics().height() + 6
        self.list.setFixedHeight(self.list.header().sizeHint().height() + rows * height + 6)
        self.list.setVisible(bool(entries))

    def refresh(self, show: bool = False) -> None:
        """Reads the deadlines again; ``show`` makes the banner visible even when empty."""

        def done(entries: list[Entry]) -> None:
            self.set_entries(entries)
            if show or entries:
                self.setVisible(True)
            elif not entries:
                self.setVisible(False)

        self.window_.tasks.run(lambda store: upcoming(store, DAYS), parent=self.window_,
                               success=done)  # fmt: skip

    def _changes(self, _changes: Any) -> None:
        if self.isVisible():
            self.refresh()

    def _go(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, TARGET_ROLE)
        if target:
            B.go_to_item(self.window_, *target)

    def _no_start(self, checked: bool) -> None:
        self.window_.settings.set(S.UPCOMING_AT_START, not checked)


def banner(window: MainWindow) -> UpcomingBanner:
    """The window's banner (made, docked at the top and hidden, on first use)."""
    made = getattr(window, "beyond_upcoming", None)
    if isinstance(made, UpcomingBanner):
        return made
    made = UpcomingBanner(window)
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, made)
    made.hide()
    window.beyond_upcoming = made
    return made


def show_upcoming(window: MainWindow) -> UpcomingBanner:
    """«Вид → Сроки всех планов на 14 дней»: the banner, shown even when nothing is due."""
    made = banner(window)
    made.refresh(show=True)
    return made


def check_at_start(window: MainWindow) -> None:
    """At start: the banner when something falls due soon and the user has not turned it off."""
    if not window.settings.get(S.UPCOMING_AT_START):
        return
    banner(window).refresh()


class _FirstShow(QObject):
    """Calls back once, when the window is first shown."""

    def __init__(self, window: MainWindow, call: Any) -> None:
        super().__init__(window)
        self.call = call

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.call)
        return False


def when_shown(window: MainWindow) -> None:
    """Schedules :func:`check_at_start` for just after the window appears."""
    if window.isVisible():
        QTimer.singleShot(0, window, lambda: check_at_start(window))
        return
    window.installEventFilter(_FirstShow(window, lambda: check_at_start(window)))
