"""Writing files so that nothing is ever left half-written.

Every file cxdesk writes for the user (exports, packages, drafts, copies of attachments) goes
to a temporary name in the target folder, is flushed to disk, and only then renamed onto the
target in one step; on any failure the temporary file is removed and an existing file stays.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


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


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a temporary path beside ``path``; on success it replaces ``path`` in one step.

    The caller writes the whole file to the yielded path (any library that takes a path).
    """
    target = Path(path)
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
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
