"""The one-file package ``.cxplan``: one plan with its answers, history and attachments.

A package is a ZIP archive: ``manifest.json`` first (the plan, its history, the exchange data and
the list of carried files), then one member ``files/<sha256>`` per distinct attachment. The format
is described for other tools in ``docs/package-format.md``.

Writing streams every attachment in chunks into a temporary file beside the target, checks each
hash on the way, flushes the file to disk and only then renames it over the target, so an
existing package is never left half-written.

Reading treats the file as hostile. Before a single byte is extracted, the archive, its member
names and its sizes are checked (:mod:`cxdesk.io.package_zip`) and so is the manifest
(:mod:`cxdesk.io.package_manifest`). Then each file is streamed to a temporary name inside the
target folder with its inflated size capped and its hash computed, and renamed to its hash only
when both match. Any failure removes what was extracted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cxdesk import __version__, clock
from cxdesk.errors import BadFile, EnvironmentProblem, NotFound, UserError, os_fault
from cxdesk.fsutil import atomic_file
from cxdesk.io.model import PlanDoc
from cxdesk.io.package_manifest import (
    SHA256_RE,
    FileEntry,
    Manifest,
    ManifestProblem,
    bad_package,
    build_manifest,
    encode_manifest,
    member_path,
    normalize_history,
    parse_manifest,
    shown,
)
from cxdesk.io.package_zip import (
    CHUNK,
    LIMITS,
    MANIFEST,
    ZIP_READ_ERRORS,
    check_declared,
    check_members,
    check_sizes,
    damaged,
    open_zip,
    read_small,
    size_text,
)
from cxdesk.progress import NO_PROGRESS, Progress

#: Kinds of file that are compressed already: stored as they are, not deflated again.
STORED_SUFFIXES = frozenset(
    (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".zip", ".7z", ".rar", ".gz", ".bz2")
    + (".xz", ".cxplan", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp3", ".mp4")
)


@dataclass
class PackageContents:
    """What a package held: the plan, its history, the exchange data and the extracted files.

    ``files`` maps each sha256 to its extracted file inside the folder given to
    :func:`read_package`; every one was checked against its hash and size.
    """

    plan: PlanDoc
    history: list[dict[str, str | None]]
    exchange: dict[str, Any]
    files: dict[str, Path]
    manifest_version: int
    app: str = ""
    created: str = ""
    names: dict[str, str] = field(default_factory=dict)  # sha256 → a file name to show


def _env_problem(what: str, exc: OSError) -> EnvironmentProblem:
    """The one mapping of an OS error (:func:`cxdesk.errors.os_fault`), after what was done."""
    path = Path(exc.filename) if isinstance(exc.filename, str) else Path(".")
    return EnvironmentProblem(f"{what}. {os_fault(exc, path).message}")


# --- writing ------------------------------------------------------------------------------------


def write_package(
    plan: PlanDoc,
    history: list[dict[str, Any]],
    files: dict[str, Path],
    out: Path,
    exchange: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Writes ``plan`` with its history and attachment files (sha256 → stored file) to ``out``."""
    progress = progress or NO_PROGRESS
    out = Path(out)
    entries = _file_entries(plan, files)
    created = clock.now_aware().replace(microsecond=0).isoformat()
    manifest = build_manifest(
        plan,
        normalize_history(history),
        dict(exchange or {}),
        entries,
        f"cxdesk {__version__}",
        created,
    )
    data = encode_manifest(manifest)
    if len(data) > LIMITS.manifest_bytes:
        raise UserError(
            f"План слишком велик для пакета: его описание занимает {size_text(len(data))} "
            f"(предел {size_text(LIMITS.manifest_bytes)}). Сократите тексты или историю плана."
        )
    if not out.parent.is_dir():
        raise NotFound(f"Папки {out.parent} нет. Укажите существующую папку для пакета.")
    progress.set_status(f"Сборка пакета «{out.name}»")
    try:
        with atomic_file(out) as f:
            _write_zip(f, data, entries, files, progress)
    except OSError as exc:
        raise _env_problem(f"Не удаётся записать пакет {out}", exc) from exc
    progress.set_value(1.0)
    return out


def _file_entries(plan: PlanDoc, files: dict[str, Path]) -> list[FileEntry]:
    names: dict[str, str] = {}
    for row in plan.rows:
        for att in row.attachments:
            if not att.sha256:
                continue
            if att.sha256 not in files:
                raise NotFound(
                    f"Файл вложения «{att.name}» пункта {row.number} не передан для пакета. "
                    "Запустите проверку данных (cxdesk check) и соберите пакет снова."
                )
            names.setdefault(att.sha256, att.name)
    entries = []
    for sha, path in files.items():
        if not SHA256_RE.fullmatch(sha):
            raise UserError(f"«{shown(sha)}» — не контрольная сумма SHA-256 файла {path}.")
        try:
            size = Path(path).stat().st_size
        except OSError as exc:
            raise NotFound(
                f"Файл вложения {path} не найден в хранилище. Запустите проверку данных "
                "(cxdesk check) и соберите пакет снова."
            ) from exc
        entries.append(FileEntry(member_path(sha), sha, size, names.get(sha, Path(path).name)))
    return entries


