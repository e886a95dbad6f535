"""The filter above the plan's tree: status, overdue only, responsible person, text search.

:class:`PlanFilter` is a recursive QSortFilterProxyModel: an item that passes shows with its
block and section. It reads the source model's cached rows directly (no data() calls).
:class:`FilterBar` holds the controls; Ctrl+F focuses the search, Esc clears it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtCore import Signal as _Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ui.mainwindow import status
from ui.mainwindow.plan_model import PlanModel

#: The status choices: key → title. ``overdue`` and ``upcoming`` are derived.
STATUS_CHOICES = (
    ("all", "Все статусы"),
    ("not_started", "Не начато"),
    ("in_progress", "В работе"),
    ("done", "Выполнено"),
    ("overdue", "Просрочено"),
    ("upcoming", "Ближайшие сроки"),
    ("excluded", "Исключено"),
)
ALL_PEOPLE = "Все ответственные"
SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class Criteria:
    """What the filter lets through."""

    status: str = "all"
    overdue_only: bool = False
    responsible: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return self != Criteria()


class PlanFilter(QSortFilterProxyModel):
    """Shows the items that meet the criteria, with their blocks and sections."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.criteria = Criteria()
        self._words: list[str] = []
        self._person = ""
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)

    def set_criteria(self, criteria: Criteria) -> None:
        if criteria == self.criteria:
            return
        self.criteria = criteria
        self._words = criteria.text.casefold().replace("ё", "е").split()
        self._person = criteria.responsible.strip().casefold()
        only_text = bool(self._words) and criteria == Criteria(text=criteria.text)
        # a heading found by its own words shows with all its items
        self.setAutoAcceptChildRows(only_text)
        self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        c = self.criteria
        if not c.active:
            return True
        model = self.sourceModel()
        if not isinstance(model, PlanModel):
            return True
        i = model.child_position(source_row, source_parent)
        if model.rows[i].kind != "item":
            return self.autoAcceptChildRows() and self._matches(model, i)
        return self._item_passes(model, i)

    def _item_passes(self, model: PlanModel, i: int) -> bool:
        c = self.criteria
        row = model.rows[i]
        if c.status in ("overdue", "upcoming"):
            if not getattr(row, c.status):
                return False
        elif c.status != "all" and row.status != c.status:
            return False
        if c.overdue_only and not row.overdue:
            return False
        if self._person and self._person not in (
            line.strip().casefold() for line in row.responsible.splitlines()
        ):
            return False
        return self._matches(model, i)

    def shown_items(self) -> int:
        """How many items pass (an item under a heading found by the search passes too)."""
        model = self.sourceModel()
        if not isinstance(model, PlanModel):
            return 0
        if not self.criteria.active:
            return sum(r.kind == "item" for r in model.rows)
        shown = 0
        found_heading_depth = -1
        for i, row in enumerate(model.rows):
            if found_heading_depth >= 0 and row.depth <= found_heading_depth:
                found_heading_depth = -1
            if row.kind != "item":
                if (
                    found_heading_depth < 0
                    and self.autoAcceptChildRows()
                    and self._matches(model, i)
                ):
                    found_heading_depth = row.depth
                continue
            if found_heading_depth >= 0 or self._item_passes(model, i):
                shown += 1
        return shown

    def _matches(self, model: PlanModel, i: int) -> bool:
        hay = model.marks[i].haystack
        return all(w in hay for w in self._words)


class SearchEdit(QLineEdit):
    """The search field: Esc clears it (and, when already empty, hands focus back).

    Signals: escaped(): Esc pressed on an empty field.
    """

    escaped = _Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """The filter controls.

    Signals: changed(Criteria): the criteria changed (the text after a short pause in typing).
    """

    changed = _Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.search = SearchEdit(self)
        self.search.setObjectName("filterSearch")
        self.search.setPlaceholderText("Найти в плане (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(120)
        layout.addWidget(self.search, 3)

        self.status = QComboBox(self)
        self.status.setObjectName("filterStatus")
        for key, text in STATUS_CHOICES:
            self.status.addItem(status.icon(key), text, key)
        self.status.setToolTip("Показывать пункты с этим статусом")
        self.status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status.setMinimumContentsLength(9)
        layout.addWidget(self.status, 1)

        self.responsible = QComboBox(self)
        self.responsible.setObjectName("filterResponsible")
        self.responsible.addItem(ALL_PEOPLE, "")
        self.responsible.setToolTip("Показывать пункты этого ответственного")
        self.responsible.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.responsible.setMinimumContentsLength(9)
        layout.addWidget(self.responsible, 2)

        self.overdue = QCheckBox("Только просроченные", self)
        self.overdue.setObjectName("filterOverdue")
        layout.addWidget(self.overdue)

        self.reset = QToolButton(self)
        self.reset.setObjectName("filterReset")
        self.reset.setText("Сбросить")
        self.reset.setToolTip("Показать все пункты")
        self.reset.setEnabled(False)
        layout.addWidget(self.reset)

        self.count = QLabel(self)
        self.count.setObjectName("filterCount")
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.flush)
        self.status.currentIndexChanged.connect(self._emit)
        self.responsible.currentIndexChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self.reset.clicked.connect(self.clear)

    def criteria(self) -> Criteria:
        return Criteria(
            status=self.status.currentData() or "all",
            overdue_only=self.overdue.isChecked(),
            responsible=self.responsible.currentData() or "",
            text=self.search.text().strip(),
        )

    def set_status(self, key: str) -> None:
        """Chooses a status (the Вид menu's entries use this)."""
        self.status.setCurrentIndex(max(self.status.findData(key), 0))

    def set_people(self, people: list[str]) -> None:
        """Fills the responsible combo; keeps the chosen person if still there."""
        chosen = self.responsible.currentData() or ""
        self.responsible.blockSignals(True)
        self.responsible.clear()
        self.responsible.addItem(ALL_PEOPLE, "")
        for name in people:
            self.responsible.addItem(name, name)
        at = self.responsible.findData(chosen)
        self.responsible.setCurrentIndex(max(at, 0))
        self.responsible.blockSignals(False)
        if chosen and at < 0:
            self._emit()

    def clear(self) -> None:
        """Shows everything again."""
        for w in (self.search, self.status, self.responsible, self.overdue):
            w.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.responsible.setCurrentIndex(0)
        self.overdue.setChecked(False)
        for w in (self.search, self.status, self.responsible, self.overdue):
            w.blockSignals(False)
        self._emit()

    def flush(self) -> None:
        """Applies typed text at once (Enter in the field does the same)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def show_count(self, shown: int, total: int, active: bool) -> None:
        self.count.setText(f"Показано {shown} из {total}" if active else f"Пунктов: {total}")

    def _emit(self) -> None:
        self._timer.stop()
        c = self.criteria()
        self.reset.setEnabled(c.active)
        self.changed.emit(c)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
