"""The store: one SQLite file in the data folder, opened in WAL with foreign keys on.

Opening a store brings its schema up to date: a new file gets the schema from the Alembic
migrations in db/; an older one is copied aside first (``backups/before-migration-…``) and then
migrated. When the file is already current, Alembic is not even imported: its revision is read
straight from the ``alembic_version`` table.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from cxdesk import clock
from cxdesk.errors import EnvironmentProblem
from cxdesk.paths import DB_NAME, default_data_dir, migrations_dir
from cxdesk.storage.blobs import BlobStore

#: The newest migration in db/versions; kept in step with it (a test checks).
SCHEMA_REVISION = "0002"


def explain_database_error(exc: BaseException, path: Path) -> EnvironmentProblem | None:
    """A plain message for a fault of the database file, or None for anything else.

    Each fault is told apart, with its own advice: damaged (restore), locked (wait), a folder or
    file that cannot be written (rights, not damage), a full disk, a disk or journal error (the
    ``-wal`` file removed under an open connection reads «disk I/O error»: not a full disk).
    """
    import shutil

    from cxdesk.errors import disk_full, folder_fault
    from cxdesk.storage.damage import damaged_database

    text = str(getattr(exc, "orig", exc)).lower()
    folder = path.parent
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged_database(path)
    if "locked" in text or "busy" in text:
        return EnvironmentProblem(
            "База данных занята другой программой дольше обычного. Повторите через минуту; "
            "если не помогает — закройте другие окна cxdesk."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        problem = folder_fault(folder)
        if problem is not None:
            return problem
        return EnvironmentProblem(
            f"Файл базы данных {path} недоступен для записи (атрибут «Только чтение» или нет "
            "прав). Данные целы. Снимите атрибут или верните права и повторите."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return disk_full(folder)
    if "disk i/o" in text or "ioerr" in text:
        try:
            full = shutil.disk_usage(folder).free < 1024 * 1024
        except OSError:
            full = False
        if full:
            return disk_full(folder)
        return EnvironmentProblem(
            f"Ошибка чтения или записи базы данных {path}: служебный файл базы (-wal, -shm) "
            "удалён или изменён другой программой, или диск недоступен. Закройте все окна "
            "cxdesk и откройте снова; затем запустите проверку: cxdesk check."
        )
    return None


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


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


def _migrate(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def _backup_before_migration(path: Path, revision: str) -> None:
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


class Store:
    """The data folder: the database, and (beside it) the attachment store and backups."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EnvironmentProblem(
                f"Не удаётся создать папку данных {self.data_dir}: {exc.strerror}. "
                "Укажите другую папку (--data-dir) или проверьте права доступа."
            ) from exc
        self.db_path = self.data_dir / DB_NAME
        self.blobs = BlobStore(self.data_dir)
        self._ensure_schema()
        self.engine: Engine = create_engine(f"sqlite:///{self.db_path}")
        event.listen(self.engine, "connect", _on_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _ensure_schema(self) -> None:
        from cxdesk.storage.damage import guarded

        with guarded(self.data_dir, self.db_path):  # a lost database, faults named rightly
            revision = current_revision(self.db_path)
            if revision == SCHEMA_REVISION:
                return
            if revision is not None:
                _backup_before_migration(self.db_path, revision)
            _migrate(self.db_path)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        Faults of the database file itself (damaged, locked, read-only, disk full) come out as
        :class:`EnvironmentProblem` with what to do.
        """
        try:
            with self._sessions() as s, s.begin():
                yield s
        except DBAPIError as exc:
            problem = explain_database_error(exc, self.db_path)
            if problem is None:
                raise
            raise problem from exc

    def quick_check(self) -> bool:
        """True when SQLite finds the database whole (a fast check for the start of the app)."""
        try:
            con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
            try:
                return bool(con.execute("PRAGMA quick_check").fetchone()[0] == "ok")
            finally:
                con.close()
        except sqlite3.DatabaseError:
            return False

    def close(self) -> None:
        self.engine.dispose()
