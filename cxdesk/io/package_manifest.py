"""The manifest of a ``.cxplan`` package: built from a plan, and read back as untrusted input.

A package arrives by email from another body, so its ``manifest.json`` is parsed with :mod:`json`
only and then checked field by field: every string is a string, every list a list, every size a
non-negative integer, every hash 64 lowercase hex digits. A number where text is expected is
kept as its text and a ``null`` as an empty string; anything else of the wrong type refuses the
package with :class:`~cxdesk.errors.BadFile`, naming the field. Unknown keys are ignored, so a
later minor addition does not break older readers. The format is described in
``docs/package-format.md``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from cxdesk.errors import BadFile
from cxdesk.io.model import COLUMN_KEYS, STATUS_TITLES, AttachmentInfo, Column, PlanDoc, Row

FORMAT = "cxplan"
#: The newest manifest version this program reads and the one it writes.
VERSION = 1
HISTORY_KEYS = ("at", "user", "field", "old", "new", "note")
KINDS = ("block", "section", "item")
STATUSES = frozenset(STATUS_TITLES) | {""}
SHA256_RE = re.compile(r"[0-9a-f]{64}")

T = TypeVar("T")


class ManifestProblem(Exception):
    """What is wrong with a manifest, in Russian; :func:`bad_package` turns it into a message."""


def bad_package(file_name: str, detail: str, advice: str = "") -> BadFile:
    """A :class:`BadFile` for package ``file_name``: what is wrong and what to do."""
    advice = advice or "Попросите отправителя собрать пакет заново и прислать его ещё раз."
    return BadFile(f"Пакет «{file_name}» не открыт: {detail}. {advice}")


@dataclass
class FileEntry:
    """One attachment file carried by a package: member path, hash, size and a name to show."""

    path: str
    sha256: str
    size: int
    name: str


@dataclass
class Manifest:
    """A manifest that passed every check: each field has the type the rest of cxdesk expects."""

    version: int
    app: str
    created: str
    plan: PlanDoc
    history: list[dict[str, str | None]]
    exchange: dict[str, Any]
    files: list[FileEntry]


def shown(text: str, limit: int = 60) -> str:
    """Untrusted text made safe to quote in a one-line message: no control characters, short."""
    clean = "".join("?" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    clean = clean.encode("utf-8", "replace").decode("utf-8")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def member_path(sha256: str) -> str:
    """The zip member that carries the file with this hash."""
    return f"files/{sha256}"


def normalize_history(entries: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    """History entries with exactly the package's keys; ``row_uid`` is None for plan-level ones."""
    out: list[dict[str, str | None]] = []
    for i, entry in enumerate(entries):
        out.append(_history_entry(entry, f"history[{i}]"))
    return out


def build_manifest(
    plan: PlanDoc,
    history: list[dict[str, str | None]],
    exchange: dict[str, Any],
    files: list[FileEntry],
    app: str,
    created: str,
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict, in the order the format document lists its keys."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "app": app,
        "created": created,
        "plan": dataclasses.asdict(plan),
        "history": history,
        "exchange": exchange,
        "files": [dataclasses.asdict(f) for f in files],
    }


def encode_manifest(manifest: dict[str, Any]) -> bytes:
    """UTF-8 JSON; text with lone surrogates (which UTF-8 cannot hold) is written as \\u escapes."""
    try:
        text = json.dumps(manifest, ensure_ascii=False, indent=1, allow_nan=False)
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(manifest, ensure_ascii=True, indent=1, allow_nan=False).encode("ascii")


