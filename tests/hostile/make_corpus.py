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


# -- workbooks that are broken inside, or small but declare a huge sheet (issue 18, 6 and 7) ---
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SS_REL = (
    '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_SS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _cell(ref: str, text: str, style: str = "") -> str:
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t>{text}</t></is></c>'


def _sheet(rows: list[str], dimension: str = "A1:C4", extra: str = "", head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}">'
        f'<dimension ref="{dimension}"/>{head}<sheetData>{"".join(rows)}</sheetData>{extra}'
        "</worksheet>"
    ).encode()


def _plan_rows(first_row: int = 1, count: int = 3, style: str = "") -> list[str]:
    rows = [
        f'<row r="{first_row}">' + _cell(f"A{first_row}", "№ п/п")
        + _cell(f"B{first_row}", "Мероприятие") + _cell(f"C{first_row}", "Срок реализации")
        + "</row>"
    ]  # fmt: skip
    for i in range(1, count + 1):
        r = first_row + i
        rows.append(
            f'<row r="{r}">' + _cell(f"A{r}", f"{i}.", style)
            + _cell(f"B{r}", f"Мероприятие {i}") + _cell(f"C{r}", "31.12.2024") + "</row>"
        )  # fmt: skip
    return rows


def _workbook(sheet: bytes, shared: bytes | None = None) -> bytes:
    """A workbook made by openpyxl with its sheet (and shared strings) replaced."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "План"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet
            elif shared is not None and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", _SS_REL.encode() + b"</Relationships>")
            elif shared is not None and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _SS_TYPE.encode() + b"</Types>")
            z.writestr(info.filename, data)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def huge_dimension_xlsx(merges: int = 60) -> bytes:
    """21 KB that declares A1:BH1048576 with full-height merged ranges (5.7 GB before)."""
    ranges = "".join(
        f'<mergeCell ref="{chr(68 + i % 20)}{5 + i}:{chr(68 + i % 20)}1048576"/>'
        for i in range(merges)
    )
    rows = _plan_rows(1, 40) + ['<row r="1048576"><c r="BH1048576"><v>1</v></c></row>']
    return _workbook(_sheet(rows, "A1:BH1048576", f'<mergeCells count="{merges}">{ranges}'
                                                  "</mergeCells>"))  # fmt: skip


def one_huge_merge_xlsx() -> bytes:
    rows = _plan_rows(1, 5)
    extra = '<mergeCells count="1"><mergeCell ref="A1:BH1048576"/></mergeCells>'
    return _workbook(_sheet(rows, "A1:BH1048576", extra))


def bad_shared_string_xlsx() -> bytes:
    """A cell pointing at shared string 99 of a table of one (IndexError in openpyxl)."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}" count="1" '
        'uniqueCount="1"><si><t>№ п/п</t></si></sst>'
    ).encode()
    rows = _plan_rows(1, 3)
    rows.insert(2, '<row r="9"><c r="A9" t="s"><v>99</v></c></row>')
    return _workbook(_sheet(rows), shared)


def bad_style_xlsx() -> bytes:
    """Cells with a style index far beyond the workbook's styles (IndexError)."""
    return _workbook(_sheet(_plan_rows(1, 3, style="999")))


def bad_reference_xlsx() -> bytes:
    """A cell reference that is no reference (ValueError)."""
    rows = _plan_rows(1, 3)
    rows.append('<row r="5"><c r="ZZZZ99999999" t="inlineStr"><is><t>x</t></is></c></row>')
    return _workbook(_sheet(rows))


def zip_version_xlsx() -> bytes:
    """A workbook whose sheet member claims zip version 6.8 (NotImplementedError on reading)."""
    data = bytearray(_workbook(_sheet(_plan_rows(1, 3))))
    name = b"xl/worksheets/sheet1.xml"
    # (signature, where the name's length is, where the name is, where the version is)
    headers = ((b"PK\x03\x04", 26, 30, 4), (b"PK\x01\x02", 28, 46, 6))
    for magic, size_at, name_at, version_at in headers:
        at = data.find(magic)
        while at >= 0:
            size = int.from_bytes(data[at + size_at : at + size_at + 2], "little")
            if data[at + name_at : at + name_at + size] == name:
                data[at + version_at : at + version_at + 2] = (68).to_bytes(2, "little")
            at = data.find(magic, at + 4)
    return bytes(data)


