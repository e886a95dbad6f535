"""The ZIP layer of a ``.cxplan`` package, read as hostile input.

Everything here runs before any byte of an attachment is written: opening the archive (and
saying what a file is when it is not one), checking every member's name and type, and checking
the declared sizes and compression ratios against :data:`LIMITS`. Each refusal is a
:class:`~cxdesk.errors.BadFile` with a Russian message that says what is wrong and what to do.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cxdesk.errors import BadFile, EnvironmentProblem, NotFound
from cxdesk.io.package_manifest import SHA256_RE, Manifest, bad_package, shown

MB = 1024 * 1024
CHUNK = 1 * MB
MANIFEST = "manifest.json"
#: Errors that reading a broken or hostile archive may raise from :mod:`zipfile`.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    OSError,
)
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_DANGER = "Не открывайте этот файл и сообщите отправителю: такой пакет мог быть собран во вред."


@dataclass
class Limits:
    """How much a package may hold; a package over any of them is refused before extraction."""

    #: The largest manifest (text only: a plan of thousands of rows takes a few MB).
    manifest_bytes: int = 50 * MB
    #: All members together, inflated; also the cap on bytes actually inflated.
    total_bytes: int = 2048 * MB
    #: A member bigger than ``ratio_floor_bytes`` that inflates more than this many times.
    ratio: int = 1000
    ratio_floor_bytes: int = 10 * MB
    #: Members in all (one per distinct attachment, plus the manifest).
    members: int = 20_000


LIMITS = Limits()


def describe_foreign(head: bytes) -> str:
    """Says in Russian what a file that is not a ZIP archive seems to be."""
    if head.startswith(b"%PDF"):
        return "это не пакет cxdesk (.cxplan), а документ PDF"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "это не пакет cxdesk (.cxplan), а файл старого формата Word или Excel (.doc, .xls)"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "это не пакет cxdesk (.cxplan), а архив RAR или 7-Zip"
    if head.lstrip().startswith((b"{", b"<")):
        return "это не пакет cxdesk (.cxplan), а текстовый файл"
    return "это не пакет cxdesk (.cxplan): файл не является ZIP-архивом"


def size_text(n: int) -> str:
    """A size in words: bytes, KB or MB."""
    if n < 10 * 1024:
        return f"{n} байт"
    if n < 10 * MB:
        return f"{n // 1024} КБ"
    return f"{n // MB} МБ"


def open_zip(path: Path) -> zipfile.ZipFile:
    """Opens the archive, after checking that the file is one and is not absurdly big."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(64)
    except FileNotFoundError:
        raise NotFound(f"Файл не найден: {path}. Проверьте путь и имя файла.") from None
    except IsADirectoryError:
        raise BadFile(f"«{path}» — папка, а не файл пакета. Укажите файл .cxplan.") from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"Не удаётся прочитать файл {path}: {exc.strerror or exc}. Проверьте права доступа "
            "и закройте программы, которые держат файл."
        ) from exc
    if size == 0:
        raise bad_package(
            name, "файл пуст (0 байт), вероятно, он не докачался", "Сохраните вложение ещё раз."
        )
    if size > LIMITS.total_bytes + LIMITS.manifest_bytes + 64 * MB:
        raise bad_package(name, f"файл слишком велик ({size_text(size)})")
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise bad_package(
            name,
            describe_foreign(head),
            "Проверьте, что выбран нужный файл, или попросите отправителя прислать пакет снова.",
        )
    entries = _declared_entries(path, size)
    if entries is not None and entries > LIMITS.members:
        raise bad_package(name, f"в архиве {entries} файлов (предел {LIMITS.members})", _DANGER)
    try:
        return zipfile.ZipFile(path)
    except ZIP_READ_ERRORS:
        raise bad_package(
            name,
            "архив обрезан или повреждён (вероятно, не докачался из почты)",
            "Сохраните вложение из письма ещё раз или попросите отправителя прислать его снова.",
        ) from None


def _declared_entries(path: Path, size: int) -> int | None:
    """The number of members the archive's end record declares, read before :mod:`zipfile`
    builds an object for each of them; None when the record cannot be found (zipfile decides)."""
    tail_size = min(size, 22 + 65535)
    try:
        with path.open("rb") as f:
            f.seek(size - tail_size)
            tail = f.read(tail_size)
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            entries = int(struct.unpack_from("<H", tail, at + 10)[0])
            locator = at - 20
            if entries != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
                return entries
            f.seek(int(struct.unpack_from("<Q", tail, locator + 8)[0]))
            record = f.read(56)
    except (OSError, ValueError, struct.error):
        return None
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        return None
    return int(struct.unpack_from("<Q", record, 32)[0])


def _name_problem(info: zipfile.ZipInfo) -> str | None:
    raw = info.orig_filename
    if "\x00" in raw or any(ord(c) < 32 for c in raw):
        return "содержит управляющие символы"
    if "\\" in raw:
        return "содержит обратную косую черту (\\)"
    if raw.startswith("/"):
        return "это абсолютный путь"
    if _DRIVE_RE.match(raw):
        return "это путь с буквой диска"
    parts = raw.split("/")
    if ".." in parts:
        return "выходит за пределы папки («..»)"
    if raw.endswith("/") or info.is_dir():
        return "это папка"
    if any(p in ("", ".") for p in parts):
        return "в пути есть пустая часть"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "это символическая ссылка"
    if kind not in (0, stat.S_IFREG):
        return "это не обычный файл"
    return None


