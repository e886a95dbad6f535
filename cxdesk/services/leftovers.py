"""Temporaries left behind by an interrupted run (kill -9, a power cut), found and removed.

Temporaries of processes that are gone (``store/tmp/in-*``, ``backups/*.part`` and
``.cxdesk-backup-*``, and the hidden ``.NAME.tmp`` beside exports and packages noted in the
journal, see :mod:`cxdesk.fsutil`) are removed at each start (:func:`remove_leftovers`: the command
line and the window) and counted by ``check`` (:func:`check_folder`, which also reports a lost
database before the store is opened). Those of a running process are never touched.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from cxdesk.fsutil import journal_dir, stale

if TYPE_CHECKING:  # the check and the damage report need SQLAlchemy: imported when checking
    from cxdesk.services.check import CheckReport


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


def check_folder(data_dir: Path, own_database: bool = True) -> CheckReport:
    """What can be checked before the store is opened: the temporaries of interrupted runs
    (removed and counted) and a lost database (empty or missing beside attachments/backups)."""
    from cxdesk.services.check import CheckReport, Problem
    from cxdesk.storage.damage import empty_database_problem

    leftovers = remove_leftovers(data_dir)
    lost = empty_database_problem(data_dir) if own_database else None  # not a shared database
    if lost is None:
        return CheckReport(True, [], 0, leftovers)
    return CheckReport(False, [Problem("database", lost.message, fix="cxdesk restore ФАЙЛ")], 0,
                       leftovers)  # fmt: skip
