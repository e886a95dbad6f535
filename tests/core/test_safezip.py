"""Hostile and broken files given to the readers: each is refused with a clear BadFile, fast.

The files are built here, in tmp_path: XML bombs and external entities, zip bombs (declared and
real), members with dangerous paths, random bytes, empty and truncated files, other formats under
an Office name.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from cxdesk.errors import BadFile, NotFound
from cxdesk.io.docx_reader import read_docx
from cxdesk.io.file_kinds import OLE_MAGIC
from cxdesk.io.safezip import SafeZip, safe_parser
from cxdesk.io.xlsx_reader import read_xlsx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
TABLE = (
    f'<w:tbl xmlns:w="{W_NS}"><w:tr><w:tc><w:p><w:r><w:t>№</w:t></w:r></w:p></w:tc>'
    "<w:tc><w:p><w:r><w:t>Мероприятие</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>Срок</w:t></w:r></w:p></w:tc></w:tr>"
    "<w:tr><w:tc><w:p><w:r><w:t>1.</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>31.12.2024</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
)


def write_docx(path: Path, document: str | bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal .docx with the given word/document.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def body(inner: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{inner}</w:body></w:document>'
    )


def patch_sizes(path: Path, member: str, size: int) -> None:
    """Rewrites the declared uncompressed size of ``member`` (local and central headers)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def refused(reader: object, path: Path, *words: str) -> str:
    """Reads ``path`` expecting BadFile; checks the message names each of ``words``."""
    started = time.perf_counter()
    with pytest.raises(BadFile) as caught:
        reader(path)  # type: ignore[operator]
    assert time.perf_counter() - started < 5, "a hostile file must be refused fast"
    message = caught.value.message
    assert path.name in message
    for word in words:
        assert word in message, message
    return message


# -- XML bombs and external entities -----------------------------------------------------------
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def test_billion_laughs_docx_is_refused(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "laughs.docx", body(TABLE.format(text="&lol9;"), LAUGHS))
    refused(read_docx, path, "DTD")


def test_external_entity_docx_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("СЕКРЕТНОЕ-СОДЕРЖИМОЕ-42", encoding="utf-8")
    prolog = f'<!DOCTYPE d [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    path = write_docx(tmp_path / "xxe.docx", body(TABLE.format(text="&xxe;"), prolog))
    message = refused(read_docx, path, "DTD")
    assert "СЕКРЕТНОЕ" not in message


def test_safe_parser_leaves_entities_unexpanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("СЕКРЕТНОЕ-СОДЕРЖИМОЕ-42", encoding="utf-8")
    xml = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>'.encode()
    parser = safe_parser()
    parser.feed(xml)
    root = parser.close()
    assert "СЕКРЕТНОЕ" not in "".join(root.itertext())
    parser = safe_parser()
    try:  # libxml2 may refuse the amplification outright, or keep the reference unexpanded
        parser.feed(f'<?xml version="1.0"?>{LAUGHS}<r>&lol9;</r>'.encode())
        assert len("".join(parser.close().itertext())) < 100
    except etree.XMLSyntaxError:
        pass


def test_external_entity_xlsx_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("СЕКРЕТНОЕ-СОДЕРЖИМОЕ-42", encoding="utf-8")
    source = FIXTURES / "region_reordered.xlsx"
    target = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                head, rest = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
                prolog = f'<!DOCTYPE w [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                data = ((head + "?>" if head else "") + prolog + rest).encode("utf-8")
            zout.writestr(info, data)
    message = refused(read_xlsx, target, "DTD")
    assert "СЕКРЕТНОЕ" not in message


# -- zip bombs -----------------------------------------------------------------------------------
def test_member_declaring_a_huge_size_is_refused(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "declared.docx", body(TABLE.format(text="Мероприятие")))
    patch_sizes(path, "word/document.xml", 300 * 1024 * 1024)
    refused(read_docx, path, "zip-бомб")


def test_highly_compressed_member_is_refused(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "bomb.docx",
        body(TABLE.format(text="x")),
        extra={"word/media/zeros.bin": bytes(40 * 1024 * 1024)},
    )
    refused(read_docx, path, "zip-бомб")


