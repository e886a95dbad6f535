"""What a deadline text means on a timeline: a point, a span, the whole period or a repetition.

:func:`cxdesk.domain.deadlines.parse_deadline` reads the due date; :func:`period` adds the shape
the text gives it, so that a timeline draws what the coordinator wrote:

- «15.12.2023», «до 08.04.2022 г.», «не позднее 15.12.2023», «до 1 июля 2024 г.»,
  «Не позднее I квартала 2024 года» — a *point*: the day by which it is due;
- «I квартал 2024 года», «II полугодие 2023 года», «декабрь 2024 года», «2024 год»,
  «20-30.06.2022 г.», «с 01.03.2023 по 30.12.2024», «I–II квартал 2024 года» — a *span*: its
  first and last days (the due date is the last);
- «на протяжении всего периода …», «постоянно», «в течение всего срока» — the *whole* period
  of the plan;
- «ежегодно», «ежеквартально», «ежемесячно», «ежегодно, до 1 июля» — a *recurring* deadline:
  every year (quarter, month), on the day named or at the end of each;
- empty text is *empty*; anything else («VI квартал 2023 года», «31.02.2024», «по мере
  необходимости», «после согласования») is *unreadable*: listed apart, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cxdesk.domain import deadlines as D

POINT = "point"
SPAN = "span"
WHOLE = "whole"
RECURRING = "recurring"
EMPTY = "empty"
UNREADABLE = "unreadable"

#: Russian names of the kinds (legends, lists of what is not drawn).
KIND_TITLES = {
    POINT: "дата",
    SPAN: "период",
    WHOLE: "весь период плана",
    RECURRING: "повторяется",
    EMPTY: "срок не указан",
    UNREADABLE: "срок не распознан",
}


@dataclass(frozen=True)
class Period:
    """A deadline's meaning: ``kind`` (see the module), ``start``..``end`` for a point (equal)
    or a span, ``every`` (year, quarter, month) and ``on`` ((month, day) or None) for a
    recurring one."""

    text: str
    kind: str
    start: date | None = None
    end: date | None = None
    every: str = ""
    on: tuple[int, int] | None = None

    @property
    def placed(self) -> bool:
        """True when the period can be drawn (it has dates, or spans the plan's period)."""
        return self.kind in (POINT, SPAN, WHOLE, RECURRING)

    def occurrences(self, first: date, last: date) -> list[date]:
        """The days a recurring deadline falls on between ``first`` and ``last``."""
        if self.kind != RECURRING or first > last:
            return []
        out: list[date] = []
        if self.every == "year":
            month, day = self.on or (12, 31)
            for y in range(first.year, last.year + 1):
                d = D._safe_date(y, month, day) or D._end_of_month(y, month)
                if first <= d <= last:
                    out.append(d)
            return out
        step = {"quarter": 3, "month": 1}.get(self.every)
        if step is None:
            return out
        y, m = first.year, first.month
        m = ((m - 1) // step + 1) * step  # the first period end on or after ``first``
        while True:
            d = D._end_of_month(y, m)
            if d > last:
                return out
            if d >= first:
                out.append(d)
            m += step
            if m > 12:
                y, m = y + 1, m - 12


_BY_WORDS = re.compile(r"^\s*(?:до|не\s+позднее|не\s+позже|в\s+срок\s+до|по\s+состоянию\s+на)\b")
_WHOLE_WORDS = (
    "на протяжении",
    "в течение всего",
    "постоянно",
    "весь период",
    "всего периода",
    "всего срока",
    "регулярно",
)
_EVERY = (
    ("ежегодн", "year"),
    ("ежекварт", "quarter"),
    ("ежемесячн", "month"),
)
_DATES_RANGE = re.compile(
    r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\s*(?:г\.?)?\s*(?:[-–—]|по|до)\s*"
    r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)"
)
_QUARTERS_RANGE = re.compile(
    r"(?<![\w])([ivx]+|\d)\s*[-–—]\s*([ivx]+|\d)\s*(?:-?й\s*)?кв(?:артал[а-я]*|\.)?\s*(\d{4})",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s+" + D._MONTH_RE, re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?:в\s+течение\s+|в\s+)?(\d{4})\s*(?:год[а-я]*|г\.?)?$")


def _clean(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def _quarter_start(y: int, q: int) -> date:
    return date(y, 3 * q - 2, 1)


def _span(low: str, due: date) -> tuple[date, date] | None:
    """The first and last days when the text names a stretch of time, else None."""
    m = D._RANGE_DAY_RE.search(low)
    if m:
        y, mo = D._year(m.group(4)), int(m.group(3))
        first = D._safe_date(y, mo, int(m.group(1)))
        if first and first <= due:
            return first, due
    m = _DATES_RANGE.search(low)
    if m:
        first = D._safe_date(D._year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if first and first <= due:
            return first, due
    if D._DATE_RE.search(low) or D._DAY_MONTH_RE.search(low):
        return None  # one named day
    m = _QUARTERS_RANGE.search(low)
    if m:
        a, b = D._number(m.group(1)), D._number(m.group(2))
        if a and b and 1 <= a <= b <= 4:
            return _quarter_start(int(m.group(3)), a), due
    quarters = list(D._QUARTER_RE.finditer(low))
    if quarters:
        q = min(D._number(x.group(1)) or 4 for x in quarters)
        y = min(int(x.group(2)) for x in quarters)
        return _quarter_start(y, q), due
    halves = list(D._HALF_RE.finditer(low))
    if halves:
        h = min(D._number(x.group(1)) or 2 for x in halves)
        y = min(int(x.group(2)) for x in halves)
        return date(y, 6 * h - 5, 1), due
    m = D._MONTH_YEAR_RE.search(low)
    if m:
        return date(int(m.group(2)), D._month_of(m.group(1)), 1), due
    m = D._YEAR_RE.search(low) or _YEAR_ONLY.match(low)
    if m:
        return date(int(m.group(1)), 1, 1), due
    return None


def period(text: str | None) -> Period:
    """Reads a deadline text into what a timeline draws (see the module's list)."""
    raw = (text or "").strip()
    read = D.parse_deadline(raw)
    if read.state == D.EMPTY:
        return Period("", EMPTY)
    if read.state == D.UNREADABLE and not _recurring_words(_clean(raw)):
        return Period(raw, UNREADABLE)
    low = _clean(raw)
    every = _recurring_words(low)
    if every:
        on = None
        m = _DAY_MONTH.search(low)
        if m and every == "year":
            month = D._month_of(m.group(2))
            if D._safe_date(2000, month, int(m.group(1))):  # a leap year: 29 February reads
                on = (month, int(m.group(1)))
        return Period(raw, RECURRING, every=every, on=on)
    if read.state == D.PERIOD:
        if any(w in low for w in _WHOLE_WORDS):
            return Period(raw, WHOLE)
        return Period(raw, UNREADABLE)
    due = read.due
    assert due is not None
    if _BY_WORDS.match(low):
        return Period(raw, POINT, due, due)
    stretch = _span(low, due)
    if stretch is None:
        return Period(raw, POINT, due, due)
    return Period(raw, SPAN, stretch[0], stretch[1])


def _recurring_words(low: str) -> str:
    for stem, every in _EVERY:
        if stem in low:
            return every
    return ""


def start_date(text: str | None) -> date | None:
    """A start or approval date as written (dd.MM.yyyy, «15 декабря 2023 г.», ISO), or None."""
    raw = (text or "").strip().strip("«»\"' ")
    if not raw:
        return None
    found = D.parse_user_date(raw)
    if found is not None:
        return found
    m = re.search(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)", raw)
    if m:
        return D._safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.search(r"(\d{1,2})\W*\s*" + D._MONTH_RE + r"\s+(\d{4})", raw.lower())
    if m:
        return D._safe_date(int(m.group(3)), D._month_of(m.group(2)), int(m.group(1)))
    return None
