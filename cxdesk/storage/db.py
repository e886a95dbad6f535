"""The store: by default one SQLite file in the data folder; or a shared PostgreSQL database.

Which one: ``Store(url=…)`` (the command line's ``--db``), else ``CXDESK_DB``, else the data
folder's file. Both engines use the same models, services and Alembic migrations (db/); what is
particular to each lives in :mod:`cxdesk.storage.sqlite_engine` and
:mod:`cxdesk.storage.postgres`, and the :class:`Store` chooses. Opening a store brings its schema
up to date: a new database gets the schema from the migrations; an older one is copied aside
first (``backups/before-migration-…``: the SQLite backup API, or pg_dump where installed) and
then migrated. When the database is already current, Alembic is not even imported.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cxdesk.errors import EnvironmentProblem, UserError
from cxdesk.paths import DB_NAME, default_data_dir, migrations_dir
from cxdesk.storage import postgres, sqlite_engine
from cxdesk.storage.blobs import BlobStore
from cxdesk.storage.light import SCHEMA_REVISION as SCHEMA_REVISION  # the newest migration
from cxdesk.storage.versions import Conflict, install_versioning

#: Read by callers that still import it from here.
current_revision = sqlite_engine.current_revision


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


def resolve_url(url: str | None = None) -> str:
    """The database to use: the one given (``--db``), else ``CXDESK_DB``, else "" (the data
    folder's SQLite file)."""
    chosen = (url or os.environ.get("CXDESK_DB", "")).strip()
    if chosen and not (chosen.startswith("sqlite") or postgres.is_postgres(chosen)):
        raise UserError(
            f"Адрес базы «{chosen}» не распознан. Укажите postgresql://пользователь@сервер/база "
            "или не указывайте ничего (тогда база — файл в папке данных)."
        )
    return chosen


def _migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


class Store:
    """The database and, beside it in the data folder, the attachment store and backups.

    ``kind`` is ``sqlite`` (the default: one file in the data folder) or ``postgresql`` (a shared
    database given by ``--db``/``CXDESK_DB``; attachments then live in the database too, and the
    data folder keeps only the log, the backups and a cache of opened files).
    """

    def __init__(self, data_dir: Path | None = None, url: str | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EnvironmentProblem(
                f"Не удаётся создать папку данных {self.data_dir}: {exc.strerror}. "
                "Укажите другую папку (--data-dir) или проверьте права доступа."
            ) from exc
        self.url = resolve_url(url)
        self.kind = "postgresql" if postgres.is_postgres(self.url) else "sqlite"
        self.db_path = self.data_dir / DB_NAME
        if self.kind == "sqlite" and self.url:
            self.db_path = Path(self.url.split(":///", 1)[-1])
        if self.kind == "postgresql":
            self.engine: Engine = postgres.make_engine(self.url)
            self._connected(self._ensure_postgres_schema)
            self.user = self._connected(lambda: postgres.current_user(self.engine))
            from cxdesk.storage.db_blobs import DatabaseBlobStore

            self.blobs: Any = DatabaseBlobStore(self.engine, self.data_dir)
        else:
            self.blobs = BlobStore(self.data_dir)
            self._ensure_schema()
            self.engine = sqlite_engine.make_engine(self.db_path)
            self.user = ""
        install_versioning()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def label(self) -> str:
        """Where the data are, for people: the file or the server (without a password)."""
        return postgres.shown_url(self.url) if self.kind == "postgresql" else str(self.db_path)

    def _connected(self, call: Any) -> Any:
        try:
            return call()
        except (OperationalError, DBAPIError) as exc:
            problem = postgres.explain_connection_error(exc, self.url)
            if problem is None:
                raise
            raise problem from exc

    def _ensure_postgres_schema(self) -> None:
        revision = postgres.current_revision(self.engine)
        if revision == SCHEMA_REVISION:
            return
        if revision is not None:
            postgres.backup_before_migration(self.url, self.data_dir, revision)
        try:
            _migrate(postgres.engine_url(self.url))
        except DBAPIError as exc:
            if "permission denied" not in str(exc.orig).lower():
                raise
            raise EnvironmentProblem(
                f"Схема общей базы {self.label} старше этой версии cxdesk (или база пуста), а "
                "у вас нет прав её обновить. Попросите администратора выполнить "
                "cxdesk --db АДРЕС db-setup."
            ) from exc

    def _ensure_schema(self) -> None:
        from cxdesk.storage.damage import guarded

        with guarded(self.data_dir, self.db_path):  # a lost database, faults named rightly
            revision = sqlite_engine.current_revision(self.db_path)
            if revision == SCHEMA_REVISION:
                return
            if revision is not None:
                sqlite_engine.backup_before_migration(self.db_path, revision)
            _migrate(f"sqlite:///{self.db_path}")

    @contextlib.contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``write``: a read-then-write that others may run at the same moment (an item's save);
        on SQLite it takes the write lock at its start, so that such writers queue instead of
        the later one failing (see :mod:`cxdesk.storage.sqlite_engine`). Faults of the database
        itself (damaged, locked, read-only, disk full, a server away or a refusal of rights)
        come out as :class:`EnvironmentProblem` with what to do; a save over a row changed
        meanwhile by someone else as :class:`Conflict`.
        """
        try:
            with self._sessions() as s, s.begin():
                if self.user:
                    s.info["user"] = self.user
                if write and self.kind == "sqlite":
                    with sqlite_engine.immediate():
                        s.connection()  # begins the transaction now, with the write lock
                yield s
        except StaleDataError as exc:
            raise Conflict.from_stale(exc, self.kind == "postgresql") from exc
        except DBAPIError as exc:
            if self.kind == "postgresql":
                problem = postgres.explain_connection_error(exc, self.url)
            else:
                problem = explain_database_error(exc, self.db_path)
            if problem is None:
                raise
            raise problem from exc

    def probe(self) -> Any:
        """The change probe that open windows poll (see ui/safety/watcher.py)."""
        if self.kind == "postgresql":
            return postgres.PostgresProbe(self.engine)
        return sqlite_engine.SqliteProbe(self.db_path)

    def quick_check(self) -> bool:
        """True when the database is whole (SQLite's quick_check; on a server: it answers and
        the schema is in place)."""
        if self.kind == "postgresql":
            return postgres.quick_check(self.engine)
        return sqlite_engine.quick_check(self.db_path)

    def close(self) -> None:
        self.engine.dispose()
