"""Backups that can be trusted: a verified copy of the database and of the attachment store.

- **The day's copy.** At the day's first open the database is copied to
  ``backups/daily-YYYY-MM-DD.sqlite3`` (the state the day began with) with the list of stored
  attachments beside it. The window also makes a copy when it closes (``exit-…``, a setting, on by
  default; the last :data:`KEEP_EXIT` are kept), so restoring the newest copy never loses the
  day's work, while the morning's copy stays for a day whose work went wrong.
- **Retention** keeps older good copies too: every daily copy of the last :data:`KEEP_DAILY` days
  and the newest of each week for :data:`KEEP_WEEKS` weeks (two months).
- **Verified before kept.** Every copy (daily, exit, ``cxdesk backup``) is written to a temporary
  name, checked (SQLite ``quick_check`` of the copy and the tables of cxdesk) and only then
  renamed into place. A damaged database is refused — a copy of damage would push good copies
  out — with a message; nothing ``*.part`` is left behind on a full disk or any failure, and the
  failure is written to the log and reported.
- ``cxdesk backup`` writes one .zip with the database, the attachment files (each hashed while it
  is copied: an altered or missing file is named and left out, never copied silently) and a
  manifest with the hashes; the finished zip is read back and checked before it is kept.
- ``cxdesk restore`` puts a backup back after keeping a copy of the current state; the restored
  database is checked before it replaces anything. The .zip is read through the one hardened zip
  reader (:mod:`cxdesk.io.safezip`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from cxdesk import clock
from cxdesk.errors import (
    BadFile,
    EnvironmentProblem,
    NotFound,
    UserError,
    check_input,
    disk_full,
    os_fault,
)
from cxdesk.fsutil import journal_dir, journaled, tmp_tag
from cxdesk.paths import DB_NAME
from cxdesk.storage.blobs import CHUNK, BlobStore

#: Every daily copy of the last days is kept …
KEEP_DAILY = 7
#: … and the newest copy of each of the last weeks (two months).
KEEP_WEEKS = 9
#: Copies made when the window closes.
KEEP_EXIT = 5
BACKUP_FORMAT = "cxdesk-backup"
MANIFEST = "backup.json"
TABLES = frozenset({"plans", "rows", "history", "attachments"})

Report = Callable[[str], None]


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "backups"


@contextlib.contextmanager
def _source(db_path: Path) -> Iterator[sqlite3.Connection]:
    """The live database opened for reading. In a folder that cannot be written (SQLite cannot
    make its ``-shm`` file there) and with no journal pending, it is read as immutable."""
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        wal = Path(f"{db_path}-wal")
        pending = wal.exists() and wal.stat().st_size > 0
        if "unable to open" not in str(exc) or pending:
            raise
        con = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True, timeout=30)
    try:
        yield con
    finally:
        con.close()


def database_problem(path: Path) -> str:
    """Why a database file is not a whole cxdesk database (empty when it is)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"не читается как база данных ({exc})"
    if result != ["ok"]:
        return "повреждена: " + "; ".join(result[:3])
    if not tables >= TABLES:
        return "это не база cxdesk"
    return ""


def _snapshot(db_path: Path, target: Path) -> None:
    """Copies a live database consistently, WAL included (sqlite3 backup API), then checks the
    copy; a damaged source is refused (:class:`EnvironmentProblem`) and the copy removed."""
    dst = sqlite3.connect(str(target))
    try:
        with _source(db_path) as src:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as exc:
        dst.close()
        target.unlink(missing_ok=True)
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise _damaged_source(db_path, str(exc)) from exc
        raise
    finally:
        dst.close()
    problem = database_problem(target)
    if problem:
        target.unlink(missing_ok=True)
        raise _damaged_source(db_path, problem)


def _damaged_source(db_path: Path, detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"Резервная копия не сделана: база данных {db_path} повреждена ({detail}), а копия "
        "повреждённой базы не поможет её восстановить и вытеснила бы хорошие копии. "
        "Восстановите базу из прежней копии: cxdesk backups, затем cxdesk restore ФАЙЛ."
    )


