"""The attachment store: each file kept once under the data folder, named by its sha256.

A file is copied in chunks (never whole in memory) to a temporary name in the store, hashed on
the way, flushed to disk and only then renamed to its hash; so a crash never leaves a half file
under a name that an item links to. The temporary's name carries the process id
(``tmp/in-<pid>-…``): one left by a killed process is removed at the next start.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cxdesk.errors import EnvironmentProblem, NotFound, check_input, os_fault
from cxdesk.fsutil import atomic_file
from cxdesk.textsafe import neutral_name

CHUNK = 1024 * 1024


class BlobStore:
    """Files by sha256 in ``<data>/store/ab/abcdef…``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "store"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, source: Path, on_bytes: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Copies a file into the store; returns (sha256, size)."""
        check_input(source)
        tmp_dir = self.root / "tmp"
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=f"in-{os.getpid()}-")
        except OSError as exc:
            raise os_fault(exc, self.root) from exc
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if on_bytes:
                        on_bytes(size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            if final.is_file() and final.stat().st_size == size:
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
            return sha, size
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise EnvironmentProblem(
                f"Файл «{neutral_name(source.name)}» не сохранён, ничего не изменено. "
                + os_fault(exc, self.root).message
            ) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def verify(self, sha256: str, on_bytes: Callable[[int], None] | None = None) -> str | None:
        """None when the stored file is whole; else ``missing`` or ``altered``."""
        path = self.path(sha256)
        if not path.is_file():
            return "missing"
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
        return None if digest.hexdigest() == sha256 else "altered"

    def copy_out(self, sha256: str, dest: Path) -> Path:
        """Writes a copy of a stored file to ``dest`` (temporary name, then rename)."""
        src = self.path(sha256)
        if not src.is_file():
            raise NotFound(
                "Файл вложения отсутствует в хранилище. Запустите проверку (cxdesk check) и "
                "восстановите его из резервной копии."
            )
        with atomic_file(Path(dest)) as out, src.open("rb") as f:
            while chunk := f.read(CHUNK):
                out.write(chunk)
        return Path(dest)
