"""The data check: the database (SQLite quick_check, foreign keys; a shared database: that it
answers with its schema) and every stored file's hash.

A missing or altered file is reported by plan, item and name, with how to restore it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.storage.db import Store

RESTORE_HINT = (
    "восстановите файл из резервной копии (cxdesk restore) или прикрепите его заново "
    "(cxdesk attach {plan} {item} ФАЙЛ)"
)


@dataclass
class Problem:
    """One finding of the check."""

    kind: str  # database | foreign_key | missing | altered
    detail: str
    plan: int | None = None
    item: str = ""
    name: str = ""
    fix: str = ""


@dataclass
class CheckReport:
    """The outcome of the check."""

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    #: Temporaries of interrupted runs removed before the check (cxdesk.services.leftovers).
    leftovers: int = 0


def check_data(store: Store, progress: Progress = NO_PROGRESS) -> CheckReport:
    """Verifies the database and every stored attachment (streamed, with progress)."""
    problems: list[Problem] = []
    progress.set_status("Проверка базы данных")
    if store.kind != "sqlite":
        found = _server_attachments(store, problems)
        if found is None:
            return CheckReport(False, problems)
        rows = found
    else:
        got = _sqlite_attachments(store, problems)
        if got is None:
            return CheckReport(False, problems)
        rows = got
    return _check_files(store, rows, problems, progress)


_ATTACHED = (
    "SELECT a.name, a.sha256, a.size, r.plan_id, r.number FROM attachments a "
    "JOIN rows r ON r.id = a.row_id WHERE a.removed_at IS NULL ORDER BY a.id"
)


def _server_attachments(store: Store, problems: list[Problem]) -> list[Any] | None:
    """A shared database: the server keeps foreign keys itself; it must answer and hold the
    schema, and the attachments are read from it."""
    from sqlalchemy import text

    if not store.quick_check():
        problems.append(
            Problem(
                "database",
                f"общая база {store.label} не отвечает или не содержит схему cxdesk",
                fix="проверьте подключение; восстановите базу из копии (cxdesk restore)",
            )
        )
        return None
    with store.session() as s:
        return [tuple(r) for r in s.execute(text(_ATTACHED))]


def _sqlite_attachments(store: Store, problems: list[Problem]) -> list[Any] | None:
    con = sqlite3.connect(f"file:{store.db_path}?mode=ro", uri=True, timeout=10)
    try:
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                problems.append(
                    Problem(
                        "database",
                        "база данных повреждена: " + "; ".join(result[:5]),
                        fix="восстановите базу из резервной копии (cxdesk restore)",
                    )
                )
            for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check"):
                problems.append(
                    Problem(
                        "foreign_key",
                        f"запись {rowid} таблицы {table} ссылается на отсутствующую в {parent}",
                        fix="восстановите базу из резервной копии (cxdesk restore)",
                    )
                )
            rows: list[Any] = con.execute(_ATTACHED).fetchall()
        except sqlite3.DatabaseError as exc:
            problems.append(
                Problem(
                    "database",
                    f"база данных не читается: {exc}",
                    fix="восстановите базу из резервной копии (cxdesk restore)",
                )
            )
            return None
    finally:
        con.close()
    return rows


def _check_files(
    store: Store, rows: list[Any], problems: list[Problem], progress: Progress
) -> CheckReport:
    total = sum(r[2] for r in rows) or 1
    seen = 0
    verdicts: dict[str, str | None] = {}
    for name, sha, size, plan_id, number in rows:
        progress.set_status(f"Проверка файла «{name}»")
        if sha not in verdicts:
            base = seen

            def on_bytes(n: int, b: int = base) -> None:
                progress.set_value(min(1.0, (b + n) / total))

            verdicts[sha] = store.blobs.verify(sha, on_bytes)
        seen += size
        progress.set_value(min(1.0, seen / total))
        progress.check()
        verdict = verdicts[sha]
        if verdict:
            what = "отсутствует в хранилище" if verdict == "missing" else "изменён после сохранения"
            problems.append(
                Problem(
                    verdict,
                    f"файл «{name}» пункта {number} плана {plan_id} {what}",
                    plan=plan_id,
                    item=number,
                    name=name,
                    fix=RESTORE_HINT.format(plan=plan_id, item=number.rstrip(".") or "ПУНКТ"),
                )
            )
    progress.set_value(1.0)
    return CheckReport(not problems, problems, len(rows))
