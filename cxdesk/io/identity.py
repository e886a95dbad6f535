"""The hidden identity our own exports carry, so that importing them back is exact.

A docx or xlsx written by cxdesk holds, out of sight, the plan's and every row's identity:

.. code-block:: text

    {"format": 1,
     "plan": {"uid", "template_id", "template_version", "answers", "org", "title",
              "approver_position", "approver_name", "approval_date"},
     "layout": "official", "columns": [{"key", "heading"}],
     "form": {the printed form, see cxdesk.domain.form}, "signature": "", "executor": "",
     "rows": [{"uid", "ref", "kind", "number", "status", "basis", "done_date", "start",
               "deadline", …, "printed": false (only when not printed),
               "attachments": [{"name", "size", "sha256", "added"}]}]}

``rows`` are every row of the plan in order, each with the number it printed with; a row the
form did not print (an excluded item, a block it emptied) has ``"printed": false`` and comes back
from the payload alone. In a docx the payload is a custom XML
part (``customXml/itemN.xml`` with its ``itemProps``), related from the document part, which Word
keeps when it saves the file again. In an xlsx it is a very hidden sheet named «cxdesk» whose
column A holds a marker and then the JSON text in pieces.

The readers never trust the file: anything unexpected gives ``None``.
"""

from __future__ import annotations

import json
import operator
import os
import re
import uuid
import zipfile
from collections.abc import Sequence
from typing import IO, Any

from lxml import etree

from cxdesk.domain.item_fields import ITEM_FIELDS, ROW_KEYS
from cxdesk.io.model import Column, PlanDoc

#: The version of the payload's shape.
FORMAT = 1

#: The namespace of our custom XML part in a docx.
NAMESPACE = "urn:cxdesk:plan:1"

#: The name of the very hidden sheet in an xlsx, and the marker in its cell A1.
SHEET_NAME = "cxdesk"
SHEET_MARKER = "cxdesk:plan:1"

#: The longest piece of JSON text in one spreadsheet cell (Excel allows 32,767 characters).
CHUNK = 30000

#: Limits that keep a hostile file from exhausting memory.
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_ZIP_ENTRIES = 10000

_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
_CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_PLAN_FIELDS = (
    "uid",
    "template_id",
    "template_version",
    "org",
    "title",
    "approver_position",
    "approver_name",
    "approval_date",
    "exchanged_at",
    "exchange_base",
)
#: A row's identity and place, and every field of it: the texts exactly as stored, so that a
#: cell that still reads the same gets them back whole (a document cannot keep everything:
#: «<b>» typed in a result, runs of spaces).
_ROW_FIELDS = (*ROW_KEYS, *ITEM_FIELDS)
_row_values = operator.attrgetter(*_ROW_FIELDS)

Source = str | os.PathLike[str] | zipfile.ZipFile | IO[bytes]


def build_payload(
    plan: PlanDoc, layout: str = "official", columns: Sequence[Column] = (), sheet: Any = None
) -> dict[str, Any]:
    """The identity payload of a plan, for the rows in the order they are printed (those of the
    prepared ``sheet`` when given, with its form)."""
    rows: Sequence[Any] = plan.rows
    numbers: dict[int, str] = {}  # printed rows: the number they printed with
    if sheet is not None:
        numbers = {
            id(source): row.number for source, row in zip(sheet.sources, sheet.rows, strict=True)
        }
    extra: dict[str, Any] = {"signature": plan.signature, "executor": plan.executor}
    if sheet is not None:
        extra["form"] = sheet.form.to_dict()
        extra["below"] = [*sheet.footnotes, *sheet.signature]  # printed under the table
    return {
        **extra,
        "format": FORMAT,
        "plan": {
            **{name: str(getattr(plan, name)) for name in _PLAN_FIELDS},
            "answers": {str(k): bool(v) for k, v in plan.answers.items()},
        },
        "layout": layout,
        "columns": [{"key": c.key, "heading": c.heading} for c in columns],
        "rows": [
            {
                **dict(zip(_ROW_FIELDS, map(str, _row_values(row)), strict=True)),
                # as printed: the reader matches rows by it; a row the form left out is kept
                # here whole, so that importing the file gives the plan back
                "number": numbers.get(id(row), row.number),
                **({} if sheet is None or id(row) in numbers else {"printed": False}),
                "attachments": [
                    {"name": a.name, "size": int(a.size), "sha256": a.sha256, "added": a.added}
                    for a in row.attachments
                ],
            }
            for row in rows
        ],
    }