def parse_manifest(data: bytes) -> Manifest:
    """Parses and checks a manifest; raises :class:`ManifestProblem` saying what is wrong."""
    raw = _decode(data)
    if not isinstance(raw, dict):
        raise ManifestProblem(f"описание пакета (manifest.json) — {_kind(raw)}, а не объект JSON")
    fmt = raw.get("format")
    if fmt != FORMAT:
        fmt_text = fmt if isinstance(fmt, str) else json.dumps(fmt)
        raise ManifestProblem(
            f"в описании пакета указан формат «{shown(fmt_text)}», а не «{FORMAT}»: "
            "это не пакет cxdesk"
        )
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ManifestProblem(f"в описании пакета неизвестная версия формата ({_kind(version)})")
    if version > VERSION:
        raise ManifestProblem(
            f"пакет создан более новой версией cxdesk: обновите программу (формат пакета — "
            f"версия {version}, эта программа читает версии до {VERSION})"
        )
    files = _files(_list(raw.get("files"), "files"))
    plan_raw = raw.get("plan")
    if not isinstance(plan_raw, dict):
        raise ManifestProblem(f"в описании пакета поле «plan» — {_kind(plan_raw)}, а не объект")
    plan = _plan(plan_raw)
    _check_attachments(plan, files)
    exchange = raw.get("exchange")
    if exchange is None:
        exchange = {}
    if not isinstance(exchange, dict):
        raise ManifestProblem(f"поле «exchange» — {_kind(exchange)}, а не объект")
    history = [
        _history_entry(e, f"history[{i}]")
        for i, e in enumerate(_list(raw.get("history"), "history"))
    ]
    return Manifest(
        version=version,
        app=_str(raw.get("app"), "app"),
        created=_str(raw.get("created"), "created"),
        plan=plan,
        history=history,
        exchange=exchange,
        files=files,
    )


# --- decoding -----------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"значение {name} недопустимо в JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"ключ «{shown(key, 40)}» повторяется")
        out[key] = value
    return out


