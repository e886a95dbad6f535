"""Builds the corpus of hostile and broken files that cxdesk must refuse (or read safely).

Run: ``python -m tests.hostile.make_corpus OUT_DIR``. Each case is a file name and what cxdesk
must do with it: refuse (exit 2, nothing changed) or read safely (nothing leaks, no hang).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx

REFUSE = "refuse"
READ = "read"

_DOCX_TABLE_ROW = (
    "<w:tr><w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>31.12.2024</w:t></w:r></w:p></w:tc></w:tr>"
)


def _valid_docx(rows: int = 3, title: str = "Мероприятие {n}") -> bytes:
    d = docx.Document()
    d.add_paragraph("План мероприятий")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(
        t.rows[0].cells, ("№ п/п", "Мероприятие", "Срок реализации"), strict=True
    ):
        cell.text = text
    body = t._tbl
    from lxml import etree

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for i in range(1, rows + 1):
        xml = _DOCX_TABLE_ROW.format(n=f"{i}.", title=title.format(n=i))
        body.append(etree.fromstring(xml.replace("<w:tr>", f"<w:tr {ns}>", 1)))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _replace_member(data: bytes, name: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, new if info.filename == name else src.read(info.filename))
    return out.getvalue()


def _document_xml(doctype: str, body_text: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{doctype}"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:tbl>"
        "<w:tr><w:tc><w:p><w:r><w:t>№</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Мероприятие</w:t></w:r></w:p></w:tc></w:tr>"
        f"<w:tr><w:tc><w:p><w:r><w:t>1.</w:t></w:r></w:p></w:tc>"
        f"<w:tc><w:p><w:r><w:t>{body_text}</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl></w:body></w:document>"
    ).encode()


def xxe(secret: Path) -> bytes:
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    return _replace_member(_valid_docx(), "word/document.xml", _document_xml(doctype, "&xxe;"))


def billion_laughs() -> bytes:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE w:document [{ents}]>"
    return _replace_member(_valid_docx(), "word/document.xml", _document_xml(doctype, "&lol9;"))


def zip_bomb(size_mb: int = 400) -> bytes:
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(_valid_docx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            block = b"<!-- " + b" " * (1024 * 1024 - 9) + b" -->"
            for _ in range(size_mb):
                f.write(block)
    return out.getvalue()


def ole(stream_name: str = "WordDocument") -> bytes:
    head = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    return head + stream_name.encode("utf-16-le") + b"\x00" * 1024


def png() -> bytes:
    return bytes.fromhex("89504E470D0A1A0A0000000D49484452") + os.urandom(200)


def no_table() -> bytes:
    d = docx.Document()
    d.add_paragraph("Просто письмо без таблицы плана.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def control_chars_xlsx() -> bytes:
    """Cells whose text carries control characters (Excel escapes them as _x0001_)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["№ п/п", "Мероприятие", "Срок реализации", "Ответственный"])
    for i in range(1, 4):
        ws.append([f"{i}.", f"Мероприятие_x0001__x001B_ {i}", "31.12.2024", "Отдел_x0007_"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def corpus(secret: Path) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name → (what cxdesk must do, how to make the bytes)."""
    valid = _valid_docx()
    return {
        "xxe.docx": (READ, lambda: xxe(secret)),
        "billion_laughs.docx": (REFUSE, billion_laughs),
        "zip_bomb.docx": (REFUSE, zip_bomb),
        "random.docx": (REFUSE, lambda: os.urandom(4096)),
        "random.xlsx": (REFUSE, lambda: os.urandom(4096)),
        "empty.docx": (REFUSE, lambda: b""),
        "empty.xlsx": (REFUSE, lambda: b""),
        "truncated.docx": (REFUSE, lambda: valid[: len(valid) // 2]),
        "png_named.xlsx": (REFUSE, png),
        "ole_named.docx": (REFUSE, ole),
        "encrypted.docx": (REFUSE, lambda: ole("EncryptionInfo")),
        "legacy.doc": (REFUSE, ole),
        "legacy.xls": (REFUSE, lambda: ole("Workbook")),
        "no_table.docx": (REFUSE, no_table),
        "control_chars.xlsx": (READ, control_chars_xlsx),
        "ten_thousand_rows.docx": (READ, lambda: _valid_docx(10_000)),
    }


def build(out_dir: Path, secret: Path) -> dict[str, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    expect = {}
    for name, (what, make) in corpus(secret).items():
        (out_dir / name).write_bytes(make())
        expect[name] = what
    return expect


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    secret_file = target / "secret.txt"
    target.mkdir(parents=True, exist_ok=True)
    secret_file.write_text("СЕКРЕТ-НЕ-ДОЛЖЕН-УТЕЧЬ")
    for n, w in build(target, secret_file).items():
        print(f"{w:8} {n}")
