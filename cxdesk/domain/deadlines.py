"""Deadlines as the templates write them, read into a due date where the text gives one.

The text is always kept as written; :func:`parse_deadline` only derives a date for overdue marks
and reminders. A quarter or half-year ends on its last day, a year on 31 December, a range on its
last date. «На протяжении всего периода …», «ежегодно» and the like are periods without a date.
Text that looks like a date but cannot be one («VI квартал 2023 года», «31.02.2024») is
*unreadable*: the plan marks it for the coordinator to correct and nothing guesses.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

EMPTY = "empty"
DATE = "date"
PERIOD = "period"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Deadline:
    """A deadline text and what it means: ``state`` is empty, date, period or unreadable."""

    text: str
    due: date | None
    state: str

    @property
    def unreadable(self) -> bool:
        return self.state == UNREADABLE


_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)")
_RANGE_DAY_RE = re.compile(
    r"(?<![\d.])(\d{1,2})\s*[-–—]\s*(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)"
)
_QUARTER_RE = re.compile(
    r"(?<![\w])([ivx]+|\d)\s*(?:-?й\s*)?кв(?:артал[а-я]*|\.)?\s*(\d{4})", re.IGNORECASE
)
_HALF_RE = re.compile(r"(?<![\w])([ivx]+|\d)\s*(?:-?е\s*)?полугоди[а-я]*\s*(\d{4})", re.IGNORECASE)
_DAY_MONTH_RE = re.compile(r"(?<!\d)(\d{1,2})\s+" + _MONTH_RE + r"\s+(\d{4})", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(r"(?<![\w])" + _MONTH_RE + r"\s+(\d{4})", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})\s*(?:год|г\.?(?!\w))", re.IGNORECASE)
_PERIOD_WORDS = (
    "на протяжении",
    "в течение всего",
    "постоянно",
    "ежегодно",
    "ежеквартально",
    "ежемесячно",
    "еженедельно",
    "регулярно",
    "по мере",
    "весь период",
    "всего периода",
)


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _number(token: str) -> int | None:
    t = token.lower()
    if t.isdecimal():
        return int(t)
    return _ROMAN.get(t)


def _month_of(word: str) -> int:
    w = word.lower()
    for stem, m in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if w.startswith(stem):
            return m
    raise ValueError(word)


def _end_of_month(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def parse_deadline(text: str | None) -> Deadline:
    """Reads a deadline text. The latest date the text names is the due date."""
    raw = (text or "").strip()
    if not raw:
        return Deadline("", None, EMPTY)
    low = raw.lower().replace("ё", "е")
    dates: list[date] = []
    bad = False

    for m in _RANGE_DAY_RE.finditer(low):
        d = _safe_date(_year(m.group(4)), int(m.group(3)), int(m.group(2)))
        if d is None:
            bad = True
        else:
            dates.append(d)
    for m in _DATE_RE.finditer(low):
        d = _safe_date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d is None:
            bad = True
        else:
            dates.append(d)
    for m in _DAY_MONTH_RE.finditer(low):
        d = _safe_date(int(m.group(3)), _month_of(m.group(2)), int(m.group(1)))
        if d is None:
            bad = True
        else:
            dates.append(d)
    if not dates:
        for m in _QUARTER_RE.finditer(low):
            q = _number(m.group(1))
            if q is None or not 1 <= q <= 4:
                bad = True
                continue
            dates.append(_end_of_month(int(m.group(2)), q * 3))
        for m in _HALF_RE.finditer(low):
            h = _number(m.group(1))
            if h is None or not 1 <= h <= 2:
                bad = True
                continue
            dates.append(_end_of_month(int(m.group(2)), h * 6))
    if not dates and not bad:
        for m in _MONTH_YEAR_RE.finditer(low):
            dates.append(_end_of_month(int(m.group(2)), _month_of(m.group(1))))
    if not dates and not bad:
        for m in _YEAR_RE.finditer(low):
            dates.append(date(int(m.group(1)), 12, 31))

    if bad:
        return Deadline(raw, None, UNREADABLE)
    if dates:
        return Deadline(raw, max(dates), DATE)
    if any(w in low for w in _PERIOD_WORDS):
        return Deadline(raw, None, PERIOD)
    return Deadline(raw, None, UNREADABLE)


def format_date(d: date | None) -> str:
    """dd.MM.yyyy, as the interface and the documents write dates."""
    return d.strftime("%d.%m.%Y") if d else ""


def parse_user_date(text: str) -> date | None:
    """A date typed by the user (dd.MM.yyyy or yyyy-mm-dd); None when the text is not one."""
    t = text.strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?", t)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None
