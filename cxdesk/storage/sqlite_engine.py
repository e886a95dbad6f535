"""What is particular to SQLite, the default engine: one file in the data folder.

The pragmas of every connection (WAL, synchronous=FULL, foreign keys, a busy timeout),
transactions that may take the write lock at their start (``BEGIN IMMEDIATE`` for
``Store.session(write=True)``: two item saves at once queue instead of the later one failing on a
stale snapshot; readers and other sessions begin as before, and read beside a writer), the
cheap read of the schema revision, the copy made before a migration (the backup API),
``PRAGMA quick_check``, and the change probe that open windows poll (``PRAGMA data_version``).
"""

from __future__ import annotations

import contextlib
import contextvars
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from cxdesk import clock


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _on_begin, not by the driver
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


_IMMEDIATE: contextvars.ContextVar[bool] = contextvars.ContextVar("immediate", default=False)


@contextlib.contextmanager
def immediate() -> Iterator[None]:
    """Transactions begun inside take the write lock at their start (``BEGIN IMMEDIATE``)."""
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


def _on_begin(conn: Any) -> None:
    cur = conn.connection.dbapi_connection.cursor()
    try:
        if not _IMMEDIATE.get():
            cur.execute("BEGIN")  # readers and ordinary writers: as the driver would begin
            return
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) and "read-only" not in str(exc):
                raise
            cur.execute("BEGIN")  # a file that cannot be written can still be read
    finally:
        cur.close()


def make_engine(path: Path) -> Engine:
    """The engine of the data folder's file, with the pragmas and immediate transactions."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def current_revision(path: Path) -> str | None:
    """The schema revision of a database file, read cheaply; None for a new or empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        row = con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not row:
            return None
        got = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(got[0]) if got else None
    finally:
        con.close()


def backup_before_migration(path: Path, revision: str) -> Path:
    """A copy of the file in ``backups/before-migration-…`` (SQLite's online backup API)."""
    folder = path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"before-migration-{revision}-{stamp}.sqlite3"
    src = sqlite3.connect(str(path))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def quick_check(path: Path) -> bool:
    """True when SQLite finds the file whole."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return bool(con.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


class SqliteProbe:
    """Tells whether another connection committed, and reads what the watcher compares.

    ``read(since)`` gives (a marker that changes with every commit by another connection, the
    plans' ``updated_at``, the last history id, the plans named by history after ``since``), or
    None when the file cannot be read just now.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._con is None:
            try:
                self._con = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, timeout=1, check_same_thread=False
                )
            except sqlite3.Error:
                return None
        return self._con

    def read(self, since: int | None) -> tuple[Any, dict[int, str], int, set[int]] | None:
        con = self._connection()
        if con is None:
            return None
        try:
            version = con.execute("PRAGMA data_version").fetchone()[0]
            plans = dict(con.execute("SELECT id, updated_at FROM plans").fetchall())
            last = con.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
            named: set[int] = set()
            if since is not None and last > since:
                query = "SELECT DISTINCT plan_id FROM history WHERE id > ?"
                named = {pid for (pid,) in con.execute(query, (since,))}
        except sqlite3.Error:
            return None
        return version, plans, last, named

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
