"""A small tree of plan rows with a checkbox on every item, for steps 4 and 5.

It is a short, fixed list rebuilt whenever the page is shown, so a QTreeWidget suits it (as in
Picard's option pages). Blocks and sections check or clear all their items at once.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
)

from cxdesk.domain.building import PlannedRow
from cxdesk.domain.templates import Template

from ui.wizard.effects import number_of

REF_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER, TITLE = 0, 1
TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft


class WrapDelegate(QStyledItemDelegate):
    """Lets long titles wrap onto more lines: Qt's own size hint does not know the column's
    width, so the row would stay one line high and the title be cut."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        opt = QStyleOptionViewItem(option)
        width = self.view.columnWidth(index.column())
        if index.column() == 0:
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.view.indentation() * (depth + 1)
        opt.rect = QRect(0, 0, max(width, 40), 10)  # type: ignore[attr-defined]
        size = super().sizeHint(opt, index)
        return QSize(size.width(), size.height() + 4)


def make_wrapping(view: QTreeView) -> None:
    """Word wrap that follows the columns' widths (rows grow as titles need)."""
    view.setWordWrap(True)
    view.setUniformRowHeights(False)
    view.setItemDelegate(WrapDelegate(view))
    view.header().sectionResized.connect(lambda *_: view.scheduleDelayedItemsLayout())


class CheckTree(QTreeWidget):
    """Rows of a plan with checkable items; numbers are the template's own.

    Signals: ``changed`` when any item's check changes.
    """

    changed = Signal()

    def __init__(self, name: str, headers: list[str]) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setColumnCount(len(headers))
        self.setHeaderLabels(headers)
        make_wrapping(self)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(NUMBER, 120)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemChanged.connect(self._on_item_changed)
        self._filling = False

    def fill(self, template: Template, rows: list[PlannedRow], checked: set[str]) -> None:
        """Shows ``rows`` (as :func:`build_rows` gives them) with ``checked`` item refs ticked."""
        self._filling = True
        self.clear()
        self._items = {}
        parents: list[QTreeWidgetItem] = []
        for row in rows:
            del parents[row.depth :]
            item = QTreeWidgetItem()
            node = template.node(row.ref)
            item.setText(NUMBER, number_of(node))
            item.setText(TITLE, row.title)
            item.setToolTip(TITLE, row.title)
            item.setData(0, REF_ROLE, row.ref)
            item.setData(0, KIND_ROLE, row.kind)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            flags |= Qt.ItemFlag.ItemIsUserCheckable
            if row.kind != "item":
                flags |= Qt.ItemFlag.ItemIsAutoTristate
                font = item.font(TITLE)
                font.setBold(True)
                item.setFont(TITLE, font)
                item.setFont(NUMBER, font)
            item.setFlags(flags)
            if parents:
                parents[-1].addChild(item)
            else:
                self.addTopLevelItem(item)
            if row.kind == "item":
                state = Qt.CheckState.Checked if row.ref in checked else Qt.CheckState.Unchecked
                item.setCheckState(NUMBER, state)
            else:
                item.setCheckState(NUMBER, Qt.CheckState.Unchecked)
                parents.append(item)
            self._items[row.ref] = item
        self.expandAll()
        self._filling = False
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def refs(self) -> list[str]:
        """Item refs in document order (headings left out)."""
        return [ref for ref, it in self._items.items() if it.data(0, KIND_ROLE) == "item"]

    def checked_refs(self) -> set[str]:
        return {
            ref
            for ref in self.refs()
            if self._items[ref].checkState(NUMBER) == Qt.CheckState.Checked
        }

    def item_for(self, ref: str) -> QTreeWidgetItem:
        return self._items[ref]

    def set_checked(self, ref: str, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._items[ref].setCheckState(NUMBER, state)

    def current_ref(self) -> str:
        item = self.currentItem()
        return "" if item is None else str(item.data(0, REF_ROLE))

    def current_is_item(self) -> bool:
        item = self.currentItem()
        return item is not None and item.data(0, KIND_ROLE) == "item"

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == NUMBER and not self._filling:
            # the row ticked becomes the current one: what the page offers for it (the basis
            # of an exclusion) is there at once
            if item.checkState(NUMBER) == Qt.CheckState.Checked and item is not self.currentItem():
                self.setCurrentItem(item)
            self.changed.emit()