def _decode(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestProblem(
            f"описание пакета (manifest.json) не в кодировке UTF-8 (байт {exc.start})"
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ManifestProblem("описание пакета (manifest.json) слишком глубоко вложено") from None
    except json.JSONDecodeError as exc:
        raise ManifestProblem(
            f"описание пакета (manifest.json) не читается как JSON: ошибка в строке {exc.lineno}, "
            f"позиция {exc.colno}"
        ) from None
    except ValueError as exc:
        raise ManifestProblem(f"описание пакета (manifest.json) не читается: {exc}") from None


# --- typed fields -------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "пусто (null)"
    if isinstance(value, bool):
        return "логическое значение"
    if isinstance(value, int | float):
        return "число"
    if isinstance(value, str):
        return "строка"
    if isinstance(value, list):
        return "список"
    return "объект"


def _wrong(where: str, want: str, value: Any) -> ManifestProblem:
    return ManifestProblem(f"поле «{where}» должно быть {want}, а в нём {_kind(value)}")


def _str(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _wrong(where, "строкой", value)


def _int(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= 0:
            return value
        raise ManifestProblem(f"в поле «{where}» отрицательное число")
    raise _wrong(where, "целым неотрицательным числом", value)


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise _wrong(where, "списком", value)


def _obj(value: Any, where: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _wrong(where, "объектом", value)


def _build(cls: type[T], raw: dict[str, Any], where: str, special: dict[str, Any]) -> T:
    """A dataclass from a JSON object: strings coerced, lists and dicts by ``special``.

    Fields are taken from the dataclass itself, so a text field added to the model later is read
    without a change here; a field of a type this function does not know keeps its default.
    """
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        here = f"{where}.{f.name}"
        value = raw.get(f.name)
        if f.name in special:
            kwargs[f.name] = special[f.name](value, here)
        elif f.type in ("str", str):
            kwargs[f.name] = _str(value, here)
        elif f.type in ("int", int):
            kwargs[f.name] = 0 if value is None else _int(value, here)
    return cls(**kwargs)


def _form(value: Any, where: str) -> dict[str, Any]:
    """The plan's printed form (see cxdesk.domain.form), checked; {} for the template's."""
    from cxdesk.domain.form import from_dict
    from cxdesk.errors import UserError

    if not value:
        return {}
    try:
        return from_dict(value).to_dict()
    except UserError as exc:
        raise ManifestProblem(f"поле «{where}»: {exc}") from exc


def _answers(value: Any, where: str) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for key, answer in (_obj(value, where) if value is not None else {}).items():
        if not isinstance(answer, bool):
            raise _wrong(f"{where}.{shown(key, 40)}", "true или false", answer)
        out[key] = answer
    return out


def _columns(value: Any, where: str) -> list[Column]:
    out = []
    for i, item in enumerate(_list(value, where)):
        col = _build(Column, _obj(item, f"{where}[{i}]"), f"{where}[{i}]", {})
        if col.key not in COLUMN_KEYS:
            raise ManifestProblem(
                f"в поле «{where}[{i}].key» неизвестный столбец «{shown(col.key, 40)}»"
            )
        out.append(col)
    return out


def _attachments(value: Any, where: str) -> list[AttachmentInfo]:
    out = []
    for i, item in enumerate(_list(value, where)):
        here = f"{where}[{i}]"
        att = _build(AttachmentInfo, _obj(item, here), here, {})
        if att.sha256 and not SHA256_RE.fullmatch(att.sha256):
            raise ManifestProblem(f"в поле «{here}.sha256» не контрольная сумма SHA-256")
        out.append(att)
    return out


def _row(value: Any, where: str) -> Row:
    row = _build(Row, _obj(value, where), where, {"attachments": _attachments})
    if row.kind not in KINDS:
        raise ManifestProblem(
            f"в поле «{where}.kind» неизвестный вид строки «{shown(row.kind, 40)}» "
            "(ожидается block, section или item)"
        )
    if row.status not in STATUSES:
        raise ManifestProblem(
            f"в поле «{where}.status» неизвестный статус «{shown(row.status, 40)}»"
        )
    return row


def _rows(value: Any, where: str) -> list[Row]:
    rows = [_row(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where))]
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.uid and row.uid in seen:
            raise ManifestProblem(f"строка «{where}[{i}]» повторяет uid другой строки")
        seen.add(row.uid)
    return rows


def _plan(raw: dict[str, Any]) -> PlanDoc:
    special = {"columns": _columns, "rows": _rows, "answers": _answers, "form": _form}
    return _build(PlanDoc, raw, "plan", special)


def _history_entry(value: Any, where: str) -> dict[str, str | None]:
    entry = _obj(value, where)
    row_uid = entry.get("row_uid")
    out: dict[str, str | None] = {
        "row_uid": None if row_uid is None else _str(row_uid, f"{where}.row_uid")
    }
    for key in HISTORY_KEYS:
        out[key] = _str(entry.get(key), f"{where}.{key}")
    return out


def _files(items: list[Any]) -> list[FileEntry]:
    out: list[FileEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        here = f"files[{i}]"
        raw = _obj(item, here)
        sha = _str(raw.get("sha256"), f"{here}.sha256")
        if not SHA256_RE.fullmatch(sha):
            raise ManifestProblem(f"в поле «{here}.sha256» не контрольная сумма SHA-256")
        path = _str(raw.get("path"), f"{here}.path")
        if path != member_path(sha):
            raise ManifestProblem(f"в поле «{here}.path» должно быть «{member_path(sha)}»")
        if sha in seen:
            raise ManifestProblem(f"файл {sha[:12]}… описан в manifest.json дважды")
        seen.add(sha)
        size = _int(raw.get("size"), f"{here}.size")
        out.append(FileEntry(path, sha, size, _str(raw.get("name"), f"{here}.name")))
    return out


def _check_attachments(plan: PlanDoc, files: list[FileEntry]) -> None:
    sizes = {f.sha256: f.size for f in files}
    for row in plan.rows:
        for att in row.attachments:
            if not att.sha256:
                continue
            what = f"вложение «{shown(att.name, 80)}» пункта {shown(row.number, 20)}"
            if att.sha256 not in sizes:
                raise ManifestProblem(f"{what} ссылается на файл, которого нет в списке files")
            if att.size != sizes[att.sha256]:
                raise ManifestProblem(
                    f"{what}: размер {att.size} байт, а у его файла — {sizes[att.sha256]}"
                )
