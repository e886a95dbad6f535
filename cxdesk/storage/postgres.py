"""What is particular to a shared PostgreSQL database (``postgresql://`` URLs, psycopg 3).

The counterparts of the SQLite specifics: the engine (a pool checked before use, the product's
name in ``pg_stat_activity``), the schema revision read from ``alembic_version`` of the current
schema, a copy before a migration through ``pg_dump`` where it is installed, a quick check (the
server answers and the schema is there), the person who works (``current_user``: each person
signs in as their own role), and the change probe of open windows: LISTEN on the ``cxdesk``
channel, to which triggers of migration 0003 send the id of every changed plan.

Pragmas, WAL and the file lock do not apply: the server keeps its own journal and locks.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url

from cxdesk import clock
from cxdesk.errors import EnvironmentProblem

CHANNEL = "cxdesk"
#: After the server could not be reached, the window's probe waits this long before trying again
#: (a try blocks for at most 2 seconds).
RETRY_S = 30.0


def is_postgres(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def engine_url(url: str) -> str:
    """The URL as SQLAlchemy wants it: the psycopg 3 driver whatever the user wrote."""
    scheme, rest = url.split(":", 1)
    return "postgresql+psycopg:" + rest if "+" not in scheme else url


def libpq_url(url: str) -> str:
    """The URL as libpq (pg_dump, psycopg.connect) wants it."""
    scheme, rest = url.split(":", 1)
    return "postgresql:" + rest


def shown_url(url: str) -> str:
    """The URL for messages: without the password."""
    try:
        return make_url(engine_url(url)).set(drivername="postgresql").render_as_string()
    except Exception:  # noqa: BLE001 - a URL that cannot be parsed is shown as given
        return url.split("@")[-1]


def make_engine(url: str) -> Engine:
    return create_engine(
        engine_url(url),
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "cxdesk"},
    )


def explain_connection_error(exc: BaseException, url: str) -> EnvironmentProblem | None:
    """A plain message for a server that cannot be reached or refuses the person."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    where = shown_url(url)
    if "password authentication failed" in text_ or "no password supplied" in text_:
        return EnvironmentProblem(
            f"Общая база {where} не приняла имя или пароль. Проверьте их в настройке подключения "
            "(Файл → Подключение к общей базе… или --db) или обратитесь к администратору."
        )
    if "does not exist" in text_ and ("database" in text_ or "role" in text_):
        return EnvironmentProblem(
            f"На сервере нет указанной базы или пользователя ({where}). Проверьте адрес "
            "подключения или попросите администратора создать их (cxdesk db-setup)."
        )
    if "permission denied" in text_ or "row-level security" in text_:
        return EnvironmentProblem(
            "Недостаточно прав в общей базе для этого изменения: координатор меняет план, "
            "исполнитель — статус, результат и документы своих пунктов, наблюдатель только "
            "читает. Обратитесь к координатору."
        )
    if (
        "connection refused" in text_
        or "could not connect" in text_
        or "timeout expired" in text_
        or "could not translate host" in text_
        or "failed to resolve host" in text_
        or "name or service not known" in text_
        or "server closed the connection" in text_
        or "connection failed" in text_
        or "no such file or directory" in text_
    ):
        return EnvironmentProblem(
            f"Не удаётся подключиться к общей базе {where}. Проверьте сеть и адрес сервера; "
            "данные не изменены."
        )
    return None


def current_revision(engine: Engine) -> str | None:
    """The schema revision in the current schema; None for an empty database."""
    with engine.connect() as con:
        if not inspect(con).has_table("alembic_version"):
            return None
        got = con.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(got[0]) if got else None


def current_user(engine: Engine) -> str:
    with engine.connect() as con:
        return str(con.execute(text("SELECT current_user")).scalar_one())


def pg_tool(name: str) -> str | None:
    """A PostgreSQL client program (pg_dump, pg_restore) on PATH or in Debian's folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).is_file():
            return str(folder / name)
    return None


def _run_tool(name: str, args: list[str], url: str, failed: str) -> None:
    """Runs pg_dump or pg_restore on the database of ``url`` (the password, if the URL has
    one, goes in the environment, not on the command line that others can see)."""
    tool = pg_tool(name)
    if tool is None:
        raise EnvironmentProblem(
            f"Программа {name} не установлена. Установите клиент PostgreSQL (пакет "
            "postgresql-client) или сохраните планы командой cxdesk export / pack."
        )
    parsed = make_url(engine_url(url))
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None).render_as_string()
    done = subprocess.run(
        [tool, *args, "--dbname", plain], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        raise EnvironmentProblem(f"{name}: {failed}: {done.stderr.strip()[:300]}.")


def dump(url: str, target: Path) -> Path:
    """The whole database in pg_dump's custom format (``pg_restore`` reads it back)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    try:
        failed = "общая база не сохранена (проверьте подключение и права; данные не изменены)"
        _run_tool("pg_dump", ["--format=custom", "--no-owner", "--file", str(part)], url, failed)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(target)
    return target


