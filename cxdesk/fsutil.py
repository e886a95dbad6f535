"""Writing files so that nothing is ever left half-written, and nothing left behind after a crash.

Every file cxdesk writes for the user (exports, packages, drafts, copies of attachments) goes
to a temporary name in the target folder, is flushed to disk, and only then renamed onto the
target in one step; on any failure the temporary file is removed and an existing file stays.

A process killed outright (``kill -9``, a power cut) cannot remove its temporaries. So each
temporary carries the process id in its name (``.NAME.<pid>-<hex>.tmp``, ``in-<pid>-…``,
``.cxdesk-backup-<pid>-…``, ``….<pid>.part``), and one outside the data folder is also noted in
the data folder's journal (``tmp/journal``) while it exists: the next start (command line and
window) removes those of processes that are gone (:func:`stale`, used by
:func:`cxdesk.services.check.remove_leftovers`), and ``check`` counts them.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cxdesk import clock

#: A temporary with no live owner that is older than this is stale whatever its name says.
STALE_AFTER_S = 24 * 3600
#: Where each kind of temporary carries its owner's process id.
_PID_RES = (
    re.compile(r"\.(\d{1,10})-[0-9a-f]{8}\.tmp$"),  # .NAME.<pid>-<hex>.tmp (exports, packages)
    re.compile(r"^in-(\d{1,10})-"),  # store/tmp/in-<pid>-… (attachments, package import)
    re.compile(r"^\.cxdesk-backup-(\d{1,10})-"),  # a backup being written
    re.compile(r"\.(\d{1,10})\.part$"),  # a daily or exit copy being written
)
_journal: Path | None = None


def journal_dir(data_dir: Path) -> Path:
    """Where temporaries written outside the data folder are noted while they exist."""
    return Path(data_dir) / "store" / "tmp" / "journal"


def use_journal(folder: Path | None) -> None:
    """Notes temporaries written outside the data folder in ``folder`` (the data folder's
    ``tmp/journal``) while they exist; None stops it."""
    global _journal
    _journal = Path(folder) if folder else None


def pid_alive(pid: int) -> bool:
    """Whether a process of this id runs (never signals it; on Windows asks the system)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - Windows only
        handle = kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def newest_mtime(path: Path) -> float:
    """The newest modification time of a file, or of a folder and everything in it."""
    try:
        newest = path.lstat().st_mtime
    except OSError:
        return 0.0
    if path.is_dir() and not path.is_symlink():
        for sub in path.rglob("*"):
            with contextlib.suppress(OSError):
                newest = max(newest, sub.lstat().st_mtime)
    return newest


def stale(path: Path, now: float | None = None) -> bool:
    """Whether a temporary was left by a process that is gone (its pid in the name), or is
    older than :data:`STALE_AFTER_S` whatever its name."""
    match = next((m for m in (r.search(path.name) for r in _PID_RES) if m), None)
    age = (now or clock.wall_time()) - newest_mtime(path)
    if match and not pid_alive(int(match.group(1))):
        return True
    return age > STALE_AFTER_S


def tmp_tag() -> str:
    """The process id and a random part, for a temporary's name."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


@contextlib.contextmanager
def journaled(path: Path, journal: Path | None = None) -> Iterator[None]:
    """Notes ``path`` (a temporary outside the data folder) in the journal (``journal``, else
    the one in use) while the block runs."""
    entry = None
    journal = journal or _journal
    if journal is not None:
        try:
            journal.mkdir(parents=True, exist_ok=True)
            entry = journal / f"{tmp_tag()}.path"
            entry.write_text(str(Path(path).absolute()), encoding="utf-8", errors="surrogateescape")
        except OSError:
            entry = None
    try:
        yield
    finally:
        if entry is not None:
            with contextlib.suppress(OSError):
                entry.unlink()


def sync_folder(folder: Path) -> None:
    """Flushes a folder's entries after a rename where the system allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def short_name(name: str, limit: int = 200) -> str:
    """A file name cut to at most ``limit`` bytes in UTF-8 (most file systems allow 255), its
    extension kept: a long attachment name still makes a file that can be written and opened."""
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode("utf-8", "surrogateescape")) > 16:
        stem, ext = name, ""
    tail = f"…{'.' + ext if ext else ''}"
    room = limit - len(tail.encode("utf-8"))
    cut = stem.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return cut + tail


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a temporary path beside ``path``; on success it replaces ``path`` in one step.

    The caller writes the whole file to the yielded path (any library that takes a path).
    """
    target = Path(path)
    folder = target.parent
    tmp = folder / f".{short_name(target.name, 180)}.{tmp_tag()}.tmp"
    with journaled(tmp):
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        try:
            yield tmp
            with open(tmp, "rb+") as handle:
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    sync_folder(folder)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yields a binary file open for writing that replaces ``path`` when the block ends."""
    with atomic_target(path) as tmp, open(tmp, "wb") as handle:
        yield handle
