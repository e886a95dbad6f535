"""Text of table cells as people type it: cleaning, item numbers and column headings.

Cells arrive with leftovers of whatever the text went through before: HTML tags and entities from
a web form (``<p>…</p>``, ``&nbsp;``), control characters, soft hyphens, non-breaking spaces.
:func:`clean_lines` turns a cell's paragraphs into clean lines. :func:`map_heading` tells which
column of the plan a heading names, whatever its wording, case, spacing or hyphenation.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

from cxdesk.domain.item_fields import DEFAULT_HEADINGS, FIELDS

_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c]")
# HTML left in cells by the systems plans are exported from (<p>, <ul>, <li>, <span …>); only
# real tag names, attributes after a space: «a<b, 5 > 3» in a text is not a tag
_TAG_RE = re.compile(
    r"</?(p|div|li|ul|ol|br|tr|td|th|table|tbody|thead|h[1-6]|blockquote|pre|hr|span|font|b|i|u"
    r"|s|em|strong|a|sub|sup|small|big|strike|code)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "table",
        "tbody",
        "thead",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
    }
)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff]"
)
_SPACES_RE = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: Anything that needs more than stripping the ends (most cells need nothing).
_NEEDS_WORK_RE = re.compile(
    "[<&\x00-\x1f\x7f-\x9f\u00a0\u00ad\u2000-\u200d\u2028\u2029\u202f\u205f\u2060"
    "\u3000\ufeff\ufffe\uffff\ud800-\udfff]|  "
)


def _strip_tags(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        return "\n" if match.group(1).lower() in _BLOCK_TAGS else ""

    return _TAG_RE.sub(repl, text)


def clean_text(text: str) -> str:
    """One piece of cell text cleaned: tags, entities and control characters gone, spaces
    collapsed, empty lines dropped; the lines that remain are joined with ``\\n``."""
    if _NEEDS_WORK_RE.search(text) is None:
        return text.strip()
    text = _NEWLINES_RE.sub("\n", text)
    if "<" in text:
        text = _strip_tags(text)
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
        if "<" in text:
            text = _strip_tags(text)
    text = _CONTROL_RE.sub("", text)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_lines(paragraphs: Iterable[str]) -> list[str]:
    """A cell's paragraphs as clean, non-empty lines."""
    out: list[str] = []
    for para in paragraphs:
        cleaned = clean_text(para)
        if cleaned:
            out.extend(cleaned.split("\n"))
    return out


# -- item numbers ------------------------------------------------------------------------------
_NUMBER_RE = re.compile(r"^(?:№\s*)?((?:\d{1,4}\s?\.\s?)*\d{1,4}\.?|[IVXLC]{1,6}\.?|\d{1,4}\))$")
_HEAD_NUMBER_RE = re.compile(
    r"^(?:(?:блок|раздел|этап|часть)\s+)?((?:\d{1,4}\.)+(?:\d{1,4}\.?)?|[IVXLC]{1,6}\.)\s+(\S.*)$",
    re.S | re.I,
)
#: A number typed at the start of an item's text: «1. Назначен…», «1.1.Назначен…», «12) …».
_TITLE_NUMBER_RE = re.compile(
    r"^((?:\d{1,4}\.)+(?:\d{1,4}\.?)?|\d{1,4}\))\s*([А-ЯЁA-Z«\"(].*)$", re.S
)
_ROMAN_RE = re.compile(r"^[IVXLC]{1,6}\.?$")
_DASHES = frozenset({"-", "–", "—", "−", "―", "‑", "--"})


@functools.lru_cache(maxsize=16384)
def parse_number(text: str) -> str | None:
    """The item number a cell holds («1», «1.1.», «3.1.4», «II.»), spaces removed; else None."""
    match = _NUMBER_RE.match(text.strip())
    if match is None:
        return None
    return match.group(1).replace(" ", "")


def split_heading_number(text: str) -> tuple[str, str]:
    """«4. Мероприятия по …» → («4.», «Мероприятия по …»); text without a number → («», text)."""
    match = _HEAD_NUMBER_RE.match(text.strip())
    if match is None:
        return "", text.strip()
    return match.group(1), match.group(2).strip()


def split_title_number(text: str) -> tuple[str, str]:
    """«1. Назначен…» → («1.», «Назначен…»): a number typed into an item's text; else ("", text)."""
    match = _TITLE_NUMBER_RE.match(text.strip())
    if match is None:
        return "", text
    return match.group(1), match.group(2).strip()