def check_members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """Every member's name and type; returns the members by name (the manifest among them)."""
    infos = zf.infolist()
    if len(infos) > LIMITS.members:
        raise bad_package(name, f"в архиве {len(infos)} файлов (предел {LIMITS.members})")
    members: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    for info in infos:
        problem = _name_problem(info)
        if problem:
            raise bad_package(
                name,
                f"в архиве есть файл с недопустимым именем «{shown(info.orig_filename)}» "
                f"({problem}), пакет не распакован",
                _DANGER,
            )
        key = info.filename.casefold()
        if key in folded:
            raise bad_package(
                name, f"имя «{shown(info.filename)}» встречается в архиве дважды", _DANGER
            )
        folded.add(key)
        if info.flag_bits & 0x1:
            raise bad_package(
                name, "архив зашифрован паролем", "Попросите прислать пакет без пароля."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise bad_package(
                name,
                f"файл «{shown(info.filename)}» сжат неизвестным способом "
                f"({info.compress_type}); пакеты cxdesk сжимаются только методом deflate",
            )
        members[info.filename] = info
    if MANIFEST not in members:
        hint = ""
        if "[Content_Types].xml" in zf.namelist():
            hint = " (похоже, это документ Word или Excel: загрузите его как .docx или .xlsx)"
        raise bad_package(name, f"в архиве нет описания manifest.json — это не пакет cxdesk{hint}")
    for info in members.values():
        if info.filename != MANIFEST and not (
            info.filename.startswith("files/") and SHA256_RE.fullmatch(info.filename[6:])
        ):
            raise bad_package(
                name,
                f"в архиве есть файл «{shown(info.filename)}», не описанный в manifest.json",
                "Пакет мог быть изменён после сборки; попросите отправителя собрать его заново.",
            )
    return members


def check_sizes(members: dict[str, zipfile.ZipInfo], name: str) -> None:
    """Declared sizes and compression ratios, before anything is inflated."""
    total = 0
    for info in members.values():
        total += info.file_size
        if info.filename == MANIFEST and info.file_size > LIMITS.manifest_bytes:
            raise bad_package(
                name,
                f"описание пакета (manifest.json) слишком велико ({size_text(info.file_size)}, "
                f"предел {size_text(LIMITS.manifest_bytes)})",
            )
        big = info.file_size > LIMITS.ratio_floor_bytes
        if big and info.file_size > LIMITS.ratio * max(info.compress_size, 1):
            raise bad_package(
                name,
                f"файл «{shown(info.filename)}» распаковывается в {size_text(info.file_size)} "
                f"из {size_text(info.compress_size)} — так устроены «zip-бомбы», пакет "
                "не распакован",
                _DANGER,
            )
    if total > LIMITS.total_bytes:
        raise bad_package(
            name,
            f"после распаковки он занял бы {size_text(total)} "
            f"(предел {size_text(LIMITS.total_bytes)})",
            "Попросите отправителя прислать вложения плана отдельно.",
        )


def damaged(name: str, member: str) -> BadFile:
    """The member could not be inflated: a CRC error, a cut archive, a broken stream."""
    return bad_package(
        name,
        f"файл «{shown(member)}» внутри архива повреждён (архив обрезан или не совпадает его "
        "контрольная сумма)",
        "Сохраните вложение из письма ещё раз или попросите отправителя прислать пакет снова.",
    )


def read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    """A small member read whole, with the bytes actually inflated capped at ``limit``."""
    parts: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(CHUNK):
                got += len(chunk)
                if got > limit or got > info.file_size:
                    raise bad_package(
                        name, f"файл «{shown(info.filename)}» внутри архива больше, чем заявлено"
                    )
                parts.append(chunk)
    except ZIP_READ_ERRORS:
        raise damaged(name, info.filename) from None
    return b"".join(parts)


def check_declared(manifest: Manifest, members: dict[str, zipfile.ZipInfo], name: str) -> None:
    """The members are exactly the manifest and the files it lists, with the sizes it gives."""
    declared = {e.path: e for e in manifest.files}
    for member in members:
        if member != MANIFEST and member not in declared:
            raise bad_package(
                name,
                f"в архиве есть файл «{shown(member)}», не описанный в manifest.json",
                "Такой пакет мог быть изменён после сборки; попросите отправителя собрать его "
                "заново.",
            )
    for entry in manifest.files:
        info = members.get(entry.path)
        if info is None:
            raise bad_package(
                name,
                f"в архиве нет файла вложения «{shown(entry.name)}» ({entry.path}), "
                "указанного в manifest.json",
            )
        if info.file_size != entry.size:
            raise bad_package(
                name,
                f"размер вложения «{shown(entry.name)}» в архиве ({info.file_size} байт) "
                f"не совпадает с указанным в manifest.json ({entry.size} байт)",
            )
