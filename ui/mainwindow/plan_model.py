"""The plan as a tree of blocks, sections and items: a model over cached rows.

The model is built from one :class:`~cxdesk.services.views.PlanView` (one query), never asks the
store per row, and finds parents from the rows' depths in document order. After an edit the
window hands it the changed rows only (:meth:`PlanModel.update_rows`, read by the service
:func:`cxdesk.services.views.load_rows`); the tree is rebuilt only when rows were added, removed
or moved.

The shape of the tree lives on the C++ side: a ``QStandardItemModel`` holds one item per shown
block or section, and an item row is an empty cell in its heading's table. The model is an
identity proxy over it that answers only :meth:`~PlanModel.data` in Python. So when the tree
lays itself out after a filter (every shown row is asked its index and whether it has rows under
it), Qt does not call into Python once per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import and_

import shiboken6
from PySide6.QtCore import (
    QIdentityProxyModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from cxdesk.domain.deadlines import UNREADABLE, format_date, parse_deadline
from cxdesk.services.shapes import PlanView, RowView, today

from ui.mainwindow import status
from ui.mainwindow.filter_bar import Criteria, RowIndex, narrows

Index = QModelIndex | QPersistentModelIndex

#: Column keys and headings, in order.
COLUMNS = (
    ("number", "№"),
    ("title", "Мероприятие"),
    ("deadline", "Срок"),
    ("responsible", "Ответственный"),
    ("status", "Статус"),
    ("result", "Результат"),
    ("document", "Вид документа"),
)
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the RowView
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the row id

_HEADINGS = ("block", "section")
_NO_CHILDREN: tuple[int, ...] = ()  # shared by every item (items never have rows under them)
_COLUMN_COUNT = len(COLUMNS)


@dataclass
class Marks:
    """What a row shows besides its text: derived once per row when it is (re)loaded."""

    unreadable: bool
    haystack: str  # lower-case text that the search looks in


def marks_of(row: RowView) -> Marks:
    unreadable = bool(
        row.kind == "item"
        and row.deadline
        and row.due_date is None
        and parse_deadline(row.deadline).state == UNREADABLE
    )
    text = " ".join(
        (row.number, row.title, row.deadline, row.responsible, row.result, row.document,
         row.materials, row.note, row.basis)
    )  # fmt: skip
    return Marks(unreadable, text.casefold().replace("ё", "е"))


class PlanModel(QIdentityProxyModel):
    """Rows of one plan as a tree; :meth:`position` gives an index's row in :attr:`rows`.

    Signals:
        rows_changed(list): positions of rows about to be redrawn with new values.
        plan_replaced(): every row is about to change (another plan, or a new structure);
            a filter alone keeps the rows and their positions.

    The filter is applied here (:meth:`set_criteria`): the tree is rebuilt over the rows that
    pass, with their blocks and sections. An edit does not re-apply it: a row that no longer
    passes stays in sight until the filter changes, as in a spreadsheet.
    """

    rows_changed = Signal(list)
    plan_replaced = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan: PlanView | None = None
        self.rows: list[RowView] = []
        self.marks: list[Marks] = []
        self.criteria = Criteria()
        self.shown_items = 0
        self._up: list[int] = []  # parent position of every row (-1: top level)
        self._children: list[list[int]] = []
        self._roots: list[int] = []
        self._place: list[int] = []  # position of each shown row among its parent's children
        # the shape on the C++ side; an index's internal id is the address of its parent's item
        self._shape = QStandardItemModel(self)
        self._shape.setColumnCount(_COLUMN_COUNT)
        self._root = shiboken6.getCppPointer(self._shape.invisibleRootItem())[0]
        self._address: dict[int, int] = {-1: self._root}  # a heading's position → its item
        self._kids_at: dict[int, list[int]] = {self._root: self._roots}  # address → children
        self._retired: list[QStandardItem] = []
        self.setSourceModel(self._shape)
        self._by_id: dict[int, int] = {}
        self._keep: list[bool] = []  # rows the filter lets through
        self._search = RowIndex([], [], [])
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self.last_column = "document"
        self.today: date = today()

    # --- loading ---------------------------------------------------------------------------
    def set_plan(self, plan: PlanView | None) -> None:
        """Replaces everything (a plan opened, or its structure changed); keeps the filter."""
        self.plan_replaced.emit()
        self.beginResetModel()
        self.plan = plan
        self.rows = list(plan.rows) if plan else []
        self.today = today()
        self.marks = [marks_of(r) for r in self.rows]
        self._keep = []
        self._up = []
        stack: list[int] = []
        for i, row in enumerate(self.rows):
            while stack and self.rows[stack[-1]].depth >= row.depth:
                stack.pop()
            self._up.append(stack[-1] if stack else -1)
            if row.kind in _HEADINGS:
                stack.append(i)
        self._by_id = {r.id: i for i, r in enumerate(self.rows)}
        self._search = RowIndex(self.rows, [m.haystack for m in self.marks], self._up)
        self.last_column = "document"
        if plan and plan.template_id == "szn_pilot":
            self.last_column = "materials"
        self._build()
        self.endResetModel()
        self._let_go()

    def set_criteria(self, criteria: Criteria) -> bool:
        """Shows only the items that pass, with their blocks and sections.

        Returns True when other rows are shown now (the model was reset); when the same rows
        pass (typing on within a word that every shown row holds), nothing is redrawn.
        """
        if criteria == self.criteria:
            return False
        among = self._keep if narrows(self.criteria, criteria) else None
        self.criteria = criteria
        keep = self._search.passing(criteria, among)
        if keep == self._keep:
            return False
        self.beginResetModel()
        self._build(keep)
        self.endResetModel()
        self._let_go()
        return True

    def _build(self, keep: list[bool] | None = None) -> None:
        if keep is None:
            keep = self._search.passing(self.criteria)
        self._keep = keep
        n = len(self.rows)
        children: list[list[int]] = [_NO_CHILDREN] * n  # type: ignore[list-item]
        for h in self._search.headings:
            children[h] = []
        roots: list[int] = []
        place = [-1] * n
        up = self._up
        for i in compress(range(n), keep):
            p = up[i]
            siblings = children[p] if p >= 0 else roots
            place[i] = len(siblings)
            siblings.append(i)
        self._children = children
        self._roots = roots
        self._place = place
        self.shown_items = sum(compress(self._search.is_item, keep))
        self._shape_tree()

    def _shape_tree(self) -> None:
        """Gives the C++ tree the shape of the shown rows (inside a reset of this model).

        Only blocks and sections get items of their own; an item's row is an empty cell, which
        Qt's model answers for in C++. The old items are taken out, not deleted: views may still
        hold indexes into them until the reset ends (:meth:`_let_go` deletes them then).
        """
        shape = self._shape
        root = shape.invisibleRootItem()
        place, children, up = self._place, self._children, self._up
        shape.blockSignals(True)  # this model's own reset tells the views
        try:
            self._retired += [item for item in root.takeColumn(0) if item is not None]
            shape.setRowCount(0)
            shape.setColumnCount(_COLUMN_COUNT)
            shape.setRowCount(len(self._roots))
            address = {-1: self._root}
            kids_at = {self._root: self._roots}
            items: dict[int, QStandardItem] = {}
            for h in self._search.headings:  # in document order: a parent comes first
                if place[h] < 0:
                    continue
                p = up[h]
                item = QStandardItem()
                (items[p] if p >= 0 else root).setChild(place[h], 0, item)
                kids = children[h]
                if kids:
                    item.setColumnCount(_COLUMN_COUNT)
                    item.setRowCount(len(kids))
                items[h] = item
                address[h] = shiboken6.getCppPointer(item)[0]
                kids_at[address[h]] = kids
        finally:
            shape.blockSignals(False)
        self._address = address
        self._kids_at = kids_at

    def _let_go(self) -> None:
        """Deletes the items of the tree's old shape, once the reset has ended."""
        retired, self._retired = self._retired, []
        for item in retired:
            shiboken6.delete(item)

    def first_shown_item(self) -> int | None:
        """The id of the first item the filter lets through, or None."""
        rows = self.rows
        for i in compress(range(len(rows)), map(and_, self._keep, self._search.is_item)):
            return rows[i].id
        return None

    def update_rows(self, views: list[RowView]) -> list[int]:
        """Replaces cached rows by fresh views; returns the ids it knew (others are ignored).

        Signals rows_changed(list) with the positions (internal ids) first, so that views can
        forget what they measured of them.
        """
        known = []
        positions = [self._by_id[v.id] for v in views if v.id in self._by_id]
        self.rows_changed.emit(positions)
        for view in views:
            i = self._by_id.get(view.id)
            if i is None:
                continue
            self.rows[i] = view
            self.marks[i] = marks_of(view)
            self._search.haystacks[i] = self.marks[i].haystack
            if self.plan is not None:
                self.plan.rows[i] = view
            known.append(view.id)
            if self._place[i] >= 0:
                self.dataChanged.emit(self._index(i), self._index(i, len(COLUMNS) - 1))
        return known

    # --- lookups ---------------------------------------------------------------------------
    def position(self, index: Index) -> int:
        """The row's place in :attr:`rows`; -1 for the root or an index from another shape."""
        kids = self._kids_at.get(index.internalId())
        row = index.row()
        return kids[row] if kids is not None and 0 <= row < len(kids) else -1

    def row_at(self, index: Index) -> RowView | None:
        i = self.position(index)
        return self.rows[i] if i >= 0 else None

    def row_by_id(self, row_id: int) -> RowView | None:
        i = self._by_id.get(row_id)
        return None if i is None else self.rows[i]

    def level(self, index: Index) -> int:
        """How deep a row sits in the tree (0: top level), without asking Qt."""
        depth = 0
        i = self.position(index)
        up = self._up[i] if i >= 0 else -1
        while up >= 0:
            depth += 1
            up = self._up[up]
        return depth

    def index_of(self, row_id: int, column: int = 0) -> QModelIndex:
        """The index of a row; invalid when the row is unknown or hidden by the filter."""
        i = self._by_id.get(row_id)
        if i is None or self._place[i] < 0:
            return QModelIndex()
        return self._index(i, column)

    def _index(self, i: int, column: int = 0) -> QModelIndex:
        """The index of the shown row at position ``i``."""
        return self.createIndex(self._place[i], column, self._address[self._up[i]])

    def total_items(self) -> int:
        return sum(self._search.is_item)

    def counts(self) -> tuple[int, int, int, int]:
        """Items, done, overdue and excluded items of the plan, from the cache."""
        items = done = overdue = excluded = 0
        for r in self.rows:
            if r.kind == "item":
                items += 1
                done += r.status == "done"
                overdue += r.overdue
                excluded += r.status == "excluded"
        return items, done, overdue, excluded

    # --- QAbstractItemModel ----------------------------------------------------------------
    def heading_indexes(self) -> list[QModelIndex]:
        """The shown rows that have rows under them (blocks and sections), parents first."""
        return [
            self._index(i) for i, kids in enumerate(self._children) if kids and self._place[i] >= 0
        ]

    # index(), parent(), rowCount(), columnCount(), hasChildren() and flags() are the identity
    # proxy's, answered in C++ from the shape: the tree asks them for every row it lays out.

    # nothing is edited or dropped in the tree itself: the shape's cells stay empty
    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False

    def mimeTypes(self) -> list[str]:
        return []

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return False

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return False

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if COLUMNS[section][0] == "document" and self.last_column == "materials":
                return "Доп. материалы"
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        i = self.position(index)
        if i < 0:
            return None
        row = self.rows[i]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(row, i, key)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row, i, key)
        if role == Qt.ItemDataRole.FontRole:
            if row.kind in _HEADINGS:
                return self._bold
            return self._italic if row.status == "excluded" else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.kind == "block":
                return status.BLOCK_BACKGROUND
            if row.kind == "section":
                return status.SECTION_BACKGROUND
            if key == "deadline" and self.marks[i].unreadable:
                return status.UNREADABLE_BACKGROUND
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, i, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        return None

    # --- presentation ----------------------------------------------------------------------
    def _text(self, row: RowView, key: str) -> str:
        if key == "status":
            return status.title(row.shown_status) if row.kind == "item" else ""
        if key == "document":
            return row.materials if self.last_column == "materials" else row.document
        return str(getattr(row, key))

    def _color(self, row: RowView, i: int, key: str) -> object:
        if row.kind != "item":
            return None
        if row.status == "excluded":
            return status.COLORS["excluded"]
        if key == "status":
            return status.COLORS.get(row.shown_status)
        if row.overdue and key in ("number", "title", "deadline"):
            return status.COLORS["overdue"]
        if key == "deadline":
            if self.marks[i].unreadable:
                return status.COLORS["unreadable"]
            if row.upcoming:
                return status.COLORS["upcoming"]
        return None

    def _icon(self, row: RowView, i: int, key: str) -> object:
        if row.kind != "item":
            return None
        if key == "status":
            return status.icon(row.shown_status)
        if key == "deadline":
            if self.marks[i].unreadable:
                return status.icon("unreadable")
            if row.overdue:
                return status.icon("overdue")
            if row.upcoming:
                return status.icon("upcoming")
        return None

    def _tooltip(self, row: RowView, i: int, key: str) -> str | None:
        if row.kind != "item":
            return row.title if key == "title" else None
        lines = []
        if row.status == "excluded":
            lines.append(f"Исключено: {row.basis or 'основание не указано'}")
        elif row.overdue:
            lines.append(f"Просрочено: срок {format_date(row.due_date)}")
        elif row.upcoming and row.due_date is not None:
            days = (row.due_date - self.today).days
            when = "сегодня" if days == 0 else f"через {days} дн."
            lines.append(f"Ближайший срок: {format_date(row.due_date)} ({when})")
        elif row.status == "done" and row.done_date:
            lines.append(f"Выполнено {row.done_date}")
        if self.marks[i].unreadable:
            lines.append(
                f"Срок «{row.deadline}» не распознан — исправьте его в карточке пункта "
                "(например, 31.12.2024 или «IV квартал 2023 года»)."
            )
        if key in ("title", "result", "document", "responsible"):
            text = self._text(row, key)
            if text:
                lines.append(text)
        return "\n".join(lines) or None