def is_roman(number: str) -> bool:
    """Whether a number is a Roman block number («I.», «II», «IV.»)."""
    return bool(_ROMAN_RE.match(number.strip()))


def number_depth(number: str) -> int:
    """How many levels a number has: «3.» → 1, «3.1.» → 2, «3.1.4» → 3; «II.» → 1."""
    groups = [g for g in number.rstrip(".)").split(".") if g]
    return max(1, len(groups)) if number else 0


def number_parts(number: str) -> list[str]:
    """The numeric groups of a number: «3.1.» → ["3", "1"]."""
    return [g for g in number.rstrip(".)").split(".") if g]


def number_ranges(numbers: Iterable[int], name: Callable[[int], str] = str) -> str:
    """«5, 7–9» from [5, 7, 8, 9], each number shown by ``name``."""
    parts: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(name(run[0]) if len(run) == 1 else f"{name(run[0])}–{name(run[-1])}")
        run = [n]
    if run:
        parts.append(name(run[0]) if len(run) == 1 else f"{name(run[0])}–{name(run[-1])}")
    return ", ".join(parts)


def is_dash(text: str) -> bool:
    """Whether a number cell holds only a dash (a row continued from the page before)."""
    return text.strip() in _DASHES


# -- column headings ---------------------------------------------------------------------------
#: Headings longer than this are taken for data, not for a heading.
MAX_HEADING = 90
_FOOTNOTE_RE = re.compile(r"\[footnote ?ref:\s*\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰*]+", re.I)
_HYPHEN_RE = re.compile(r"(?<=[а-яa-z])[-‐‑]\s*(?=[а-яa-z])")

#: Headings of the columns that are no field of an item, with the order they are tried in
#: among the fields' own (see :class:`cxdesk.domain.item_fields.Field`).
_OTHER_PATTERNS = [
    (
        0,
        "number",
        r"(№|no|n|#)\s*\.?\s*(п\s*/\s*п\.?|пп|п\.\s*п\.?|пункта|мероприятия|строки)?"
        r"|п\s*/\s*п|номер( пункта| мероприятия| п/п)?",
    ),
    (
        20,
        "fact",
        r"отметка о (выполнении|исполнении).*|информация о (ходе )?(выполнении|исполнении)"
        r".*|фактическ.*|факт",
    ),
]
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (key, re.compile(pattern))
    for _rank, key, pattern in sorted(
        [*_OTHER_PATTERNS, *((f.rank, f.name, f.pattern) for f in FIELDS if f.pattern)],
        key=lambda entry: entry[0],
    )
]

#: Headings that name a column exactly (near misses are matched to them fuzzily).
_CANONICAL = {
    **{
        heading.lower(): f.name for f in FIELDS if f.heading for heading in (f.heading, *f.headings)
    },
    DEFAULT_HEADINGS["fact"].lower(): "fact",
}


def normalize_heading(text: str) -> str:
    """A heading reduced for comparison: lower case, ё → е, hyphenation, footnotes, spacing."""
    t = text.lower().replace("ё", "е").replace("\u00ad", "")
    t = _FOOTNOTE_RE.sub("", t)
    t = _HYPHEN_RE.sub("", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\s*/\s*", "/", t)
    return t.strip(" :;,.").replace("№п/п", "№ п/п")


@functools.lru_cache(maxsize=4096)
def map_heading(text: str) -> tuple[str | None, bool]:
    """The column key a heading names and whether it was only a close match (a typo).

    «Ответствен-ный» → ("responsible", False); «Ответсвенный» → ("responsible", True);
    «Примечание 2» → (None, False).
    """
    norm = normalize_heading(text)
    if not norm or len(norm) > MAX_HEADING:
        return None, False
    for key, pattern in _PATTERNS:
        if pattern.fullmatch(norm):
            return key, False
    if any(ch.isdigit() for ch in norm) or len(norm) < 5:
        return None, False
    best = process.extractOne(norm, list(_CANONICAL), scorer=fuzz.ratio, score_cutoff=88)
    if best is None:
        return None, False
    return _CANONICAL[str(best[0])], True


def single_line(text: str) -> str:
    """A heading as one line: line breaks inside it become spaces."""
    return " ".join(text.split())
