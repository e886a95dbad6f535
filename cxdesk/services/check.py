"""The data check: the database (SQLite quick_check, foreign keys) and every stored file's hash,
and the temporaries an interrupted run left behind.

A missing or altered file is reported by plan, item and name, with how to restore it. A
database that is empty or missing while the folder holds attachments or backups is reported as
lost. Temporaries of processes that are gone (``store/tmp/in-*``, ``backups/*.part`` and
``.cxdesk-backup-*``, and the hidden ``.NAME.tmp`` beside exports and packages noted in the
journal) are removed at each start (:func:`remove_leftovers`) and counted by the check.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from cxdesk.fsutil import journal_dir, stale
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.storage.db import Store, empty_database_problem

RESTORE_HINT = (
    "восстановите файл из резервной копии (cxdesk restore) или прикрепите его заново "
    "(cxdesk attach {plan} {item} ФАЙЛ)"
)


@dataclass
class Problem:
    """One finding of the check."""

    kind: str  # database | foreign_key | missing | altered | leftovers
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
    #: Temporaries of interrupted runs found (and removed) by this check.
    leftovers: int = 0


def find_leftovers(data_dir: Path) -> list[Path]:
    """Temporaries left by processes that are gone (never those of a running one)."""
    data_dir = Path(data_dir)
    found: list[Path] = []
    tmp = data_dir / "store" / "tmp"
    if tmp.is_dir():
        found += [p for p in tmp.glob("in-*") if stale(p)]
    backups = data_dir / "backups"
    if backups.is_dir():
        found += [p for p in backups.glob("*.part") if stale(p)]
        found += [p for p in backups.glob(".cxdesk-backup-*") if stale(p)]
    found += [p for p in data_dir.glob(".*.tmp") if stale(p)]
    for entry in journal_dir(data_dir).glob("*.path") if journal_dir(data_dir).is_dir() else []:
        if not stale(Path("in-" + entry.stem)):  # the entry is named <pid>-<hex>.path
            continue
        with contextlib.suppress(OSError, UnicodeError):
            noted = Path(entry.read_text(encoding="utf-8", errors="surrogateescape").strip())
            # only what cxdesk makes: a hidden .NAME.<pid>-<hex>.tmp or a backup folder
            name = noted.name
            ours = (name.startswith(".") and name.endswith(".tmp")) or name.startswith(
                ".cxdesk-backup-"
            )
            if ours and (noted.exists() or noted.is_symlink()):
                found.append(noted)
        found.append(entry)
    return found


def remove_leftovers(data_dir: Path) -> int:
    """Removes what :func:`find_leftovers` finds; returns how many temporaries it removed (the
    journal's own notes not counted). Never raises."""
    count = 0
    try:
        leftovers = find_leftovers(data_dir)
    except OSError:
        return 0
    for path in leftovers:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue
        if path.suffix != ".path":
            count += 1
    return count


def check_folder(data_dir: Path) -> CheckReport:
    """What can be checked before the store is opened: the temporaries of interrupted runs
    (removed and counted) and a lost database (empty or missing beside attachments/backups)."""
    leftovers = remove_leftovers(data_dir)
    lost = empty_database_problem(data_dir)
    if lost is None:
        return CheckReport(True, [], 0, leftovers)
    return CheckReport(False, [Problem("database", lost.message, fix="cxdesk restore ФАЙЛ")], 0,
                       leftovers)  # fmt: skip


def check_data(store: Store, progress: Progress = NO_PROGRESS) -> CheckReport:
    """Verifies the database and every stored attachment (streamed, with progress); removes and
    counts the temporaries of interrupted runs."""
    problems: list[Problem] = []
    leftovers = remove_leftovers(store.data_dir)
    progress.set_status("Проверка базы данных")
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
            rows = con.execute(
                "SELECT a.name, a.sha256, a.size, r.plan_id, r.number FROM attachments a "
                "JOIN rows r ON r.id = a.row_id WHERE a.removed_at IS NULL ORDER BY a.id"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            problems.append(
                Problem(
                    "database",
                    f"база данных не читается: {exc}",
                    fix="восстановите базу из резервной копии (cxdesk restore)",
                )
            )
            return CheckReport(False, problems, 0, leftovers)
    finally:
        con.close()
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
    return CheckReport(not problems, problems, len(rows), leftovers)