_NOT_IN_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _dumps(payload: dict[str, Any]) -> str:
    """JSON text, safe in any XML or cell: Cyrillic as is (two bytes a letter in UTF-8, not
    six as an escape), control characters escaped by JSON, and the few characters XML cannot
    hold (lone surrogates, U+FFFE, U+FFFF) escaped too."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if "\ufffe" in text or "\uffff" in text or not _encodes(text):
        text = _NOT_IN_XML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return text


def _encodes(text: str) -> bool:
    """Whether ``text`` has no lone surrogates (UTF-8 takes it): on a long payload several
    times faster than looking for them with a pattern."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- docx -------------------------------------------------------------------------------------


def embed_docx(document: Any, payload: dict[str, Any]) -> None:
    """Stores ``payload`` in a python-docx ``Document`` as a custom XML part with its properties."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    package = main.package
    root = etree.Element(f"{{{NAMESPACE}}}plan", nsmap={"cx": NAMESPACE})
    root.set("format", str(FORMAT))
    root.text = _dumps(payload)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    item_name = package.next_partname("/customXml/item%d.xml")
    item = Part(PackURI(item_name), "application/xml", blob, package)
    props_name = PackURI(item_name.replace("/item", "/itemProps"))
    props_xml = (
        f'<ds:datastoreItem xmlns:ds="{_DS}" ds:itemID="{{{str(uuid.uuid4()).upper()}}}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    )
    props_blob = b"<?xml version='1.0' encoding='UTF-8' standalone='no'?>\n" + props_xml.encode()
    props = Part(props_name, _CT_CUSTOM_XML_PROPS, props_blob, package)
    item.relate_to(props, _RT_CUSTOM_XML_PROPS)
    main.relate_to(item, _RT_CUSTOM_XML)


def read_docx(source: Source) -> dict[str, Any] | None:
    """The payload of a docx written by cxdesk, or ``None`` (a foreign or damaged file)."""
    try:
        with _open_zip(source) as archive:
            names = [
                info
                for info in archive.infolist()
                if info.filename.startswith("customXml/")
                and info.filename.endswith(".xml")
                and "/_rels/" not in info.filename
                and "itemProps" not in info.filename
            ]
            for info in names:
                if info.file_size > MAX_PART_BYTES:
                    continue
                root = _parse(archive.read(info))
                if root is None or root.tag != f"{{{NAMESPACE}}}plan":
                    continue
                return validate(json.loads(root.text or ""))
    except Exception:  # noqa: BLE001 - a hostile file must never break the caller
        return None
    return None


# --- xlsx -------------------------------------------------------------------------------------


def embed_xlsx(workbook: Any, payload: dict[str, Any]) -> None:
    """Adds a very hidden sheet «cxdesk» holding ``payload`` to an openpyxl workbook.

    Works with normal and write-only workbooks; every piece is stored as text, never a formula.
    """
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.sheet_state = "veryHidden"
    text = _dumps(payload)
    pieces = [SHEET_MARKER] + [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    write_only = getattr(workbook, "write_only", False)
    for index, piece in enumerate(pieces, start=1):
        if write_only:
            cell = WriteOnlyCell(sheet, value=piece)
            cell.data_type = "s"
            sheet.append([cell])
        else:
            target = sheet.cell(row=index, column=1, value=piece)
            target.data_type = "s"


def read_xlsx(source: Source) -> dict[str, Any] | None:
    """The payload of an xlsx written by cxdesk, or ``None`` (a foreign or damaged file)."""
    try:
        with _open_zip(source) as archive:
            path = _sheet_path(archive, SHEET_NAME)
            if path is None:
                return None
            texts = _column_a(archive, path)
            if not texts or texts[0] != SHEET_MARKER:
                return None
            return validate(json.loads("".join(texts[1:])))
    except Exception:  # noqa: BLE001 - a hostile file must never break the caller
        return None


def _sheet_path(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip path of the worksheet called ``name``."""
    workbook = _parse(_read(archive, "xl/workbook.xml"))
    rels = _parse(_read(archive, "xl/_rels/workbook.xml.rels"))
    if workbook is None or rels is None:
        return None
    rel_id = None
    for sheet in workbook.iter(f"{{{_SHEET_NS}}}sheet"):
        if sheet.get("name") == name:
            rel_id = sheet.get(f"{{{_REL_NS}}}id")
            break
    if rel_id is None:
        return None
    for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _column_a(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The texts of column A of a worksheet, top to bottom (inline or shared strings)."""
    sheet = _parse(_read(archive, path))
    if sheet is None:
        return []
    shared: list[str] | None = None
    texts: list[str] = []
    for cell in sheet.iter(f"{{{_SHEET_NS}}}c"):
        ref = cell.get("r") or ""
        if not ref.startswith("A") or not ref[1:].isdigit():
            continue
        kind = cell.get("t")
        if kind == "inlineStr":
            texts.append(_string_item(cell.find(f"{{{_SHEET_NS}}}is")))
        elif kind == "s":
            if shared is None:
                shared = _shared_strings(archive)
            value = cell.findtext(f"{{{_SHEET_NS}}}v") or ""
            texts.append(shared[int(value)])
        elif kind == "str":
            texts.append(cell.findtext(f"{{{_SHEET_NS}}}v") or "")
        else:
            raise ValueError("not a text cell")
    return texts


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """All shared strings of a workbook."""
    root = _parse(_read(archive, "xl/sharedStrings.xml"))
    if root is None:
        return []
    return [_string_item(si) for si in root.iter(f"{{{_SHEET_NS}}}si")]


def _string_item(element: Any) -> str:
    """The text of a string item (``is`` or ``si``), plain or rich."""
    if element is None:
        return ""
    direct = element.find(f"{{{_SHEET_NS}}}t")
    if direct is not None:
        return str(direct.text or "")
    return "".join(str(t.text or "") for t in element.iter(f"{{{_SHEET_NS}}}t"))


# --- shared -----------------------------------------------------------------------------------


class _ZipContext:
    """Opens a zip from a path, a stream or an open ``ZipFile`` and closes only what it opened."""

    def __init__(self, source: Source) -> None:
        self._own = not isinstance(source, zipfile.ZipFile)
        self.archive = source if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(source)
        if len(self.archive.infolist()) > MAX_ZIP_ENTRIES:
            self.close()
            raise ValueError("too many zip entries")

    def close(self) -> None:
        if self._own:
            self.archive.close()

    def __enter__(self) -> zipfile.ZipFile:
        return self.archive

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_zip(source: Source) -> _ZipContext:
    return _ZipContext(source)


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member of the zip, refused when it claims to be larger than the limit."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ValueError("zip member too large")
    with archive.open(info) as handle:
        data = handle.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise ValueError("zip member too large")
    return data


def _parse(data: bytes) -> Any:
    """Parses XML without entities, network access or huge trees."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    return etree.fromstring(data, parser)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def validate(data: Any) -> dict[str, Any]:
    """Checks the shape of a payload and returns a clean copy; raises ``ValueError`` if wrong.

    A payload of another (newer) format gives only ``{"format": n}``, so that the reader can say
    the file came from a newer version instead of silently treating it as a foreign file.
    """
    if not isinstance(data, dict):
        raise ValueError("not a cxdesk payload")
    version = data.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        return {"format": version}
    if version != FORMAT:
        raise ValueError("not a cxdesk payload")
    plan = data.get("plan")
    rows = data.get("rows")
    if not isinstance(plan, dict) or not isinstance(rows, list):
        raise ValueError("not a cxdesk payload")
    answers = plan.get("answers", {})
    if not isinstance(answers, dict) or not all(isinstance(v, bool) for v in answers.values()):
        raise ValueError("bad answers")
    clean_plan: dict[str, Any] = {name: _text(plan.get(name, "")) for name in _PLAN_FIELDS}
    clean_plan["answers"] = {str(k): v for k, v in answers.items()}
    columns = data.get("columns", [])
    if not isinstance(columns, list):
        raise ValueError("bad columns")
    clean_rows = []
    for row in rows:
        if not isinstance(row, dict):
            raise ValueError("bad row")
        clean: dict[str, Any] = {name: _text(row.get(name, "")) for name in _ROW_FIELDS}
        attachments = row.get("attachments", [])
        if not isinstance(attachments, list):
            raise ValueError("bad attachments")
        clean["attachments"] = [_attachment(a) for a in attachments]
        if row.get("printed", True) is False:
            clean["printed"] = False
        clean_rows.append(clean)
    return {
        "format": FORMAT,
        "plan": clean_plan,
        "layout": _text(data.get("layout", "official")),
        "form": _form(data.get("form")),
        "below": [_text(line) for line in data.get("below", []) if isinstance(line, str)]
        if isinstance(data.get("below", []), list)
        else [],
        "signature": _text(data.get("signature", "")),
        "executor": _text(data.get("executor", "")),
        "columns": [
            {"key": _text(c.get("key")), "heading": _text(c.get("heading"))}
            for c in columns
            if isinstance(c, dict)
        ],
        "rows": clean_rows,
    }


def _form(data: Any) -> dict[str, Any]:
    """The printed form of the payload, checked; {} when absent or not a valid form."""
    from cxdesk.domain.form import from_dict
    from cxdesk.errors import UserError

    if not data:
        return {}
    try:
        return from_dict(data).to_dict()
    except UserError:
        return {}


def _attachment(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("bad attachment")
    size = data.get("size", 0)
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("bad size")
    return {
        "name": _text(data.get("name", "")),
        "size": size,
        "sha256": _text(data.get("sha256", "")),
        "added": _text(data.get("added", "")),
    }
