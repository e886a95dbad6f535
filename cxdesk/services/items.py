"""Services on one item: edit its fields and status (each change kept in its history)."""

from __future__ import annotations

from cxdesk.domain.deadlines import format_date
from cxdesk.domain.item_fields import ITEM_FIELDS
from cxdesk.errors import UserError
from cxdesk.services.common import Changes, find_plan, find_row, now, record, today
from cxdesk.services.plans import due_iso
from cxdesk.services.shapes import (  # re-exported: the checks belong to the item's services
    STATUS_HINT as STATUS_HINT,
)
from cxdesk.services.shapes import (
    deadline_hint as deadline_hint,
)
from cxdesk.services.shapes import (
    validate as validate,
)
from cxdesk.services.views import HistoryEntry, RowView, row_history, row_view
from cxdesk.storage.db import Store
from cxdesk.storage.versions import expect_version


def update_item(
    store: Store,
    plan_token: str | int,
    item_token: str | int,
    values: dict[str, str],
    note: str = "",
    restore: bool = False,
    expected_version: int | None = None,
    base: dict[str, str] | None = None,
) -> Changes:
    """Sets fields of one item; every changed field goes into the history with ``note``.

    Marking an item done sets its completion date to today if none is given; excluding one
    needs a basis (``note`` serves as the basis when none is given). ``restore`` (undo and
    redo) puts values back exactly as they were, even a deadline text no longer accepted as
    new input («VI квартал 2023 года» from the template), and derives nothing else.

    ``expected_version`` is the row version the user edited (``RowView.version``) and ``base``
    the values they saw: a save over a row changed since by someone else raises
    :class:`~cxdesk.storage.versions.Conflict` with the fields that differ, and saves nothing.
    """
    for name in values:
        if name not in ITEM_FIELDS:
            raise UserError(f"У пункта нет поля «{name}». Поля: {', '.join(ITEM_FIELDS)}.")
    if restore:
        clean = {k: validate(k, v) if k == "status" else v for k, v in values.items()}
    else:
        clean = {k: validate(k, v) for k, v in values.items()}
    with store.session(write=True) as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        expect_version(row, expected_version, base, clean)
        if row.kind != "item" and set(clean) - {"title"}:
            raise UserError(
                f"Строка «{row.number}» — заголовок: у неё можно менять только название."
            )
        status = None if restore else clean.get("status")
        if status == "done" and not clean.get("done_date") and not row.done_date:
            clean["done_date"] = format_date(today())
        if status and status != "done" and "done_date" not in clean and row.done_date:
            clean["done_date"] = ""
        if status == "excluded" and not clean.get("basis") and not row.basis:
            clean["basis"] = note.strip() or "исключено вручную"
        if status and status != "excluded" and "basis" not in clean and row.basis:
            clean["basis"] = ""
        changed = counted = False
        for name, value in clean.items():
            old = getattr(row, name)
            if old == value:
                continue
            record(s, plan.id, row.id, name, old, value, note)
            setattr(row, name, value)
            changed = True
            counted |= name in ("status", "deadline")  # what the plans list counts
            if name == "deadline":
                row.due_date = due_iso(value)
        if changed:
            plan.updated_at = now()
        return Changes({plan.id}, {row.id}, history=changed, plans_list=counted)


def item_view(store: Store, plan_token: str | int, item_token: str | int) -> RowView:
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        return row_view(row, [], today())


def item_history(store: Store, plan_token: str | int, item_token: str | int) -> list[HistoryEntry]:
    """The item's change history, oldest first."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        return row_history(s, row.id)
