"""Step 4: items already completed before the plan is approved; they are left out of it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLabel, QVBoxLayout

from cxdesk.domain.building import PlanRequest, build_rows

from ui.wizard.check_tree import CheckTree
from ui.wizard.common import PageId, PlanPage, wrapped
from ui.wizard.effects import count_sentence, plan_counts


class DonePage(PlanPage):
    """A checkable tree of the plan as the answers make it; checked items are left out."""

    page_id = PageId.DONE
    heading = "Уже выполненные пункты"
    explanation = (
        "Пункт, выполненный до утверждения плана, в план не включается. "
        "Отметьте такие пункты; если таких нет, просто нажмите «Далее»."
    )

    def __init__(self) -> None:
        super().__init__()
        self.tree = CheckTree("done_tree", ["№ в типовом", "Мероприятие"])
        label = QLabel("&Пункты плана (отметка блока или раздела отмечает все его пункты):")
        label.setWordWrap(True)
        label.setBuddy(self.tree)
        self.count_label = wrapped("", "item_count_label")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(
            wrapped("Пробел ставит или снимает отметку у выбранного пункта.", "done_keys")
        )
        layout.addWidget(self.count_label)
        self.tree.changed.connect(self._update_count)

    def load(self, request: PlanRequest) -> None:
        template = self.template()
        everything = replace(request, done=set(), exclusions={})
        self.tree.fill(template, build_rows(template, everything), set(request.done))
        self._update_count()

    def focus_start(self) -> None:
        self.tree.setFocus()

    def save(self, request: PlanRequest) -> None:
        if self.tree.topLevelItemCount():
            request.done = self.tree.checked_refs()
            request.exclusions = {
                ref: basis for ref, basis in request.exclusions.items() if ref not in request.done
            }

    def _update_count(self) -> None:
        request = replace(self.draft(), done=self.tree.checked_refs())
        request.exclusions = {r: b for r, b in request.exclusions.items() if r not in request.done}
        self.count_label.setText(count_sentence(plan_counts(self.template(), request)))
