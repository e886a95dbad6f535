"""The fields of an item that a user edits, one list for the item panel, ``cxdesk set`` and the
item service (imported without the store, so that the command line parses its flags quickly)."""

from __future__ import annotations

#: Fields of an item that ``set`` and the item panel edit.
ITEM_FIELDS = (
    "title", "start", "deadline", "responsible", "result", "document", "materials", "note",
    "status", "basis", "done_date",
)  # fmt: skip
