"""A thin adapter between services and QUndoStack.

A :class:`ServiceCommand` holds two calls on the store, ``do`` and ``undo``, each returning
:class:`~cxdesk.services.common.Changes`; it runs them through the window's runner (the op
helper, which also redraws). The window makes a change first and pushes the command afterwards
(``done=True``), so that a change that fails never reaches the stack and validation errors can
be shown inline.

Commands with the same ``merge_key`` on top of each other merge (repeated edits of one field of
one item become one undo step); a merged command that leads back to where it began is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from cxdesk.domain.item_fields import FIELDS
from cxdesk.services.shapes import Changes

if TYPE_CHECKING:
    from cxdesk.storage.db import Store

# the services themselves are imported where a step is made: the window's first paint needs none
Call = Callable[["Store"], Changes]
Runner = Callable[[Call], None]

#: The note written into the history by an undo and by a redo.
UNDO_NOTE = "отмена"
REDO_NOTE = "повтор"

_MERGE_ID = 7301

#: Russian names of item fields (from the field table) and of the other things the history
#: and undo texts name.
FIELD_TITLES = {
    **{f.name: f.title for f in FIELDS},
    "created": "Пункт создан",
    "attachment": "Файл",
    "org": "Организация",
    "approver_position": "Должность утверждающего",
    "approver_name": "Утверждающий",
    "approval_date": "Дата утверждения",
}


class ServiceCommand(QUndoCommand):
    """One undoable change: ``do`` and ``undo`` are service calls on the store."""

    def __init__(
        self,
        text: str,
        do: Call,
        undo: Call,
        runner: Runner,
        *,
        done: bool = True,
        merge_key: Any = None,
        state: tuple[Any, Any] | None = None,
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._runner = runner
        self._skip_first = done
        self.merge_key = merge_key
        self.state = state  # (before, after): lets a merge see that it leads back

    def redo(self) -> None:
        if self._skip_first:
            self._skip_first = False
            return
        self._runner(self._do)

    def undo(self) -> None:
        self._runner(self._undo)

    def id(self) -> int:
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ServiceCommand) or other.merge_key != self.merge_key:
            return False
        self._do = other._do
        if self.state is not None and other.state is not None:
            self.state = (self.state[0], other.state[1])
            if self.state[0] == self.state[1]:
                self.setObsolete(True)
        return True


def item_edit(
    plan_id: int,
    row_id: int,
    number: str,
    before: dict[str, str],
    after: dict[str, str],
    runner: Runner,
) -> ServiceCommand:
    """The command for an edit of an item's fields already made (``before`` → ``after``)."""
    from cxdesk.services.items import update_item

    token = f"#{row_id}"

    def do(store: Store) -> Changes:
        return update_item(store, plan_id, token, after, REDO_NOTE, restore=True)

    def undo(store: Store) -> Changes:
        return update_item(store, plan_id, token, before, UNDO_NOTE, restore=True)

    fields = sorted(after)
    visible = [f for f in fields if f not in ("done_date", "basis")] or fields
    if len(visible) == 1:
        text = f"изменение: {FIELD_TITLES.get(visible[0], visible[0])} (п. {number.rstrip('.')})"
    else:
        text = f"изменение пункта {number.rstrip('.')}"
    return ServiceCommand(
        text,
        do,
        undo,
        runner,
        merge_key=("item", plan_id, row_id, tuple(fields)),
        state=(dict(before), dict(after)),
    )


def plan_edit(
    plan_id: int, before: dict[str, str], after: dict[str, str], runner: Runner
) -> ServiceCommand:
    """The command for an edit of the plan's own fields already made."""
    from cxdesk.services.plans import edit_plan

    def do(store: Store) -> Changes:
        return edit_plan(store, plan_id, **after)

    def undo(store: Store) -> Changes:
        return edit_plan(store, plan_id, **before)

    return ServiceCommand("изменение свойств плана", do, undo, runner)


def answers_change(
    plan_id: int,
    before: dict[str, bool],
    after: dict[str, bool],
    runner: Runner,
    structure: bool = True,
) -> ServiceCommand:
    """The command for a change of the plan's answers already made: undo answers back, which
    brings every item back as it was (:func:`~cxdesk.services.plans.change_answers` keeps
    the data of every item it takes out). ``structure=False``: answers only (an imported
    plan's first answers, read from its contents)."""
    from cxdesk.services.plans import change_answers

    def do(store: Store) -> Changes:
        return change_answers(store, plan_id, after, structure=structure).changes

    def undo(store: Store) -> Changes:
        return change_answers(store, plan_id, before, structure=structure).changes

    return ServiceCommand("изменение ответов", do, undo, runner)