def _attachment_list(db_path: Path) -> list[dict[str, object]]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute(
            "SELECT a.sha256, a.size, a.name, r.plan_id, r.number FROM attachments a "
            "LEFT JOIN rows r ON r.id = a.row_id WHERE a.removed_at IS NULL ORDER BY a.id"
        ).fetchall()
    except sqlite3.DatabaseError:
        rows = []
    finally:
        con.close()
    return [
        {"sha256": s, "size": n, "name": name, "plan": plan, "item": number}
        for s, n, name, plan, number in rows
    ]


def _log(data_dir: Path, exc: BaseException, context: str) -> None:
    from cxdesk.logs import write_exception

    with contextlib.suppress(Exception):
        write_exception(data_dir, exc, context)


def _failure(exc: BaseException, target: Path) -> str:
    """What to tell when a copy could not be made."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        return "Резервная копия не сделана. " + os_fault(exc, target).message
    if "full" in str(exc):
        return "Резервная копия не сделана. " + disk_full(target.parent).message
    return (
        f"Резервная копия не сделана: ошибка записи в папку {target.parent} ({exc}). "
        "Проверьте место на диске и права на папку; прежние копии не тронуты."
    )


def _verified_copy(data_dir: Path, target: Path, report: Report | None) -> Path | None:
    """Snapshots the database to ``target`` (via ``target.part``) with its file list; never
    raises: a failure is logged, reported, and leaves no ``.part``."""
    db_path = Path(data_dir) / DB_NAME
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    listing = target.with_name(target.name.removesuffix(".sqlite3") + ".files.json")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _snapshot(db_path, part)
        os.replace(part, target)
        listing.write_text(json.dumps(_attachment_list(target), ensure_ascii=False), "utf-8")
        return target
    except (OSError, sqlite3.Error, UserError) as exc:
        part.unlink(missing_ok=True)
        message = _failure(exc, target)
        _log(data_dir, exc, f"backup {target.name}")
        if report is not None:
            report(message)
        return None


def daily_backup(
    data_dir: Path, on: datetime | None = None, report: Report | None = None
) -> Path | None:
    """Makes today's copy if there is none yet, then applies the retention; never raises.

    A failure (a damaged database, a full disk) is logged and passed to ``report``; the older
    copies are then left as they were.
    """
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    moment = on or clock.now()
    folder = backups_dir(data_dir)
    target = folder / f"daily-{moment:%Y-%m-%d}.sqlite3"
    if target.exists():
        return None
    made = _verified_copy(data_dir, target, report)
    if made is not None:
        with contextlib.suppress(OSError):
            prune(folder, moment.date())
    return made


def exit_backup(data_dir: Path, report: Report | None = None) -> Path | None:
    """A verified copy when the window closes (the day's work kept); the last few kept."""
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backups_dir(data_dir)
    made = _verified_copy(data_dir, folder / f"exit-{clock.now():%Y%m%d-%H%M%S}.sqlite3", report)
    if made is not None:
        for old in sorted(folder.glob("exit-*.sqlite3"))[:-KEEP_EXIT]:
            _remove_copy(old)
    return made


def session_backup(
    data_dir: Path, report: Report | None = None, every_s: float = 300
) -> Path | None:
    """After a command that changed the data: an exit copy when the database changed since the
    newest one, at most one each ``every_s`` seconds (a script of many commands is not slowed
    down by a copy after each). Never raises."""
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    try:
        wal = Path(f"{db_path}-wal")
        changed = db_path.stat().st_mtime
        if wal.exists() and wal.stat().st_size > 0:  # an empty journal: opened, not written
            changed = max(changed, wal.stat().st_mtime)
        copies = sorted(backups_dir(data_dir).glob("exit-*.sqlite3"))
        newest = copies[-1].stat().st_mtime if copies else 0.0
    except (OSError, ValueError):
        return None
    if changed <= newest or clock.wall_time() - newest < every_s:
        return None
    return exit_backup(data_dir, report)


def _remove_copy(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name.removesuffix(".sqlite3") + ".files.json").unlink(missing_ok=True)


def kept_days(days: list[date], today: date) -> set[date]:
    """The days whose copies the retention keeps: all of the last :data:`KEEP_DAILY` days, and
    the newest of each week of the last :data:`KEEP_WEEKS` weeks; the newest copy always."""
    keep = {d for d in days if (today - d).days < KEEP_DAILY}
    newest_of_week: dict[tuple[int, int], date] = {}
    for d in days:
        if (today - d) < timedelta(weeks=KEEP_WEEKS):
            week = tuple(d.isocalendar())[:2]
            if week not in newest_of_week or d > newest_of_week[week]:
                newest_of_week[week] = d  # type: ignore[index]
    keep |= set(newest_of_week.values())
    if days:
        keep.add(max(days))
    return keep


def prune(folder: Path, today: date) -> None:
    """Removes the daily copies the retention no longer keeps."""
    copies: dict[date, Path] = {}
    for p in folder.glob("daily-*.sqlite3"):
        with contextlib.suppress(ValueError):
            copies[date.fromisoformat(p.name[6:16])] = p
    keep = kept_days(list(copies), today)
    for day, path in copies.items():
        if day not in keep:
            _remove_copy(path)


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest first."""
    folder = backups_dir(data_dir)
    if not folder.exists():
        return []
    found = [
        *folder.glob("daily-*.sqlite3"),
        *folder.glob("exit-*.sqlite3"),
        *folder.glob("*.zip"),
        *folder.glob("before-*.sqlite3"),
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


@contextlib.contextmanager
def _work_folder(parent: Path, data_dir: Path) -> Iterator[Path]:
    """A hidden folder beside the backup for its parts, noted in the journal before it exists
    (a kill -9 at any moment leaves nothing the next start does not find), removed after."""
    folder = parent / f".cxdesk-backup-{tmp_tag()}"
    with journaled(folder, journal_dir(data_dir)):
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def make_backup(data_dir: Path, out: Path | None = None, skipped: list[str] | None = None) -> Path:
    """Writes a .zip with the database, the attachment files and a manifest, checked before it
    is kept. Attachments whose stored file is altered or missing are left out and named in
    ``skipped`` (and in the manifest)."""
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    if not db_path.exists():
        raise NotFound(f"В папке {data_dir} нет базы cxdesk: копировать нечего.")
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    out = Path(out) if out else backups_dir(data_dir) / f"cxdesk-backup-{stamp}.zip"
    if out.is_dir():
        out = out / f"cxdesk-backup-{stamp}.zip"
    left_out: list[str] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _work_folder(out.parent, data_dir) as tmp:
            snap = Path(tmp) / DB_NAME
            _snapshot(db_path, snap)
            files = _attachment_list(snap)
            blobs = BlobStore(data_dir)
            part = Path(tmp) / "backup.zip"
            verdicts = {sha: blobs.verify(sha) for sha in sorted({str(f["sha256"]) for f in files})}
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
                z.write(snap, DB_NAME)
                for sha, verdict in verdicts.items():
                    if verdict is None:
                        z.write(blobs.path(sha), f"store/{sha[:2]}/{sha}", zipfile.ZIP_STORED)
                for f in files:
                    verdict = verdicts.get(str(f["sha256"]))
                    if verdict:
                        what = "изменён после сохранения" if verdict == "altered" else "отсутствует"
                        left_out.append(
                            f"файл «{shown_name(str(f['name']))}» пункта {f['item']} плана "
                            f"{f['plan']} {what} — в копию не взят (cxdesk check)"
                        )
                manifest = {
                    "format": BACKUP_FORMAT, "version": 2, "created": stamp,
                    "database_sha256": _sha_file(snap),
                    "files": [f for f in files if not verdicts.get(str(f["sha256"]))],
                    "left_out": left_out,
                }  # fmt: skip
                z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
            _check_zip(part)
            with part.open("rb") as done:
                os.fsync(done.fileno())
            os.replace(part, out)
    except (OSError, sqlite3.Error) as exc:
        _log(data_dir, exc, f"backup {out}")
        raise EnvironmentProblem(
            f"Резервная копия {out} не записана. " + _failure(exc, out).split(". ", 1)[-1]
        ) from exc
    if skipped is not None:
        skipped.extend(left_out)
    return out


def shown_name(name: str) -> str:
    """A file name as shown to people (bidirectional and control characters neutralised)."""
    from cxdesk.textsafe import neutral_name

    return neutral_name(name)


def _sha_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_zip(part: Path) -> None:
    """The finished zip read back: every member's CRC, and the database's hash."""
    from cxdesk.io.safezip import BACKUP_RULES, CheckedZip

    with CheckedZip(part, BACKUP_RULES) as z:
        manifest = json.loads(z.read(MANIFEST))
        digest = hashlib.sha256()
        for block in z.iter_chunks(DB_NAME):
            digest.update(block)
        if digest.hexdigest() != manifest["database_sha256"]:
            raise EnvironmentProblem("Резервная копия не прошла проверку после записи: повторите.")
        for name in z.names():
            if name.startswith("store/"):
                got = hashlib.sha256()
                for block in z.iter_chunks(name):
                    got.update(block)
                if got.hexdigest() != name.rsplit("/", 1)[-1]:
                    raise EnvironmentProblem(
                        "Резервная копия не прошла проверку после записи: повторите."
                    )


def restore_backup(data_dir: Path, source: Path) -> Path:
    """Puts a backup back (a .zip of ``backup`` or a .sqlite3 copy); returns the copy of the
    state before, kept in the backups folder."""
    data_dir = Path(data_dir)
    source = check_input(Path(source), "файл резервной копии")
    db_path = data_dir / DB_NAME
    with tempfile.TemporaryDirectory(prefix="cxdesk-restore-") as tmp:
        candidate = Path(tmp) / DB_NAME
        if zipfile.is_zipfile(source):
            _unpack_backup(source, candidate, Path(tmp), BlobStore(data_dir))
        else:
            shutil.copyfile(source, candidate)
            _check_database(candidate)
        keep = backups_dir(data_dir) / f"before-restore-{clock.now():%Y%m%d-%H%M%S}.sqlite3"
        keep.parent.mkdir(parents=True, exist_ok=True)
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                dst = sqlite3.connect(str(keep))
                try:
                    with _source(db_path) as src:
                        src.backup(dst)
                finally:
                    dst.close()
            except sqlite3.DatabaseError:
                shutil.copyfile(db_path, keep)  # a damaged database: keep its bytes as they are
        _replace_database(candidate, db_path)
    return keep


def _check_database(path: Path) -> None:
    problem = database_problem(path)
    if problem:
        raise BadFile(f"Резервная копия не подходит: база в ней {problem}. Выберите другую копию.")


def _unpack_backup(source: Path, candidate: Path, tmp: Path, blobs: BlobStore) -> None:
    from cxdesk.io.safezip import BACKUP_RULES, CheckedZip

    with CheckedZip(source, BACKUP_RULES) as z:
        if not (z.has(MANIFEST) and z.has(DB_NAME)):
            raise BadFile("Это не резервная копия cxdesk: в архиве нет базы и описи.")
        try:
            manifest = json.loads(z.read(MANIFEST, limit=64 * 1024 * 1024))
        except ValueError as exc:
            raise BadFile("Опись резервной копии повреждена.") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
            raise BadFile("Это не резервная копия cxdesk.")
        digest = hashlib.sha256()
        with candidate.open("wb") as dst:
            for block in z.iter_chunks(DB_NAME):
                digest.update(block)
                dst.write(block)
        want = manifest.get("database_sha256")
        if isinstance(want, str) and want != digest.hexdigest():
            raise BadFile("База в резервной копии изменена после записи копии: выберите другую.")
        _check_database(candidate)
        for member in z.names():
            sha = member.rsplit("/", 1)[-1]
            if not member.startswith("store/") or len(sha) != 64 or blobs.has(sha):
                continue
            if not all(c in "0123456789abcdef" for c in sha):
                continue
            part = tmp / sha
            with part.open("wb") as dst:
                for block in z.iter_chunks(member):
                    dst.write(block)
            got, _ = blobs.put(part)
            if got != sha:
                blobs.path(got).unlink(missing_ok=True)


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
