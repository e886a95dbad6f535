"""Step 5: items excluded by agreement with the Analytical Center, each with its basis."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from cxdesk.domain.building import PlanRequest, build_rows

from ui.wizard.check_tree import CheckTree
from ui.wizard.common import PageId, PlanPage, hint, wrapped
from ui.wizard.effects import count_sentence, plan_counts

BASIS = 2


class ExcludePage(PlanPage):
    """Checked items stay in the plan marked as excluded, with the letter that allows it;
    «Далее» waits until every checked item has its basis."""

    page_id = PageId.EXCLUDE
    heading = "Исключение пунктов по согласованию с Аналитическим центром"
    explanation = (
        "Исключённый пункт остаётся в плане с отметкой «исключён» и основанием — номером и "
        "датой письма Аналитического центра. Если таких пунктов нет, нажмите «Далее»."
    )

    def __init__(self) -> None:
        super().__init__()
        self.tree = CheckTree("exclude_tree", ["№ в типовом", "Мероприятие", "Основание"])
        self.tree.setColumnWidth(BASIS, 200)
        label = QLabel("&Пункты плана:")
        label.setBuddy(self.tree)
        self.basis_edit = QLineEdit()
        self.basis_edit.setObjectName("basis_edit")
        self.basis_edit.setPlaceholderText("например, письмо АЦ от 12.03.2025 № 01-02/345")
        self.basis_label = QLabel("&Основание:")
        self.basis_label.setBuddy(self.basis_edit)
        self.all_button = QPushButton("То же для &всех отмеченных")
        self.all_button.setObjectName("basis_to_all")
        self.all_button.setAutoDefault(False)
        self.hint = hint("exclude_hint")
        # room for the hint kept whether it shows or not: the tree and the basis stay in place
        self.hint.setMinimumHeight(3 * self.hint.fontMetrics().lineSpacing() + 4)
        self.count_label = wrapped("", "item_count_label")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.count_label.setMinimumHeight(2 * self.count_label.fontMetrics().lineSpacing() + 2)

        grid = QGridLayout()
        grid.addWidget(self.basis_label, 0, 0)
        grid.addWidget(self.basis_edit, 0, 1)
        grid.addWidget(self.all_button, 0, 2)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(grid)
        layout.addWidget(
            wrapped(
                "Отметьте пункт (Пробел) и впишите основание; основание, вписанное для "
                "неотмеченного пункта, отмечает его."
            )
        )
        layout.addWidget(self.hint)
        layout.addWidget(self.count_label)

        self._bases: dict[str, str] = {}  # typed bases, kept while the wizard is open
        self._showing = False
        self._last_basis = ""  # the basis typed last, for «То же для всех отмеченных»
        self.tree.changed.connect(self._on_changed)
        self.tree.currentItemChanged.connect(self._on_current)
        self.basis_edit.textEdited.connect(self._on_basis_edited)
        self.all_button.clicked.connect(self._basis_to_all)

    def load(self, request: PlanRequest) -> None:
        template = self.template()
        self._bases.update(request.exclusions)
        for basis in request.exclusions.values():
            self._last_basis = basis.strip() or self._last_basis
        rows = build_rows(template, replace(request, exclusions={}))
        self.tree.fill(template, rows, set(request.exclusions))
        for ref in self.tree.refs():
            self.tree.item_for(ref).setText(BASIS, self._bases.get(ref, ""))
        self._on_current()
        self._on_changed()

    def focus_start(self) -> None:
        self.tree.setFocus()

    def save(self, request: PlanRequest) -> None:
        if self.tree.topLevelItemCount():
            request.exclusions = self.exclusions()

    def exclusions(self) -> dict[str, str]:
        """Checked items with their bases, in document order."""
        checked = self.tree.checked_refs()
        return {ref: self._bases.get(ref, "").strip() for ref in self.tree.refs() if ref in checked}

    def set_basis(self, ref: str, basis: str) -> None:
        """Records the basis of an item (and ticks it when the basis is not empty)."""
        self._bases[ref] = basis
        if basis.strip():
            self._last_basis = basis.strip()
        item = self.tree.item_for(ref)
        item.setText(BASIS, basis.strip())
        item.setToolTip(BASIS, basis.strip())
        if basis.strip() and item.checkState(0) != Qt.CheckState.Checked:
            self.tree.set_checked(ref, True)
        self._on_changed()

    def without_basis(self) -> list[str]:
        return [ref for ref, basis in self.exclusions().items() if not basis]

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return not self.without_basis()

    def _on_current(self, *_args: object) -> None:
        is_item = self.tree.current_is_item()
        ref = self.tree.current_ref()
        self._showing = True
        self.basis_edit.setText(self._bases.get(ref, "") if is_item else "")
        self._showing = False
        self.basis_edit.setEnabled(is_item)
        number = self.tree.currentItem().text(0) if is_item else ""
        self.basis_label.setText(f"&Основание для пункта {number}:" if number else "&Основание:")

    def _on_basis_edited(self, text: str) -> None:
        if not self._showing and self.tree.current_is_item():
            self.set_basis(self.tree.current_ref(), text)

    def _basis_to_all(self) -> None:
        for ref in self.without_basis():
            self.set_basis(ref, self._last_basis)

    def _on_changed(self) -> None:
        missing = self.without_basis()
        if missing:
            numbers = ", ".join(self.tree.item_for(r).text(0) for r in missing[:8])
            more = " …" if len(missing) > 8 else ""
            self.hint.setText(
                f"Укажите основание для отмеченных пунктов: {numbers}{more}. "
                "Без основания пункт исключить нельзя — снимите отметку или впишите письмо."
            )
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(missing))
        self.all_button.setEnabled(bool(missing) and bool(self._last_basis))
        self.all_button.setToolTip(
            f"Вписать основание «{self._last_basis}» всем отмеченным пунктам без основания"
            if self._last_basis
            else "Сначала впишите основание хотя бы одному пункту"
        )
        request = replace(self.draft(), exclusions=self.exclusions())
        self.count_label.setText(count_sentence(plan_counts(self.template(), request)))
        self.completeChanged.emit()