def _info(name: str, compress: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=clock.now().timetuple()[:6])
    info.compress_type = compress
    info.file_size = size
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _write_zip(
    f: IO[bytes],
    manifest: bytes,
    entries: list[FileEntry],
    files: dict[str, Path],
    progress: Progress,
) -> None:
    total = sum(e.size for e in entries) or 1
    done = 0
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr(_info(MANIFEST, zipfile.ZIP_DEFLATED, len(manifest)), manifest)
        for e in entries:
            progress.set_status(f"Упаковка «{e.name}»")
            stored = Path(e.name).suffix.lower() in STORED_SUFFIXES or e.size == 0
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            digest = hashlib.sha256()
            size = 0
            with (
                Path(files[e.sha256]).open("rb") as src,
                zf.open(_info(e.path, method, e.size), "w") as dst,
            ):
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                    progress.set_value((done + size) / total)
                    progress.check()
            if size != e.size or digest.hexdigest() != e.sha256:
                raise BadFile(
                    f"Файл вложения «{e.name}» в хранилище изменён или повреждён: его содержимое "
                    "не совпадает с записанной контрольной суммой. Запустите проверку данных "
                    "(cxdesk check), прикрепите файл заново и соберите пакет снова."
                )
            done += size


# --- reading ------------------------------------------------------------------------------------


def read_package(path: Path, extract_to: Path, progress: Progress | None = None) -> PackageContents:
    """Reads and checks a package; extracts its files into ``extract_to`` (nothing elsewhere)."""
    progress = progress or NO_PROGRESS
    path = Path(path)
    progress.set_status(f"Проверка пакета «{path.name}»")
    with open_zip(path) as cz:
        zf = cz.zip
        members = check_members(cz, path.name)
        check_sizes(members, path.name)
        manifest = _read_manifest(zf, members, path.name)
        check_declared(manifest, members, path.name)
        files = _extract(zf, manifest, members, Path(extract_to), path.name, progress)
    progress.set_value(1.0)
    return PackageContents(
        plan=manifest.plan,
        history=manifest.history,
        exchange=manifest.exchange,
        files=files,
        manifest_version=manifest.version,
        app=manifest.app,
        created=manifest.created,
        names={e.sha256: e.name for e in manifest.files},
    )


def _read_manifest(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str) -> Manifest:
    data = read_small(zf, members[MANIFEST], LIMITS.manifest_bytes, name)
    try:
        return parse_manifest(data)
    except ManifestProblem as exc:
        newer = "новой версией" in str(exc)
        advice = "После обновления откройте пакет снова." if newer else ""
        raise bad_package(name, str(exc), advice) from None


@dataclass
class _Extraction:
    """What one extraction made so far, to undo on failure."""

    temps: list[Path] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    inflated: int = 0

    def undo(self) -> None:
        """Removes the temporary and extracted files, then the folders made for them."""
        for p in self.temps + self.created:
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)
        for d in reversed(self.dirs):
            with contextlib.suppress(OSError):
                d.rmdir()


def _make_folder(folder: Path, state: _Extraction) -> None:
    missing = []
    p = folder
    while not p.exists() and p.parent != p:
        missing.append(p)
        p = p.parent
    try:
        for d in reversed(missing):
            d.mkdir()
            state.dirs.append(d)
    except OSError as exc:
        raise _env_problem(f"Не удаётся создать папку {folder}", exc) from exc
    if not folder.is_dir():
        raise EnvironmentProblem(f"{folder} — не папка. Укажите папку для распаковки вложений.")


def _extract(
    zf: zipfile.ZipFile,
    manifest: Manifest,
    members: dict[str, zipfile.ZipInfo],
    folder: Path,
    name: str,
    progress: Progress,
) -> dict[str, Path]:
    state = _Extraction()
    out: dict[str, Path] = {}
    try:
        _make_folder(folder, state)
        total = sum(e.size for e in manifest.files)
        free = shutil.disk_usage(folder).free
        if total > free:
            raise EnvironmentProblem(
                f"Для вложений пакета нужно {size_text(total)}, а на диске свободно "
                f"{size_text(free)}. Освободите место и загрузите пакет снова."
            )
        for entry in manifest.files:
            progress.set_status(f"Распаковка «{shown(entry.name)}»")
            out[entry.sha256] = _extract_one(
                zf, members[entry.path], entry, folder, name, state, progress, max(total, 1)
            )
    except BaseException:
        state.undo()
        raise
    return out


def _extract_one(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    entry: FileEntry,
    folder: Path,
    name: str,
    state: _Extraction,
    progress: Progress,
    total: int,
) -> Path:
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".cxplan-", suffix=".part")
    except OSError as exc:
        raise _env_problem(f"Не удаётся записать в папку {folder}", exc) from exc
    tmp = Path(tmp_name)
    state.temps.append(tmp)
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as dst:
        try:
            src = zf.open(info)
        except ZIP_READ_ERRORS:
            raise damaged(name, info.filename) from None
        with src:
            while True:
                try:
                    chunk = src.read(CHUNK)
                except ZIP_READ_ERRORS:
                    raise damaged(name, info.filename) from None
                if not chunk:
                    break
                size += len(chunk)
                state.inflated += len(chunk)
                if size > entry.size or state.inflated > LIMITS.total_bytes:
                    raise bad_package(
                        name,
                        f"вложение «{shown(entry.name)}» распаковывается в больший объём, "
                        "чем заявлено в архиве, — пакет не распакован",
                        "Не открывайте этот файл и сообщите отправителю.",
                    )
                digest.update(chunk)
                try:
                    dst.write(chunk)
                except OSError as exc:
                    raise _env_problem(f"Не удаётся записать в папку {folder}", exc) from exc
                progress.set_value(state.inflated / total)
                progress.check()
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise bad_package(
            name,
            f"вложение «{shown(entry.name)}» повреждено: его контрольная сумма или размер "
            "не совпадают с указанными в manifest.json",
        )
    target = folder / entry.sha256
    existed = target.exists() or target.is_symlink()
    try:
        os.replace(tmp, target)
    except OSError as exc:
        raise _env_problem(f"Не удаётся записать в папку {folder}", exc) from exc
    state.temps.remove(tmp)
    if not existed:
        state.created.append(target)
    return target
