"""Shows in the window what the command line (or another program) changed in the database.

Every two seconds a read-only connection asks SQLite whether any other connection committed
(``PRAGMA data_version``); only then it reads a small fingerprint (the last history entry, the
plans' last change). A fingerprint the window did not make itself means a change from outside:
the plans list and the open plan are read again, the selection kept, and the open plan's undo
steps dropped (they may no longer fit), with a note in the status bar.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from PySide6.QtCore import QObject, QTimer

POLL_MS = 2000


class ExternalChanges(QObject):
    """Polls the database for changes made outside the window."""

    def __init__(self, window: Any, store: Any) -> None:
        super().__init__(window)
        self.window = window
        self.db_path = Path(store.db_path)
        self._con: sqlite3.Connection | None = None
        self._version: int | None = None
        self._own_since: float | None = None
        self._seen = self._fingerprint()
        window.changes_applied.connect(self.mark_seen)
        # the window's own commits (on its worker thread) are not changes from outside
        event.listen(store.engine, "after_cursor_execute", self._own_statement)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _connection(self) -> sqlite3.Connection | None:
        if self._con is None:
            try:
                self._con = sqlite3.connect(
                    f"file:{self.db_path}?mode=ro", uri=True, timeout=1, check_same_thread=False
                )
            except sqlite3.Error:
                return None
        return self._con

    def _fingerprint(self) -> tuple[Any, ...] | None:
        con = self._connection()
        if con is None:
            return None
        try:
            history = con.execute("SELECT max(id) FROM history").fetchone()[0]
            plans = con.execute("SELECT count(*), max(updated_at) FROM plans").fetchone()
            return (history, *plans)
        except sqlite3.Error:
            return None

    def _own_statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._own_since = time.monotonic()

    def mark_seen(self, *_args: Any) -> None:
        """The window's own change: not a change from outside."""
        self._seen = self._fingerprint()
        self._own_since = None

    def poll(self) -> bool:
        """Checks once; True when a change from outside was found and shown."""
        con = self._connection()
        if con is None:
            return False
        try:
            version = con.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        if version == self._version:
            return False
        now = self._fingerprint()
        if now is None or now == self._seen:
            self._version = version
            return False
        if self._own_since is not None and time.monotonic() - self._own_since < 10:
            return False  # the window's own change, not yet applied: look again next time
        self._version = version
        self._seen = now
        self.refresh()
        return True

    def refresh(self) -> None:
        w = self.window
        plan_id = w.current_plan_id
        if plan_id is not None:
            w.drop_stack(plan_id)
        w.reload_plans()
        w.reload_plan()
        w.statusBar().showMessage(
            "План изменён вне окна (например, командой cxdesk): показано новое состояние.", 8000
        )

    def stop(self) -> None:
        self.timer.stop()
        store = self.window.store
        if event.contains(store.engine, "after_cursor_execute", self._own_statement):
            event.remove(store.engine, "after_cursor_execute", self._own_statement)
        if self._con is not None:
            self._con.close()
            self._con = None
