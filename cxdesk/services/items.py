"""Services on one item: edit its fields and status (each change kept in its history)."""

from __future__ import annotations

import re

from cxdesk.domain.deadlines import PERIOD, UNREADABLE, format_date, parse_deadline, parse_user_date
from cxdesk.domain.item_fields import BY_NAME, ITEM_FIELDS
from cxdesk.errors import UserError
from cxdesk.services.common import STATUSES, Changes, find_plan, find_row, now, record, today
from cxdesk.services.plans import due_iso
from cxdesk.services.views import HistoryEntry, RowView, row_history, row_view
from cxdesk.storage.db import Store
from cxdesk.storage.versions import expect_version

#: Control characters (pasted from other programs): no document can carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

STATUS_HINT = ", ".join(STATUSES)


def validate(field_name: str, value: str) -> str:
    """Checks one field's new value; returns it cleaned or raises a clear UserError."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\t", " ")).strip()
    kind = BY_NAME[field_name].kind if field_name in BY_NAME else "text"
    if kind == "status":
        if value not in STATUSES:
            raise UserError(f"Неизвестный статус «{value}». Допустимо: {STATUS_HINT}.")
    elif kind == "date" and value:
        d = parse_user_date(value)
        if d is None:
            raise UserError(
                f"«{value}» — не дата. Введите дату в виде ДД.ММ.ГГГГ, например 31.12.2024."
            )
        value = format_date(d)
    elif kind == "deadline" and value:
        parsed = parse_deadline(value)
        if parsed.state == UNREADABLE:
            raise UserError(
                f"Срок «{value}» не распознан. Введите дату (ДД.ММ.ГГГГ) или срок вида "
                "«I квартал 2024 года», «до 01.07.2024», «на протяжении всего периода»."
            )
    elif field_name == "title" and not value:
        raise UserError("Название мероприятия не может быть пустым.")
    return value


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


def deadline_hint(text: str) -> str:
    """A short Russian reading of a deadline text, for the item panel."""
    d = parse_deadline(text)
    if d.state == UNREADABLE:
        return "срок не распознан — исправьте"
    if d.state == PERIOD:
        return "период без даты"
    return f"до {format_date(d.due)}" if d.due else ""