def restore(url: str, source: Path) -> None:
    """Puts a pg_dump copy back over the database (its tables are replaced, all or nothing)."""
    args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)]
    _run_tool("pg_restore", args, url, "общая база не восстановлена (проверьте файл копии и права)")


def backup_before_migration(url: str, data_dir: Path, revision: str) -> Path | None:
    """A pg_dump copy in the data folder's backups before the schema changes (where installed)."""
    if pg_tool("pg_dump") is None:
        return None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return dump(url, Path(data_dir) / "backups" / f"before-migration-{revision}-{stamp}.pgdump")


def quick_check(engine: Engine) -> bool:
    """True when the server answers and the schema is in place."""
    try:
        return current_revision(engine) is not None
    except Exception:  # noqa: BLE001 - any failure to answer is «not whole»
        return False


class PostgresProbe:
    """The change probe of open windows on a shared database (LISTEN/NOTIFY).

    ``read(since)`` is the same as SQLite's: a marker that changes when a notification came (no
    query is sent when none did), the plans' ``updated_at``, the last history id and the plans
    named by history after ``since``.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._con: Any = None
        self._count = 0
        self._last: tuple[dict[int, str], int] | None = None
        self._retry_at = 0.0

    def _connection(self) -> Any:
        if self._con is None:
            if time.monotonic() < self._retry_at:
                raise EnvironmentProblem("the server was away a moment ago")
            self._retry_at = time.monotonic() + RETRY_S  # until this attempt succeeds
            dialect = self.engine.dialect
            cargs, cparams = dialect.create_connect_args(self.engine.url)
            cparams = {**cparams, "connect_timeout": 2, "application_name": "cxdesk-watch"}
            con = dialect.connect(*cargs, **cparams)
            self._retry_at = 0.0
            con.autocommit = True
            con.execute(f"LISTEN {CHANNEL}")
            self._con = con
        return self._con

    def pending(self) -> set[int]:
        """Plans named by notifications since the last call (an empty set when none came)."""
        con = self._connection()
        got: set[int] = set()
        for note in con.notifies(timeout=0):
            self._count += 1
            if note.payload.isdecimal():
                got.add(int(note.payload))
        return got

    def read(self, since: int | None) -> tuple[Any, dict[int, str], int, set[int]] | None:
        try:
            con = self._connection()
            fresh = self.pending()
            if since is not None and not fresh and self._last is not None:
                return self._count, self._last[0], self._last[1], set()
            plans = dict(con.execute("SELECT id, updated_at FROM plans").fetchall())
            last = con.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
            named = set(fresh)
            if since is not None and last > since:
                rows = con.execute("SELECT DISTINCT plan_id FROM history WHERE id > %s", (since,))
                named |= {pid for (pid,) in rows}
        except Exception:  # noqa: BLE001 - the server away for a moment: look next time
            self.close()
            return None
        self._last = (plans, last)
        return self._count, plans, last, named

    def close(self) -> None:
        if self._con is not None:
            with contextlib.suppress(Exception):
                self._con.close()
            self._con = None
        self._last = None  # notifications may be missed while away: read everything next time
        self._count += 1


def check_connection(url: str) -> str:
    """Connects once without changing anything; a Russian line on what was found there.

    Raises :class:`EnvironmentProblem` (with what to do) when the server cannot be used."""
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
        user = current_user(engine)
    except Exception as exc:  # noqa: BLE001 - explained below, or a plain message
        problem = explain_connection_error(exc, url)
        raise problem or EnvironmentProblem(
            f"Общая база {shown_url(url)} не отвечает как ожидается: {str(exc)[:200]}"
        ) from exc
    finally:
        engine.dispose()
    if revision is None:
        return f"Подключение есть (вход: {user}); база пуста — схема cxdesk будет создана."
    return f"Подключение есть (вход: {user}); база cxdesk, версия схемы {revision}."
