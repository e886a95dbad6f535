"""The attachment store of a shared database: each file once, by sha256, in the database itself.

The same interface as :class:`cxdesk.storage.blobs.BlobStore` (``put``, ``has``, ``verify``,
``copy_out``, ``path``), so that one backup of the database holds everything. A file goes in as
chunks of 1 MiB (``blob_chunks``), hashed on the way, under a row of ``blob_files`` whose hash is
set only once the last chunk is written, in one transaction: a file half written is never under a
hash that an item links to. Reading back streams chunk by chunk, so memory stays flat whatever
the size. ``path`` gives a local copy (in the data folder's ``cache``, verified as it is written)
for the programs that need a file: the system's viewer, a .cxplan package.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Table, delete, select, update
from sqlalchemy.engine import Connection, Engine

from cxdesk import clock
from cxdesk.errors import NotFound
from cxdesk.fsutil import atomic_file
from cxdesk.storage.blobs import CHUNK
from cxdesk.storage.models import BlobChunk, BlobFile

_FILES: Table = BlobFile.__table__  # type: ignore[assignment]
_CHUNKS: Table = BlobChunk.__table__  # type: ignore[assignment]

MISSING = (
    "Файл вложения отсутствует в общей базе. Запустите проверку (cxdesk check) и восстановите "
    "его из резервной копии."
)


class DatabaseBlobStore:
    """Files by sha256 in ``blob_files``/``blob_chunks``; ``root`` is a local cache folder."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.root = Path(data_dir) / "cache"
        with contextlib.suppress(OSError):  # the scratch folder of imports, as in the file store
            (self.root / "tmp").mkdir(parents=True, exist_ok=True)

    # --- writing ---------------------------------------------------------------------------
    def put(self, source: Path, on_bytes: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Copies a file into the database in chunks; returns (sha256, size)."""
        source = Path(source)
        if not source.is_file():
            raise NotFound(f"Файл не найден: {source}. Проверьте путь и имя файла.")
        digest = hashlib.sha256()
        size = 0
        with self.engine.begin() as con, source.open("rb") as src:
            blob_id = con.execute(
                _FILES.insert().values(sha256=None, added_at=clock.now().isoformat())
            ).inserted_primary_key[0]  # type: ignore[index]
            seq = 0
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                con.execute(_CHUNKS.insert().values(blob_id=blob_id, seq=seq, data=chunk))
                seq += 1
                size += len(chunk)
                if on_bytes:
                    on_bytes(size)
            sha = digest.hexdigest()
            if self._id(con, sha) is not None:
                con.execute(delete(_FILES).where(_FILES.c.id == blob_id))
            else:
                con.execute(
                    update(_FILES)
                    .where(_FILES.c.id == blob_id)
                    .values(sha256=sha, size=size, chunks=seq)
                )
        return sha, size

    # --- reading ---------------------------------------------------------------------------
    @staticmethod
    def _id(con: Connection, sha256: str) -> int | None:
        return con.execute(select(_FILES.c.id).where(_FILES.c.sha256 == sha256)).scalar()

    def has(self, sha256: str) -> bool:
        with self.engine.connect() as con:
            return self._id(con, sha256) is not None

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The file's bytes, one chunk at a time (NotFound when it is not stored)."""
        with self.engine.connect() as con:
            found = con.execute(
                select(_FILES.c.id, _FILES.c.chunks).where(_FILES.c.sha256 == sha256)
            ).first()
            if found is None:
                raise NotFound(MISSING)
            blob_id, count = found
            query = select(_CHUNKS.c.data).where(_CHUNKS.c.blob_id == blob_id)
            for seq in range(count):
                data = con.execute(query.where(_CHUNKS.c.seq == seq)).scalar()
                if data is None:
                    return  # a lost chunk: the hash check tells
                yield bytes(data)

    def verify(self, sha256: str, on_bytes: Callable[[int], None] | None = None) -> str | None:
        """None when the stored file is whole; else ``missing`` or ``altered``."""
        if not self.has(sha256):
            return "missing"
        digest = hashlib.sha256()
        for chunk in self.chunks(sha256):
            digest.update(chunk)
            if on_bytes:
                on_bytes(len(chunk))
        return None if digest.hexdigest() == sha256 else "altered"

    def copy_out(self, sha256: str, dest: Path) -> Path:
        """Writes a copy of a stored file to ``dest`` (temporary name, then rename)."""
        if not self.has(sha256):
            raise NotFound(MISSING)
        digest = hashlib.sha256()
        with atomic_file(Path(dest)) as out:
            for chunk in self.chunks(sha256):
                digest.update(chunk)
                out.write(chunk)
            if digest.hexdigest() != sha256:
                raise NotFound(
                    "Файл вложения в общей базе повреждён (не совпадает контрольная сумма). "
                    "Запустите проверку (cxdesk check) и восстановите его из резервной копии."
                )
        return Path(dest)

    def path(self, sha256: str) -> Path:
        """A local, verified copy of the file (made once in the cache); a path that does not
        exist when the database has no such file, as the file store's ``path`` does."""
        local = self.root / sha256[:2] / sha256
        if local.is_file():
            return local
        if not self.has(sha256):
            return local
        local.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.copy_out(sha256, local)
        except NotFound:
            if local.exists():
                os.unlink(local)
        return local
