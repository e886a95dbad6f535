"""Backups: a consistent copy of the database (sqlite3 backup API) and of the attachment store.

- Every day, on the first open, the database is copied to ``backups/daily-YYYY-MM-DD.sqlite3``
  with the list of stored attachments beside it; the last 10 days are kept.
- ``cxdesk backup`` writes one .zip with the database, the attachment files and a manifest,
  while the application may be open.
- ``cxdesk restore`` puts a backup back after keeping a copy of the current state; the restored
  database is checked before it replaces anything.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from cxdesk import clock
from cxdesk.errors import BadFile, EnvironmentProblem, NotFound
from cxdesk.paths import DB_NAME
from cxdesk.storage.blobs import BlobStore

KEEP_DAYS = 10
BACKUP_FORMAT = "cxdesk-backup"
MANIFEST = "backup.json"


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "backups"


def _snapshot(db_path: Path, target: Path) -> None:
    """Copies a live database consistently, WAL included (sqlite3 backup API)."""
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _attachment_list(db_path: Path) -> list[dict[str, object]]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute(
            "SELECT sha256, size, name FROM attachments WHERE removed_at IS NULL"
        ).fetchall()
    except sqlite3.DatabaseError:
        rows = []
    finally:
        con.close()
    return [{"sha256": s, "size": n, "name": name} for s, n, name in rows]


def daily_backup(data_dir: Path, on: datetime | None = None) -> Path | None:
    """Makes today's backup if there is none yet; keeps the last 10. Never raises."""
    db_path = Path(data_dir) / DB_NAME
    if not db_path.exists():
        return None
    day = (on or clock.now()).strftime("%Y-%m-%d")
    folder = backups_dir(data_dir)
    target = folder / f"daily-{day}.sqlite3"
    if target.exists():
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        _snapshot(db_path, tmp)
        os.replace(tmp, target)
        (folder / f"daily-{day}.files.json").write_text(
            json.dumps(_attachment_list(target), ensure_ascii=False), encoding="utf-8"
        )
        for old in sorted(folder.glob("daily-*.sqlite3"))[:-KEEP_DAYS]:
            old.unlink(missing_ok=True)
            (folder / (old.name.removesuffix(".sqlite3") + ".files.json")).unlink(missing_ok=True)
        return target
    except (OSError, sqlite3.Error):
        return None


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest first."""
    folder = backups_dir(data_dir)
    if not folder.exists():
        return []
    found = [
        *folder.glob("daily-*.sqlite3"),
        *folder.glob("*.zip"),
        *folder.glob("before-*.sqlite3"),
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def make_backup(data_dir: Path, out: Path | None = None) -> Path:
    """Writes a .zip with the database, the attachment files and a manifest."""
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    if not db_path.exists():
        raise NotFound(f"В папке {data_dir} нет базы cxdesk: копировать нечего.")
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    out = Path(out) if out else backups_dir(data_dir) / f"cxdesk-backup-{stamp}.zip"
    if out.is_dir():
        out = out / f"cxdesk-backup-{stamp}.zip"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".cxdesk-") as tmp:
            snap = Path(tmp) / DB_NAME
            _snapshot(db_path, snap)
            files = _attachment_list(snap)
            blobs = BlobStore(data_dir)
            part = Path(tmp) / "backup.zip"
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
                manifest = {"format": BACKUP_FORMAT, "version": 1, "created": stamp,
                            "files": files}  # fmt: skip
                z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
                z.write(snap, DB_NAME)
                for sha in sorted({str(f["sha256"]) for f in files}):
                    if blobs.has(sha):
                        z.write(blobs.path(sha), f"store/{sha[:2]}/{sha}", zipfile.ZIP_STORED)
            with part.open("rb") as f:
                os.fsync(f.fileno())
            os.replace(part, out)
    except OSError as exc:
        raise EnvironmentProblem(
            f"Не удалось записать резервную копию {out}: {exc.strerror or exc}. "
            "Проверьте место на диске и права на папку."
        ) from exc
    return out


def _check_database(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"Файл резервной копии не читается как база cxdesk ({exc}).") from exc
    if ok != "ok" or not {"plans", "rows", "history", "attachments"} <= tables:
        raise BadFile("Резервная копия повреждена или это не база cxdesk: выберите другую.")


def restore_backup(data_dir: Path, source: Path) -> Path:
    """Puts a backup back (a .zip of ``backup`` or a daily .sqlite3); returns the copy of the
    state before, kept in the backups folder."""
    data_dir = Path(data_dir)
    source = Path(source)
    if not source.is_file():
        raise NotFound(f"Файл не найден: {source}. Укажите файл резервной копии.")
    db_path = data_dir / DB_NAME
    with tempfile.TemporaryDirectory(prefix="cxdesk-restore-") as tmp:
        candidate = Path(tmp) / DB_NAME
        blobs_in: list[tuple[str, str]] = []
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as z:
                names = set(z.namelist())
                if MANIFEST not in names or DB_NAME not in names:
                    raise BadFile("Это не резервная копия cxdesk: в архиве нет базы и описи.")
                try:
                    manifest = json.loads(z.read(MANIFEST))
                except ValueError as exc:
                    raise BadFile("Опись резервной копии повреждена.") from exc
                if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
                    raise BadFile("Это не резервная копия cxdesk.")
                info = z.getinfo(DB_NAME)
                if info.file_size > 8 * 1024**3:
                    raise BadFile("База в резервной копии слишком велика.")
                with z.open(info) as src, candidate.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                blobs_in = [
                    (n, n.rsplit("/", 1)[-1])
                    for n in names
                    if n.startswith("store/") and len(n.rsplit("/", 1)[-1]) == 64
                ]
                _check_database(candidate)
                blobs = BlobStore(data_dir)
                for member, sha in blobs_in:
                    if all(c in "0123456789abcdef" for c in sha) and not blobs.has(sha):
                        part = Path(tmp) / sha
                        with z.open(member) as src, part.open("wb") as dst:
                            shutil.copyfileobj(src, dst, 1024 * 1024)
                        got, _ = blobs.put(part)
                        if got != sha:
                            blobs.path(got).unlink(missing_ok=True)
        else:
            shutil.copyfile(source, candidate)
            _check_database(candidate)
        keep = backups_dir(data_dir) / f"before-restore-{clock.now():%Y%m%d-%H%M%S}.sqlite3"
        keep.parent.mkdir(parents=True, exist_ok=True)
        if db_path.exists():
            try:
                _snapshot(db_path, keep)
            except sqlite3.DatabaseError:
                shutil.copyfile(db_path, keep)  # a damaged database: keep its bytes as they are
        _replace_database(candidate, db_path)
    return keep


def _replace_database(candidate: Path, db_path: Path) -> None:
    try:
        src = sqlite3.connect(str(candidate))
        dst = sqlite3.connect(str(db_path), timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError:
        # the live file is too damaged to write pages into: swap the files instead
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(candidate, str(db_path) + ".part")
        os.replace(str(db_path) + ".part", db_path)
