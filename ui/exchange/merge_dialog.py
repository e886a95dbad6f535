"""The merge dialog: every difference a colleague's file brings, item by item, field by field.

Each item is a branch; under it, each changed field shows the value in our plan and the value
in the file, and each new attachment its name. New items are branches of their own. Every
difference has a checkbox. A conflict (both sides changed the field since the last exchange) is
marked by an icon, a colour and the word «конфликт», and starts unchecked: our value stays unless
the user chooses the colleague's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.io.model import STATUS_TITLES
from cxdesk.services.merge import Difference, MergePreview
from cxdesk.text import plural

from ui.exchange import common as C
from ui.undo import FIELD_TITLES

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
CONFLICT_BACK = QColor("#fde2cf")
CONFLICT_TEXT = QColor("#8c1d00")
EMPTY = "(пусто)"
ROW_HEIGHT = 24
COLUMNS = ("Что изменилось", "Сейчас в плане", "В файле коллеги")


def shown_value(field: str, value: str) -> str:
    if field == "status":
        return STATUS_TITLES.get(value, value)
    return C.flat(value) or EMPTY


class MergeDialog(QDialog):
    """The differences with their checkboxes; :meth:`accepted_indexes` is the user's choice."""

    def __init__(
        self,
        preview: MergePreview,
        plan_label: str,
        titles: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(f"Объединение с файлом «{preview.source}»")
        self.preview = preview
        self.titles = titles or {}
        self.items: dict[int, QTreeWidgetItem] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        diffs = preview.differences
        conflicts = sum(d.conflict for d in diffs)
        intro = QLabel(
            f"Файл «{preview.source}» сравнён с планом «{plan_label}»: "
            f"{plural(len(diffs), 'различие', 'различия', 'различий')}. Отмеченные изменения "
            "будут перенесены в план; неотмеченные останутся как есть.",
            self,
        )
        intro.setObjectName("mergeIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if conflicts:
            layout.addWidget(self._legend(conflicts))
        for text in preview.warnings:
            warn = QLabel("Замечание: " + text, self)
            warn.setWordWrap(True)
            layout.addWidget(warn)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("mergeTree")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 360)
        self._fill(diffs)
        self.tree.expandAll()
        self.tree.itemChanged.connect(lambda *_: self._update_count())
        layout.addWidget(self.tree, 1)

        bottom = QHBoxLayout()
        self.all_button = QPushButton("Принять &все", self)
        self.all_button.setObjectName("acceptAllButton")
        self.all_button.setToolTip("Отметить все изменения, и конфликты тоже")
        self.all_button.clicked.connect(lambda: self.set_all(True))
        self.none_button = QPushButton("&Снять все", self)
        self.none_button.setObjectName("clearAllButton")
        self.none_button.clicked.connect(lambda: self.set_all(False))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("mergeCount")
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.none_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.count_label, 1)
        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.apply_button = buttons.addButton("&Применить выбранные", role.AcceptRole)
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setDefault(True)
        cancel = buttons.addButton("Отмена", role.RejectRole)
        cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self._update_count()
        self.resize(1100, 680)

    def _legend(self, conflicts: int) -> QWidget:
        box = QWidget(self)
        box.setObjectName("conflictLegend")
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 6, 8, 6)
        icon = QLabel(box)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(24, 24)
        )
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel(
            f"Конфликтов: {conflicts}. Конфликт — это поле, которое изменили и вы, и коллега "
            "после последнего обмена файлами. Такие строки выделены цветом и не отмечены: в плане "
            "останется ваше значение. Отметьте строку, чтобы принять значение коллеги.",
            box,
        )
        text.setWordWrap(True)
        row.addWidget(text, 1)
        box.setStyleSheet(
            f"#conflictLegend {{ background: {CONFLICT_BACK.name()}; }}"
            f"#conflictLegend QLabel {{ color: {CONFLICT_TEXT.name()}; }}"
        )
        return box

    # --- the tree ----------------------------------------------------------------------------
    def _fill(self, diffs: list[Difference]) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        bold = QFont(self.tree.font())
        bold.setBold(True)
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for d in diffs:
            if d.kind == "added":
                head = f"Новый пункт {d.item.rstrip('.')}. {C.flat(d.new)}"
                item = QTreeWidgetItem([head])
                item.setToolTip(0, d.new)
                item.setFont(0, bold)
                self.tree.addTopLevelItem(item)
                item.setFirstColumnSpanned(True)
            else:
                group = groups.get(d.item)
                if group is None:
                    title = C.flat(self.titles.get(d.item, ""))
                    head = f"Пункт {d.item.rstrip('.')}" + (f". {title}" if title else "")
                    group = QTreeWidgetItem([head])
                    group.setToolTip(0, head)
                    group.setFont(0, bold)
                    group.setFlags(flags | Qt.ItemFlag.ItemIsAutoTristate)
                    group.setSizeHint(0, QSize(0, ROW_HEIGHT + 4))
                    self.tree.addTopLevelItem(group)
                    group.setFirstColumnSpanned(True)
                    groups[d.item] = group
                if d.kind == "attachment":
                    item = QTreeWidgetItem(["Новый файл", "—", d.new])
                else:
                    name = FIELD_TITLES.get(d.field, d.field)
                    old, new = shown_value(d.field, d.old), shown_value(d.field, d.new)
                    item = QTreeWidgetItem([name, old, new])
                    item.setToolTip(1, d.old or EMPTY)
                    item.setToolTip(2, d.new or EMPTY)
                    for col, value in ((1, old), (2, new)):
                        if value == EMPTY:
                            item.setForeground(col, QBrush(QColor("#777777")))
                group.addChild(item)
            item.setFlags(flags)
            item.setSizeHint(0, QSize(0, ROW_HEIGHT))
            item.setData(0, INDEX_ROLE, d.index)
            if d.conflict:
                item.setText(0, f"{item.text(0)} — конфликт")
                item.setIcon(0, warn)
                tip = (
                    "Конфликт: это поле изменили и вы, и коллега после последнего обмена. "
                    "Отметьте, чтобы принять значение коллеги; иначе останется ваше."
                )
                item.setToolTip(0, tip)
                for col in range(len(COLUMNS)):
                    item.setBackground(col, QBrush(CONFLICT_BACK))
                item.setForeground(0, QBrush(CONFLICT_TEXT))
            item.setCheckState(0, Qt.CheckState.Unchecked if d.conflict else Qt.CheckState.Checked)
            self.items[d.index] = item

    # --- the choice --------------------------------------------------------------------------
    def set_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.tree.blockSignals(True)
        try:
            for item in self.items.values():
                item.setCheckState(0, state)
        finally:
            self.tree.blockSignals(False)
        self.tree.viewport().update()
        self._update_count()

    def set_checked(self, index: int, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.items[index].setCheckState(0, state)

    def accepted_indexes(self) -> set[int]:
        return {i for i, item in self.items.items() if item.checkState(0) == Qt.CheckState.Checked}

    def difference_item(self, index: int) -> QTreeWidgetItem:
        return self.items[index]

    def _update_count(self) -> None:
        chosen = len(self.accepted_indexes())
        total = len(self.items)
        self.count_label.setText(f"Выбрано {chosen} из {total}")
        self.apply_button.setEnabled(chosen > 0)


def row_titles(plan: Any) -> dict[str, str]:
    """Shown number → title, for the branches of the tree."""
    return {r.number: r.title for r in getattr(plan, "rows", [])}
