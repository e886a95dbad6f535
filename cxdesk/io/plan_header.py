"""What stands above the plan's table, and the hidden identity of cxdesk's own exports.

:func:`parse_preamble` reads the approval block («УТВЕРЖДАЮ», the position, the name, the date
line) and the title from the lines above the table. :func:`apply_identity` lays the hidden
payload of a file that cxdesk itself exported over what was read, so that our own files come
back exactly (identities, template references, statuses, attachments).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cxdesk.domain.item_fields import ITEM_FIELDS, PRINTED_FIELDS, PRINTED_TEXTS
from cxdesk.io.model import AttachmentInfo, ReadResult, Row

log = logging.getLogger(__name__)

#: Fields of an item that no printed table has a column of (the basis, the done date).
UNPRINTED_FIELDS = tuple(name for name in ITEM_FIELDS if name not in PRINTED_FIELDS)

_APPROVE_RE = re.compile(r"^\s*(утверждаю|утвержден[аоы]?|утверждён[аоы]?)\b\s*:?\s*", re.I)
_INITIALS = r"(?:[А-ЯЁ]\.\s?){1,2}"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAME_RE = re.compile(rf"(?:^|[\s_])({_INITIALS}\s?{_SURNAME}|{_SURNAME}\s+{_INITIALS})\s*$")
_NAME_ONLY_RE = re.compile(
    rf"^[_\s.]*(?:подпись\s*)?({_INITIALS}\s?{_SURNAME}|{_SURNAME}\s+"
    rf"{_INITIALS})\s*$"
)
_MONTHS_RE = re.compile(
    r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|"
    r"октябр[яь]|ноябр[яь]|декабр[яь]|\bг(ода|\.)?(?=\s|$)",
    re.I,
)
_REPORT_RE = re.compile(r"^отч[её]т о выполнении(?: по состоянию на (.+))?$", re.I)
_FORM_BLANK_RE = re.compile(r"^[_\s]+$")
_MP_RE = re.compile(r"^\(?м\.?\s?п\.?\)?$", re.I)
_TITLE_START_RE = re.compile(
    r"^(план|программа|дорожная карта|«дорожная карта»|перечень мероприятий|мероприятия по)",
    re.I,
)
_NOISE_RE = re.compile(
    r"^(приложение( №)?\s*\d*|к (приказу|распоряжению|постановлению|решению)\b.*|от .*№.*)$", re.I
)
_ORG_NOUNS = {
    "министерстве": "министерство",
    "комитете": "комитет",
    "департаменте": "департамент",
    "управлении": "управление",
    "агентстве": "агентство",
    "инспекции": "инспекция",
    "службе": "служба",
    "аппарате": "аппарат",
    "администрации": "администрация",
    "правительстве": "правительство",
    "центре": "центр",
}
#: The period a title ends with («на 2024–2025 годы», «в 2024 году»), not part of the body's name.
_PERIOD_RE = re.compile(
    r"\s+(?:на|в|до)\s+(?:период\s+)?(?:\d{4}\s*(?:[-–—]\s*\d{4}\s*)?(?:годы|год|года|году|гг?\.?)?"
    r"|\d{4}\s*[-–—]\s*\d{4}\s*(?:годы|гг?\.?)?)\s*$",
    re.I,
)
_ORG_RE = re.compile(r"\bво?\s+(" + "|".join(_ORG_NOUNS) + r")\s+(.+)$", re.I)


@dataclass
class Preamble:
    """The approval block and the title, as read from the lines above the table."""

    title: str = ""
    org: str = ""
    approver_position: str = ""
    approver_name: str = ""
    approval_date: str = ""
    as_of: str = ""
    has_approval: bool = False
    warnings: list[str] = field(default_factory=list)


def _is_date_line(line: str) -> bool:
    """Whether a line is the date of approval, filled or not («___» ______ 20__ г., 15.03.2024)."""
    rest = _MONTHS_RE.sub("", line)
    return not re.search(r"[A-Za-zА-ЯЁа-яё]", rest) and bool(re.search(r"[\d_]", line))


def _blank_date(text: str) -> bool:
    """Whether a date line is an unfilled form («___» ______ 20__ г.)."""
    return not re.search(r"\d", re.sub(r"20_+", "", text))


def parse_preamble(lines: list[str]) -> Preamble:
    """Reads the approval block and the title from the lines above the table."""
    out = Preamble()
    lines = [line.strip() for line in lines if line.strip()]
    start = next((i for i, line in enumerate(lines) if _APPROVE_RE.match(line)), None)
    rest = lines
    if start is not None:
        out.has_approval = True
        rest = _read_approval(lines[start:], out)
        rest = lines[:start] + rest
    rest = [line for line in rest if not _NOISE_RE.match(line)]
    begin = next((i for i, line in enumerate(rest) if _TITLE_START_RE.match(line)), None)
    if begin is not None:
        rest = rest[begin:]
    report = _REPORT_RE.match(rest[-1]) if rest else None
    if report is not None:
        out.as_of = (report.group(1) or "").strip()
        rest = rest[:-1]
    out.title = " ".join(rest).strip()
    out.org = org_from_title(out.title)
    return out


def _read_approval(lines: list[str], out: Preamble) -> list[str]:
    """Fills the approval fields from the block that starts at ``lines[0]``; returns the rest."""
    position: list[str] = []
    first = _APPROVE_RE.sub("", lines[0], count=1).strip()
    if first:
        position.append(first)
    index = 1
    while index < len(lines) and len(position) < 6:
        line = lines[index]
        if _TITLE_START_RE.match(line):
            break
        if _FORM_BLANK_RE.match(line):  # a blank to be filled in by hand
            index += 1
            continue
        only = _NAME_ONLY_RE.match(line)
        if only:
            out.approver_name = only.group(1).strip()
            index += 1
            break
        if _is_date_line(line):
            break
        ending = _NAME_RE.search(line)
        if ending and not _TITLE_START_RE.match(line):
            out.approver_name = ending.group(1).strip()
            head = line[: ending.start(1)].strip(" _")
            if head:
                position.append(head)
            index += 1
            break
        position.append(line)
        index += 1
    while index < len(lines) and _MP_RE.match(lines[index]):
        index += 1
    while index < len(lines) and _FORM_BLANK_RE.match(lines[index]):
        index += 1
    if index < len(lines) and not _TITLE_START_RE.match(lines[index]):
        line = lines[index]
        if _is_date_line(line):
            out.approval_date = "" if _blank_date(line) else line.strip(" _")
            index += 1
    if not out.approval_date:
        dated = re.search(r"\bот\s+(\d{1,2}\.\d{1,2}\.\d{4})", " ".join(position))
        if dated:
            out.approval_date = dated.group(1)
    out.approver_position = " ".join(position).strip(" ,")
    if not out.approver_name and position and lines[0].lower().startswith("утверждаю"):
        out.warnings.append(
            "В грифе «УТВЕРЖДАЮ» не найдена фамилия с инициалами: поле «ФИО утверждающего» "
            "оставлено пустым."
        )
    return lines[index:]


def org_from_title(title: str) -> str:
    """The body named in a title («… в министерстве экономического развития Тульской области»
    → «министерство экономического развития Тульской области»); empty for a region or a
    generic body."""
    match = _ORG_RE.search(title)
    if match is None:
        return ""
    noun = _ORG_NOUNS[match.group(1).lower()]
    name = _PERIOD_RE.sub("", match.group(2))
    return f"{noun} {name}".strip(" .,;")


# -- cxdesk's own exports ------------------------------------------------------------------------
def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def apply_identity(result: ReadResult, payload: Mapping[str, Any]) -> None:
    """Lays the hidden identity of a cxdesk export over the rows read from its table.

    Rows are matched in order by their number; a row that the payload does not know (added by
    hand after the export) stays a foreign row and is named in a warning.
    """
    if payload.get("format") != 1:
        result.warnings.append(
            "Файл выгружен более новой версией cxdesk: скрытые сведения о плане не учтены, "
            "таблица прочитана как обычный документ."
        )
        return
    plan, meta = result.plan, payload.get("plan") or {}
    plan.uid = str(meta.get("uid") or "")
    plan.template_id = str(meta.get("template_id") or "")
    plan.template_version = str(meta.get("template_version") or "")
    plan.exchanged_at = str(meta.get("exchanged_at") or "")
    plan.exchange_base = str(meta.get("exchange_base") or "")
    answers = meta.get("answers") or {}
    plan.answers = {str(k): bool(v) for k, v in answers.items()}
    for name in ("org", "title", "approver_position", "approver_name", "approval_date"):
        stored, read = str(meta.get(name) or ""), getattr(plan, name)
        if not read or _same(stored, read):
            setattr(plan, name, stored)
    plan.form = dict(payload.get("form") or {})  # the printed form the export was made in
    for name in ("signature", "executor"):
        stored, read = str(payload.get(name) or ""), getattr(plan, name)
        if not read or _same(stored, read):
            setattr(plan, name, stored)
    keys = {column.key for column in plan.columns}
    every = list(payload.get("rows") or [])
    printed = [j for j, r in enumerate(every) if r.get("printed", True) is not False]
    stored_rows = [every[j] for j in printed]
    at = 0
    unmatched: list[str] = []
    placed: list[tuple[int, Row]] = []  # (index in the payload, read row) of matched rows
    for row in plan.rows:
        found = next(
            (
                j
                for j in range(at, min(at + 50, len(stored_rows)))
                if str(stored_rows[j].get("number", "")) == row.number
            ),
            None,
        )
        if found is None:
            unmatched.append(row.number or row.title[:30])
            placed.append((-1, row))
            continue
        _apply_row(row, stored_rows[found], keys)
        placed.append((printed[found], row))
        at = found + 1
    below = {_bare(str(line)) for line in payload.get("below") or [] if str(line).strip()}
    while placed and placed[-1][0] < 0 and _bare(_row_text(placed[-1][1])) in below:
        placed.pop()  # the footnotes and the signature under the table, not rows of the plan
        unmatched.pop()
    plan.rows = [row for _, row in placed]
    if len(printed) < len(every):
        plan.rows = _with_omitted(placed, every)
    if unmatched:
        result.warnings.append(
            "Строки, которых не было в выгрузке cxdesk (добавлены позже): "
            + ", ".join(unmatched[:20])
            + ("…" if len(unmatched) > 20 else "")
            + "."
        )


def _bare(text: str) -> str:
    return "".join(text.split())


def _row_text(row: Row) -> str:
    return " ".join(part for part in (row.number, row.title) if part)


def _with_omitted(placed: list[tuple[int, Row]], every: list[Any]) -> list[Row]:
    """The read rows with the rows the export's form did not print (excluded items and the
    blocks they emptied) put back where they stood."""
    omitted = [j for j, r in enumerate(every) if r.get("printed", True) is False]
    out: list[Row] = []
    next_omitted = 0
    for index, row in placed:
        while index >= 0 and next_omitted < len(omitted) and omitted[next_omitted] < index:
            out.append(_stored_row(every[omitted[next_omitted]]))
            next_omitted += 1
        out.append(row)
    out.extend(_stored_row(every[j]) for j in omitted[next_omitted:])
    return out


def _stored_row(stored: Mapping[str, Any]) -> Row:
    """A row the export did not print, whole from its hidden identity."""
    kind = str(stored.get("kind") or "item")
    row = Row(
        kind=kind if kind in ("block", "section", "item") else "item",
        number=str(stored.get("number") or ""),
        title=str(stored.get("title") or ""),
    )
    for name in PRINTED_FIELDS:
        if name != "status":
            setattr(row, name, str(stored.get(name) or ""))
    _apply_row(row, stored, set())
    return row


def _without_exclusion(text: str, basis: str) -> str:
    """The cell text without the «Исключено: …» line the export added to it."""
    note = f"Исключено: {' '.join(basis.split())}" if basis.strip() else "Исключено"
    lines = text.split("\n")
    if lines and " ".join(lines[-1].split()) == note:
        lines = lines[:-1]
    return "\n".join(lines)


def _reads_as(text: str) -> str:
    """What reading a cell that holds ``text`` gives back (lines cleaned, empty ones dropped)."""
    from cxdesk.io.table_text import clean_lines

    return "\n".join(clean_lines(text.split("\n")))


def _apply_row(row: Row, stored: Mapping[str, Any], keys: set[str]) -> None:
    row.uid = str(stored.get("uid") or "")
    row.ref = str(stored.get("ref") or "")
    if stored.get("kind") in ("block", "section", "item"):
        row.kind = str(stored["kind"])
    if "status" not in keys or not row.status:
        row.status = str(stored.get("status") or row.status)
    for name in UNPRINTED_FIELDS:  # never a column of the table: kept whole in the identity
        setattr(row, name, str(stored.get(name) or getattr(row, name)))
    if row.status == "excluded":
        for name in ("result", "note", "title"):
            setattr(row, name, _without_exclusion(getattr(row, name), row.basis))
    row.fact = ""  # printed from the status, the done date and the attachments
    for name in ("start", "deadline"):
        if name not in keys:
            setattr(row, name, str(stored.get(name) or ""))
    for name in PRINTED_TEXTS:
        exact = str(stored.get(name) or "")
        if keys and name not in keys and name != "title":  # a column the form did not print
            setattr(row, name, exact)
            continue
        read = getattr(row, name).rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹ ")  # without the footnote marks printed
        if exact and exact != getattr(row, name) and _reads_as(exact) in (getattr(row, name), read):
            setattr(row, name, exact)
    stored_deadline = str(stored.get("deadline") or "")
    if "start" in keys and row.deadline != stored_deadline and stored_deadline:
        # the start/end form prints a deadline text as its date: an unchanged date keeps the text
        from cxdesk.domain.deadlines import format_date, parse_deadline

        if row.deadline == format_date(parse_deadline(stored_deadline).due):
            row.deadline = stored_deadline
    attachments = []
    for item in stored.get("attachments") or []:
        if isinstance(item, Mapping):
            attachments.append(
                AttachmentInfo(
                    name=str(item.get("name", "")),
                    size=int(item.get("size") or 0),
                    sha256=str(item.get("sha256", "")),
                    added=str(item.get("added", "")),
                )
            )
        else:
            attachments.append(AttachmentInfo(name=str(item)))
    row.attachments = attachments


def load_identity(reader_name: str, source: Any, result: ReadResult) -> None:
    """Applies the identity payload of our own export, when the file carries one.

    ``reader_name`` is ``read_docx`` or ``read_xlsx``; a payload that cannot be read leaves the
    result as a foreign file's, with a warning.
    """
    from cxdesk.io import identity

    reader = identity.read_docx if reader_name == "read_docx" else identity.read_xlsx
    try:
        payload = reader(source)
    except Exception:  # a damaged payload must not stop the import of the visible table
        log.exception("hidden identity payload could not be read")
        result.warnings.append(
            "Скрытые сведения cxdesk в файле повреждены: таблица прочитана как обычный документ."
        )
        return
    if isinstance(payload, Mapping):
        apply_identity(result, payload)
