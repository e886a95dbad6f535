"""What a file really is when it is not the Office document its name says.

Files arrive by email under whatever name the sender gave them: an old .doc saved as .docx, a
password-protected workbook, a scanned PDF, a picture. :func:`describe_foreign` looks at the first
bytes and says in Russian what the file is and what to do with it.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

#: The signature of OLE compound files: legacy .doc/.xls and password-protected Office files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_directory(fh: BinaryIO, head: bytes) -> bytes:
    """The first sectors of an OLE file's directory, where its stream names are written.

    The directory can lie anywhere in the file; its first sector is named in the header.
    Returns b"" for a file that is not OLE or whose header is damaged.
    """
    if not head.startswith(OLE_MAGIC) or len(head) < 0x34:
        return b""
    shift = struct.unpack_from("<H", head, 0x1E)[0]
    first = struct.unpack_from("<I", head, 0x30)[0]
    if not 7 <= shift <= 16 or first >= 0xFFFFFFFA:
        return b""
    try:
        fh.seek((first + 1) << shift)
        return fh.read(16 * 1024)
    except (OSError, OverflowError, ValueError):
        return b""


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def describe_foreign(head: bytes, whole: bytes, expected: str) -> str | None:
    """Says in Russian what a non-zip file is and what to do, or None when it is unrecognisable.

    ``head`` is the first bytes of the file, ``whole`` as much of it as was read (for OLE files the
    stream names live in the directory sectors, usually within the first few kilobytes).
    """
    want = "Word (.docx)" if expected == "docx" else "Excel (.xlsx)"
    if head.startswith(OLE_MAGIC):
        if _utf16("EncryptionInfo") in whole or _utf16("EncryptedPackage") in whole:
            return (
                "файл защищён паролем (зашифрован). Откройте его в Word или Excel, снимите пароль "
                "(Файл → Сведения → Защита → Зашифровать с использованием пароля → очистите поле), "
                "сохраните и импортируйте снова"
            )
        if _utf16("WordDocument") in whole:
            return (
                "это документ Word старого формата (.doc). Откройте его в Word и сохраните как "
                "«Документ Word (*.docx)», затем импортируйте файл .docx"
            )
        if _utf16("Workbook") in whole or _utf16("Book") in whole:
            return (
                "это книга Excel старого формата (.xls). Откройте её в Excel и сохраните как "
                "«Книга Excel (*.xlsx)», затем импортируйте файл .xlsx"
            )
        return (
            "это файл Office старого формата (.doc или .xls). Откройте его в Word или Excel и "
            "сохраните его как .docx/.xlsx"
        )
    pictures = {
        b"\x89PNG": "изображение PNG",
        b"\xff\xd8\xff": "изображение JPEG",
        b"GIF8": "изображение GIF",
        b"BM": "изображение BMP",
    }
    for magic, what in pictures.items():
        if head.startswith(magic):
            return f"это {what}, а не {want}. Попросите прислать сам документ"
    if head.startswith(b"%PDF"):
        return (
            "это документ PDF: из него таблицу плана не прочитать. Попросите прислать исходный "
            "файл Word (.docx) или Excel (.xlsx)"
        )
    if head.startswith(b"{\\rtf"):
        return "это документ RTF. Откройте его в Word и сохраните как .docx"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "это архив RAR или 7z. Распакуйте его и импортируйте документ, который в нём лежит"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table", b"mime-version")):
        return (
            "это веб-страница или XML, сохранённые под именем документа Office. Откройте файл "
            "в Word или Excel и сохраните его как .docx/.xlsx"
        )
    return None
