"""Text that arrives from outside (packages, imported files, file names) made safe at one boundary.

:func:`clean_text` is what any stored text may hold: ``\\n`` line ends, tabs (a signature's
position and name are set apart by one), no
control characters (C0 and C1), no lone surrogates (a JSON ``\\ud800`` becomes «�»), no
noncharacters and no bidirectional embedding, override or isolate controls. :func:`clean_plan_doc`
applies it to every text of a :class:`~cxdesk.io.model.PlanDoc`; :func:`clean_incoming` to all an
import brings, package or file alike (called once, where the import service receives it).
:func:`neutral_name` shows a file name safely: a name that is not valid UTF-8 (a cp1251 name
from a Windows archive, kept by Linux as surrogate escapes) is decoded as cp1251, and the
bidirectional controls of a name like ``invoice\u202efdp.exe`` are removed, so that it reads as
it really ends (``invoicefdp.exe``) in the command line, the window and every export.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Any, TypeVar

#: Bidirectional embedding, override and isolate controls, and the marks.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff" + BIDI + "\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI_RE = re.compile("[" + BIDI + "]")
_NAME_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

T = TypeVar("T")


def clean_text(text: str) -> str:
    """``text`` as cxdesk keeps it (see the module); unchanged when already clean."""
    if not _UNSAFE.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("\ufffd", text)
    return _UNSAFE.sub("", text)


def clean_value(value: T) -> T:
    """Every string inside ``value`` (dataclasses, lists, dicts, tuples) cleaned, in place for
    dataclasses and lists; returns the value."""
    return _clean(value)  # type: ignore[no-any-return]


#: The field names of each dataclass met (read once per class, not once per row).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        search = _UNSAFE.search
        for name in names:
            field_value = getattr(value, name)
            if not field_value:
                continue  # "", None, an empty list: nothing to clean (most fields of a row)
            if isinstance(field_value, str):
                if search(field_value):
                    setattr(value, name, clean_text(field_value))
            elif not isinstance(field_value, (int, float)):
                setattr(value, name, _clean(field_value))
        return value
    if isinstance(value, list):
        value[:] = [_clean(v) for v in value]
        return value
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def clean_plan_doc(doc: T) -> T:
    """The one cleaning of a plan arriving from outside: every text of the plan, its rows and
    attachments cleaned (:func:`clean_text`), attachment names neutralised."""
    _clean(doc)
    for row in getattr(doc, "rows", []):
        for att in getattr(row, "attachments", []):
            att.name = neutral_name(att.name)
    return doc


def clean_incoming(incoming: Any) -> None:
    """The one cleaning of what an import brings (a package or a docx/xlsx file, see
    :class:`cxdesk.services.importing.Incoming`): its plan, history and exchange data. The format
    readers stay faithful (what ``pack`` writes, ``read_package`` gives back); the import cleans."""
    clean_plan_doc(incoming.doc)
    incoming.history = clean_value(incoming.history)
    incoming.exchange = clean_value(incoming.exchange)


def decoded_name(name: str) -> str:
    """A file name with surrogate escapes (bytes that are not UTF-8) decoded: as UTF-8 if the
    bytes are, else as cp1251 (Windows archives), else with «�»."""
    if not _SURROGATE.search(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeError:  # a lone surrogate that no bytes made (JSON «\ud800»)
        return _SURROGATE.sub("\ufffd", name)
    for encoding in ("utf-8", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def neutral_name(name: str) -> str:
    """A file name safe to show and store: decoded (:func:`decoded_name`), without control or
    bidirectional characters; never empty."""
    name = decoded_name(name)
    name = _BIDI_RE.sub("", _NAME_CONTROL.sub("", name))
    name = _SURROGATE.sub("\ufffd", name).strip()
    return name or "файл"


def shown_path(path: object) -> str:
    """A path as text for a message: surrogate escapes decoded, controls made harmless."""
    text = decoded_name(os.fspath(path) if isinstance(path, os.PathLike) else str(path))
    return _BIDI_RE.sub("", _NAME_CONTROL.sub("?", text))
