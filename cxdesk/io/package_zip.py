"""The ZIP layer of a ``.cxplan`` package, read as hostile input.

Everything here runs before any byte of an attachment is written. The archive is opened by the
one hardened zip reader (:class:`cxdesk.io.safezip.CheckedZip`: names, links, duplicates, entry
counts, sizes, ratios) with the package's :data:`LIMITS`; then the package's own rules: the
manifest, only ``files/<sha256>`` members, each of the size the manifest gives. Each refusal is a
:class:`~cxdesk.errors.BadFile` with a Russian message that says what is wrong and what to do.

What ``pack`` writes, ``import`` accepts: a real file of zeros deflates about 1030 times, so the
ratio limit is what deflate can reach at all (:data:`~cxdesk.io.safezip.DEFLATE_LIMIT`), a
header claiming more is a lie; a member's size must match the manifest, and extraction is capped
at it and hashed; the total is held to the free disk space.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from cxdesk.errors import BadFile
from cxdesk.io.package_manifest import SHA256_RE, Manifest, bad_package, shown
from cxdesk.io.safezip import DEFLATE_LIMIT, ZIP_READ_ERRORS, CheckedZip, ZipRules, size_words

MB = 1024 * 1024
CHUNK = 1 * MB
MANIFEST = "manifest.json"
_DANGER = "Не открывайте этот файл и сообщите отправителю: такой пакет мог быть собран во вред."


@dataclass
class Limits:
    """How much a package may hold; a package over any of them is refused before extraction."""

    #: The largest manifest (text only: a plan of thousands of rows takes a few MB).
    manifest_bytes: int = 50 * MB
    #: All members together, inflated; also the cap on bytes actually inflated (the free disk
    #: space is checked too, before extraction).
    total_bytes: int = 64 * 1024 * MB
    #: A deflated member bigger than ``ratio_floor_bytes`` that inflates more than this many
    #: times claims what deflate cannot do: a lying header.
    ratio: int = DEFLATE_LIMIT
    ratio_floor_bytes: int = 1 * MB
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
    """A size in words: bytes, KB, MB or GB."""
    return size_words(n)


def package_rules() -> ZipRules:
    """The zip rules of a package, from :data:`LIMITS` (read at each call: tests lower them)."""
    return ZipRules(
        members=LIMITS.members, total_bytes=LIMITS.total_bytes, member_bytes=LIMITS.total_bytes,
        ratio=LIMITS.ratio, ratio_floor_bytes=LIMITS.ratio_floor_bytes,
    )  # fmt: skip


def open_zip(path: Path) -> CheckedZip:
    """Opens the archive through the one hardened zip reader (:class:`CheckedZip`): the file is
    one, not absurdly big, and every member's name, type, size and ratio is within the rules."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > LIMITS.total_bytes + LIMITS.manifest_bytes + 64 * MB:
        raise bad_package(name, f"файл слишком велик ({size_text(size)})")

    def fail(what: str, dangerous: bool) -> BadFile:
        if "обрезан" in what:
            return bad_package(
                name,
                "архив обрезан или повреждён (вероятно, не докачался из почты)",
                "Сохраните вложение из письма ещё раз или попросите отправителя прислать его "
                "снова.",
            )
        return bad_package(name, what, _DANGER if dangerous else "")

    return CheckedZip(path, package_rules(), fail, describe_foreign)


def check_members(cz: CheckedZip, name: str) -> dict[str, zipfile.ZipInfo]:
    """The package's own rules over the checked members: the manifest is there and every other
    member is ``files/<sha256>``; returns the members by name."""
    members = cz.infos()
    if MANIFEST not in members:
        hint = ""
        if "[Content_Types].xml" in members:
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
    """The manifest's declared size (it is read into memory); the other members' sizes and
    ratios were checked by the zip reader and are held to the manifest (:func:`check_declared`),
    then capped and hashed while they are extracted."""
    info = members[MANIFEST]
    if info.file_size > LIMITS.manifest_bytes:
        raise bad_package(
            name,
            f"описание пакета (manifest.json) слишком велико ({size_text(info.file_size)}, "
            f"предел {size_text(LIMITS.manifest_bytes)})",
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
