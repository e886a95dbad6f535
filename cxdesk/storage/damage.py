"""A damaged or lost database, told apart from a new one, and the faults of opening it.

:func:`damaged_database` is the one message for a damaged file (restore from a backup).
:func:`empty_database_problem`: a database file that is empty (0 bytes) or missing while the
data folder still holds attachments or backups is damage, never silently a new empty database.
:func:`guarded` wraps the opening of the SQLite file (reading its revision, migrating): a lost
database is refused first, and any fault comes out named by
:func:`cxdesk.storage.db.explain_database_error` (read-only folder, full disk, damage…).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from cxdesk.errors import DamagedData, os_fault
from cxdesk.paths import DB_NAME


def damaged_database(path: Path, detail: str = "") -> DamagedData:
    """The database file is damaged: restore it from a backup."""
    what = f" ({detail})" if detail else ""
    return DamagedData(
        f"База данных {path} повреждена{what}. Восстановите её из резервной копии: список копий "
        "— cxdesk backups, восстановление — cxdesk restore ФАЙЛ (или в окне: Файл → "
        "Восстановить из копии)."
    )


def empty_database_problem(data_dir: Path) -> DamagedData | None:
    """A database file that is missing or empty (0 bytes) while the data folder still holds
    attachments or backups is damage, not a new start; None when the folder is really new."""
    db = Path(data_dir) / DB_NAME
    try:
        if db.exists() and db.stat().st_size > 0:
            return None
    except OSError:
        return None
    store = Path(data_dir) / "store"
    kept = [
        p for p in store.glob("??/*") if p.is_file()
    ] if store.is_dir() else []  # fmt: skip
    backups = Path(data_dir) / "backups"
    copies = [
        p for p in backups.iterdir() if p.suffix in (".zip", ".sqlite3")
    ] if backups.is_dir() else []  # fmt: skip
    if not kept and not copies:
        return None
    state = "пуст (0 байт)" if db.exists() else "отсутствует"
    held = []
    if kept:
        held.append(f"вложений: {len(kept)}")
    if copies:
        held.append(f"резервных копий: {len(copies)}")
    return DamagedData(
        f"Файл базы данных {db} {state}, хотя в папке данных есть данные ({', '.join(held)}): "
        "база потеряна или повреждена, новая пустая база не создана. Восстановите её из "
        "последней резервной копии: cxdesk backups, затем cxdesk restore ФАЙЛ (или в окне: "
        "Восстановить из копии)."
    )


@contextlib.contextmanager
def guarded(data_dir: Path, db_path: Path) -> Iterator[None]:
    """Opening the SQLite file: a lost database refused first, every fault named rightly."""
    from cxdesk.storage.db import explain_database_error

    lost = empty_database_problem(data_dir)
    if lost is not None:
        raise lost
    try:
        yield
    except (sqlite3.Error, DBAPIError) as exc:
        raise explain_database_error(exc, db_path) or damaged_database(db_path, str(exc)) from exc
    except OSError as exc:
        raise os_fault(exc, db_path, "открыть базу") from exc