def hidden_rows_xlsx() -> bytes:
    """Draft rows and a column hidden instead of deleted: read without them."""
    rows = _plan_rows(1, 4)
    rows[2] = rows[2].replace('<row r="3">', '<row r="3" hidden="1">')
    cols = '<cols><col min="4" max="4" hidden="1" width="9"/></cols>'
    rows[1] = rows[1].replace("</row>", _cell("D2", "черновик") + "</row>")
    return _workbook(_sheet(rows, "A1:D5", head=cols))


def huge_span_docx(rows: int = 3000) -> bytes:
    """Cells that claim to span a billion grid columns after a billion skipped ones."""
    cell = (
        '<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p><w:r><w:t>{text}</w:t>'
        "</w:r></w:p></w:tc>"
    )
    body = "".join(
        f'<w:tr><w:trPr><w:gridBefore w:val="999999999"/></w:trPr>'
        f"<w:tc><w:p><w:r><w:t>{i}.</w:t></w:r></w:p></w:tc>{cell.format(text=f'Пункт {i}')}</w:tr>"
        for i in range(1, rows + 1)
    )
    xml = _document_xml("", "x").replace(b"</w:tbl>", body.encode() + b"</w:tbl>")
    return _replace_member(_valid_docx(), "word/document.xml", xml)


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _odf(kind: str, body: str, doctype: str = "") -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{'text' if kind == 'odt' else 'spreadsheet'}"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {_ODF_NS}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return out.getvalue()


def _odf_row(values: list[str], attrs: str = "") -> str:
    return f"<table:table-row{attrs}>" + "".join(
        f"<table:table-cell><text:p>{v}</text:p></table:table-cell>" for v in values
    ) + "</table:table-row>"  # fmt: skip


def repeated_ods() -> bytes:
    """A content row repeated a million times and cells repeated 16,384 times (a few KB)."""
    rows = _odf_row(["№ п/п", "Мероприятие", "Срок реализации"]) + _odf_row(
        ["1.", "Мероприятие", "31.12.2025"], ' table:number-rows-repeated="1000000"'
    ) + (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell>'
        "</table:table-row>"
    )  # fmt: skip
    return _odf("ods", f'<office:spreadsheet><table:table table:name="П">{rows}</table:table>'
                       "</office:spreadsheet>")  # fmt: skip


def xxe_odt(secret: Path) -> bytes:
    doctype = f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    rows = _odf_row(["№ п/п", "Мероприятие", "Срок"]) + _odf_row(["1.", "&xxe;", "31.12.2025"])
    return _odf("odt", f"<office:text><table:table>{rows}</table:table></office:text>", doctype)


def hostile_csv() -> bytes:
    """A field far past the csv module's limit, and NUL-free binary noise after the header."""
    return ("№ п/п;Мероприятие;Срок\n1.;" + "А" * 200_000 + ";31.12.2025\n").encode("utf-8")


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
        "huge_dimension.xlsx": (READ, huge_dimension_xlsx),
        "one_huge_merge.xlsx": (READ, one_huge_merge_xlsx),
        "bad_shared_string.xlsx": (REFUSE, bad_shared_string_xlsx),
        "bad_style.xlsx": (REFUSE, bad_style_xlsx),
        "bad_reference.xlsx": (REFUSE, bad_reference_xlsx),
        "zip_version.xlsx": (REFUSE, zip_version_xlsx),
        "hidden_rows.xlsx": (READ, hidden_rows_xlsx),
        "huge_span.docx": (READ, huge_span_docx),
        "repeated.ods": (READ, repeated_ods),
        "xxe.odt": (REFUSE, lambda: xxe_odt(secret)),
        "huge_field.csv": (REFUSE, hostile_csv),
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
