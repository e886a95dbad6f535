"""What the window's change watcher (ui/safety/watcher.py) reads of the store.

:class:`Watch` joins the store's change probe (SQLite: ``PRAGMA data_version`` on a read-only
connection; a shared PostgreSQL database: LISTEN on the ``cxdesk`` channel; both in
:mod:`cxdesk.storage`, see :meth:`cxdesk.storage.db.Store.probe`) with a count of the writes this
process made through the store's own engine, so that the window can tell its own commits from
those of the command line or of a colleague. The window calls only this; it runs no SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from cxdesk.storage.db import Store

_WRITES = ("INSERT", "UPDATE", "DELETE")


class Watch:
    """The probe of one store and the count of this process's own writes to it.

    ``read(since)`` gives what the probe reads (a marker that changes with every commit by
    another connection, the plans' last changes, the last history id, the plans named since
    history id ``since``), or None when the database cannot be read just now. ``own_writes``
    counts the INSERT, UPDATE and DELETE statements run through the store's engine since the
    watch began. :meth:`close` ends both.
    """

    def __init__(self, store: Store) -> None:
        self._engine = store.engine
        self._probe = store.probe()
        self.own_writes = 0
        event.listen(self._engine, "after_cursor_execute", self._statement)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in _WRITES:
            self.own_writes += 1

    def read(self, since: int | None) -> tuple[Any, dict[int, str], int, set[int]] | None:
        result: tuple[Any, dict[int, str], int, set[int]] | None = self._probe.read(since)
        return result

    def close(self) -> None:
        if event.contains(self._engine, "after_cursor_execute", self._statement):
            event.remove(self._engine, "after_cursor_execute", self._statement)
        self._probe.close()


def watch(store: Store) -> Watch:
    """Starts watching ``store`` for the window (close the watch when the window closes)."""
    return Watch(store)