def test_member_inflating_beyond_its_declared_size_is_cut(tmp_path: Path) -> None:
    padding = "<w:p/>" * 2_000_000  # 12 MB of XML that deflates to a few kilobytes
    path = write_docx(tmp_path / "liar.docx", body(padding + TABLE.format(text="x")))
    patch_sizes(path, "word/document.xml", 4096)
    refused(read_docx, path, "повреждена")


def test_total_size_is_limited(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "many.docx",
        body(TABLE.format(text="x")),
        extra={f"word/media/part{i}.bin": os.urandom(600 * 1024) for i in range(3)},
    )
    for i in range(3):
        patch_sizes(path, f"word/media/part{i}.bin", 100 * 1024 * 1024)
    refused(read_docx, path, "200 МБ")


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/evil.xml", "C:/evil.xml", "word/../../x"])
def test_dangerous_member_paths_are_refused(tmp_path: Path, name: str) -> None:
    path = write_docx(tmp_path / "paths.docx", body(TABLE.format(text="x")), extra={name: b"x"})
    refused(read_docx, path, "недопустимым именем")


# -- not an Office file at all -------------------------------------------------------------------
def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.docx"
    path.write_bytes(os.urandom(4096))
    refused(read_docx, path, "не документ Word")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(read_xlsx, path, "пуст")


def test_truncated_docx(tmp_path: Path) -> None:
    data = (FIXTURES / "tula_plan.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    refused(read_docx, path, "не полностью")


def test_png_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "picture.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    refused(read_xlsx, path, "PNG")


def test_pdf_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "scan.docx"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(200))
    refused(read_docx, path, "PDF")


def test_legacy_doc_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(OLE_MAGIC + bytes(1000) + "WordDocument".encode("utf-16-le") + bytes(500))
    refused(read_docx, path, ".doc", "docx")


def test_legacy_xls_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(1000) + "Workbook".encode("utf-16-le") + bytes(500))
    refused(read_xlsx, path, ".xls", "xlsx")


def test_password_protected_office_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(
        OLE_MAGIC
        + bytes(1000)
        + "EncryptionInfo".encode("utf-16-le")
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(500)
    )
    refused(read_docx, path, "пароль")


def test_password_protected_file_with_its_directory_far_in(tmp_path: Path) -> None:
    header = bytearray(OLE_MAGIC + bytes(504))
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 400)  # the directory starts at sector 400 (~200 KB in)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        bytes(header) + bytes(512 * 400) + "EncryptionInfo".encode("utf-16-le") + bytes(2048)
    )
    refused(read_xlsx, path, "пароль")


def test_workbook_given_as_document(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes((FIXTURES / "tula_plan.xlsx").read_bytes())
    refused(read_docx, path, "книга Excel", ".xlsx")


def test_plain_zip_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("plan.txt", "текст")
    refused(read_xlsx, path, "zip-архив")


def test_word_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "~$plan.docx"
    path.write_bytes(b"\x0bUser" + bytes(150))
    refused(read_docx, path, "~$")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_docx(tmp_path / "absent.docx")


def test_malformed_xml(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "broken.docx", "<w:document><w:body><unclosed>")
    refused(read_docx, path, "XML")


def test_streaming_read_respects_the_declared_size(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "ok.docx", body(TABLE.format(text="x")))
    with SafeZip(path, "docx") as zf:
        data = zf.read("word/document.xml")
        assert data.startswith(b"<?xml")
        with pytest.raises(BadFile):
            zf.read("word/document.xml", limit=10)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2048), zip_like=st.booleans())
def test_arbitrary_bytes_give_bad_file_only(tmp_path: Path, data: bytes, zip_like: bool) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes((b"PK\x03\x04" if zip_like else b"") + data)
    with contextlib.suppress(BadFile):  # anything else (a crash) fails the test
        read_docx(path)


def test_broken_zip_in_memory_is_bad_file(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
    path = tmp_path / "half.docx"
    path.write_bytes(buffer.getvalue()[:-10])
    with pytest.raises(BadFile):
        read_docx(path)
