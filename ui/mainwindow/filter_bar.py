"""The filter above the plan's tree: status, overdue only, responsible person, text search.

:class:`Criteria` says what passes; the plan's model applies it to its cached rows (an item that
passes shows with its block and section), which is much faster on big plans than a proxy model.
:class:`FilterBar` holds the controls; Ctrl+F focuses the search, Esc clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import and_

from PySide6.QtCore import Qt, QTimer
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

from cxdesk.services.shapes import RowView, counted_items

from ui.mainwindow import status

#: The status choices: key → title. ``overdue``, ``upcoming`` and ``no_proof`` (done, no file)
#: are derived.
STATUS_CHOICES = (
    ("all", "Все статусы"),
    ("not_started", "Не начато"),
    ("in_progress", "В работе"),
    ("done", "Выполнено"),
    ("overdue", "Просрочено"),
    ("upcoming", "Ближайшие сроки"),
    ("excluded", "Исключено"),
    ("no_proof", "Без документа"),
)
ALL_PEOPLE = "Все ответственные"
SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class Criteria:
    """What the filter lets through; :meth:`compile` makes the test for one row."""

    status: str = "all"
    overdue_only: bool = False
    responsible: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return self != Criteria()

    @property
    def text_only(self) -> bool:
        """Only words are asked for: a heading found by them shows with all its items."""
        return bool(self.text.split()) and self == Criteria(text=self.text)

    def compile(self) -> Filter:
        return Filter(self)


class Filter:
    """The criteria made ready to test many rows quickly."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self.words = criteria.text.casefold().replace("ё", "е").split()
        self.person = criteria.responsible.strip().casefold()

    def matches(self, haystack: str) -> bool:
        """The row's text (lower-case, «ё» as «е») holds every word."""
        return all(w in haystack for w in self.words)

    def item_passes(self, row: RowView, haystack: str) -> bool:
        c = self.criteria
        if c.status in ("overdue", "upcoming"):
            if not getattr(row, c.status):
                return False
        elif c.status == "no_proof":
            if row.status != "done" or row.attachments:
                return False
        elif c.status != "all" and row.status != c.status:
            return False
        if c.overdue_only and not row.overdue:
            return False
        if self.person and self.person not in (
            line.strip().casefold() for line in row.responsible.splitlines()
        ):
            return False
        return self.matches(haystack)


def narrows(old: Criteria, new: Criteria) -> bool:
    """True when every row that passes ``new`` passed ``old`` too: the same choices, and the
    text typed on (each old word is part of a new one)."""
    if (old.status, old.overdue_only, old.responsible) != (
        new.status, new.overdue_only, new.responsible
    ):  # fmt: skip
        return False
    return _words(new.text).startswith(_words(old.text))


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


class RowIndex:
    """A plan's rows made ready for the filter: their search texts, kinds, depths and parents.

    ``haystacks`` are the rows' texts in lower case with «ё» as «е»; ``up`` the position of each
    row's block or section (-1 at the top). :meth:`passing` tests every row in a few passes of
    C-level substring tests, fast enough for a keystroke on a plan of thousands of items.
    """

    def __init__(self, rows: Sequence[RowView], haystacks: list[str], up: list[int]) -> None:
        self.rows = rows
        self.haystacks = haystacks
        self.up = up
        self.is_item = [r.kind == "item" for r in rows]
        self.depth = [r.depth for r in rows]
        self.headings = [i for i, r in enumerate(rows) if r.kind != "item"]

    def passing(self, criteria: Criteria, among: list[bool] | None = None) -> list[bool]:
        """Which rows show: the items that pass with their blocks and sections (and, when only
        words are asked for, every row under a heading that holds them). ``among``: the rows
        that passed before, when only they can pass now (see :func:`narrows`)."""
        n = len(self.rows)
        if not criteria.active:
            return [True] * n
        test = criteria.compile()
        hays = self.haystacks
        hit = list(among) if among is not None else [True] * n
        for w in test.words:
            hit = [h and w in hay for h, hay in zip(hit, hays, strict=True)]
        if criteria.text_only:
            keep = hit
            depth = self.depth
            end = 0
            for i in self.headings:  # a heading found by the search: all below it passes
                if i >= end and hit[i]:
                    j = i + 1
                    while j < n and depth[j] > depth[i]:
                        keep[j] = True
                        j += 1
                    end = j
        else:
            rows = self.rows
            keep = [False] * n
            for i in compress(range(n), map(and_, hit, self.is_item)):
                keep[i] = test.item_passes(rows[i], hays[i])
        up = self.up
        for i in list(compress(range(n), keep)):
            p = up[i]
            while p >= 0 and not keep[p]:
                keep[p] = True
                p = up[p]
        return keep


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
        self.search.setAccessibleName("Поиск в плане")
        self.search.setPlaceholderText("Найти в плане (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(90)  # it stretches; the status box keeps its words whole
        layout.addWidget(self.search, 3)

        self.status = QComboBox(self)
        self.status.setObjectName("filterStatus")
        for key, text in STATUS_CHOICES:
            self.status.addItem(status.icon(key), text, key)
        self.status.setToolTip("Показывать пункты с этим статусом")
        self.status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # never «Ближай… сроки»: the box is as wide as its longest choice
        self.status.setMinimumContentsLength(max(len(t) for _k, t in STATUS_CHOICES))
        layout.addWidget(self.status, 1)

        self.responsible = QComboBox(self)
        self.responsible.setObjectName("filterResponsible")
        self.responsible.addItem(ALL_PEOPLE, "")
        self.responsible.setToolTip("Показывать пункты этого ответственного")
        self.responsible.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.responsible.setMinimumContentsLength(7)
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

    def show_count(self, shown: int, total: int, active: bool, excluded: int = 0) -> None:
        """«Пунктов: 67» (counted as everywhere: excluded items apart, named in the tooltip);
        with a filter, «Показано 5 из 68» over every item row of the tree."""
        if active:
            self.count.setText(f"Показано {shown} из {total}")
            self.count.setToolTip("Пункты, которые проходят фильтр, из всех пунктов плана")
            return
        self.count.setText(f"Пунктов: {counted_items(total, excluded)}")
        self.count.setToolTip(
            "Пункты к исполнению"
            + (f"; исключённые ({excluded}) показаны в дереве, но не считаются" if excluded else "")
        )

    def _emit(self) -> None:
        self._timer.stop()
        c = self.criteria()
        self.reset.setEnabled(c.active)
        self.changed.emit(c)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
