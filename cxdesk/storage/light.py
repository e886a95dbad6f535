"""The light read of the store: the data folder's SQLite file read with the standard library's
``sqlite3``, for one-shot reads that need not pay for importing SQLAlchemy (0.3–0.5 s), such as
``cxdesk export -o plan.pdf``.

It is not a second data layer: it reads the models' own tables and columns, named here once and
checked against :mod:`cxdesk.storage.models` by a test (a column added to the models and not
here fails the tests), and it only reads. It applies only to a SQLite file at the current schema
revision (:data:`SCHEMA_REVISION`); for anything else — a shared database, a file missing, older
or newer than this version, damaged or unreadable — :func:`open_reader` returns None and the
caller takes the normal path (which migrates, recovers and explains).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cxdesk.domain.item_fields import ITEM_FIELDS

#: The newest migration in db/versions; kept in step with it (a test checks).
SCHEMA_REVISION = "0003"

#: The columns read, table by table: every column of the model (a test checks).
COLUMNS: dict[str, tuple[str, ...]] = {
    "plans": (
        "id", "uid", "template_id", "template_version", "org", "title", "approver_position",
        "approver_name", "approval_date", "answers", "done_refs", "auto_number", "numbering",
        "source", "columns", "synced_at", "form", "signature", "executor", "version",
        "created_at", "updated_at",
    ),
    # the structure of the plan, the fields of the item table (cxdesk/domain/item_fields.py)
    "rows": (
        "id", "uid", "plan_id", "position", "depth", "kind", "ref", "number", *ITEM_FIELDS,
        "due_date", "version",
    ),
    "attachments": (
        "id", "uid", "row_id", "name", "size", "sha256", "added_at", "removed_at",
    ),
}  # fmt: skip


def _select(table: str, prefix: str = "") -> str:
    names = ", ".join(f'{prefix}"{c}"' for c in COLUMNS[table])
    return f'SELECT {names} FROM "{table}"' + (f" AS {prefix[:-1]}" if prefix else "")


class LightReader:
    """Reads plans, their rows and their attachments as records with the models' attribute
    names (what the views and documents build from an ORM object builds from these as well).
    ``kind`` and ``data_dir`` are a store's, for the command line's exit (which closes what a
    command opened, see :func:`cxdesk.cli.run`)."""

    kind = "sqlite"

    def __init__(self, conn: sqlite3.Connection, db_path: Path) -> None:
        self._conn = conn
        self.data_dir = db_path.parent

    def _records(self, table: str, sql: str, args: tuple[Any, ...]) -> list[Any]:
        names = COLUMNS[table]
        found = self._conn.execute(sql, args)
        return [SimpleNamespace(**dict(zip(names, r, strict=True))) for r in found]

    def plan(self, token: str | int) -> Any:
        """A plan by its id or uid (as :func:`cxdesk.services.common.find_plan`), or None."""
        text = str(token).strip()
        found: list[Any] = []
        if text.isdecimal():
            found = self._records("plans", _select("plans") + " WHERE id = ?", (int(text),))
        if not found and text:
            found = self._records("plans", _select("plans") + " WHERE uid = ?", (text,))
        return found[0] if found else None

    def plans(self) -> list[Any]:
        """Every plan, in the order they were made."""
        return self._records("plans", _select("plans") + " ORDER BY id", ())

    def item_states(self) -> dict[int, list[tuple[str, str | None]]]:
        """Each plan's items as (status, due date) pairs, by plan id."""
        out: dict[int, list[tuple[str, str | None]]] = {}
        sql = "SELECT plan_id, status, due_date FROM rows WHERE kind = 'item' ORDER BY position"
        for plan_id, status, due in self._conn.execute(sql):
            out.setdefault(plan_id, []).append((status, due))
        return out

    def rows(self, plan_id: int) -> list[Any]:
        """The plan's rows in document order."""
        sql = _select("rows") + " WHERE plan_id = ? ORDER BY position"
        return self._records("rows", sql, (plan_id,))

    def attachments(self, plan_id: int) -> list[Any]:
        """The plan's attachments not removed, in the order they were added."""
        sql = (
            _select("attachments", "a.")
            + " JOIN rows AS r ON r.id = a.row_id"
            + " WHERE r.plan_id = ? AND a.removed_at IS NULL ORDER BY a.id"
        )
        return self._records("attachments", sql, (plan_id,))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> LightReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_reader(db_path: Path) -> LightReader | None:
    """A reader (that only reads) of the SQLite file ``db_path``; None when the light path does not
    apply (the file missing, at another schema revision, damaged or unreadable)."""
    path = Path(db_path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        # not mode=ro: a read-only connection to a WAL database leaves its -wal and -shm files
        # behind; this one only reads (query_only) and, closing last, removes them
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only=ON")
        revisions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        conn.close()
        return None
    if revisions != [(SCHEMA_REVISION,)]:
        conn.close()
        return None
    return LightReader(conn, path)
