"""Template deadlines already past on the day a plan is made, and what to do with them.

A typical template carries the deadlines of the year it was written (agency: five items
«31.12.2024»); a plan made from it later would start overdue. The wizard (and ``cxdesk new
--past-deadlines``) names them and lets the coordinator keep them, put the default deadline in
their place, or move them by whole years (``IV квартал 2024 года`` → ``IV квартал 2026 года``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cxdesk.domain.deadlines import parse_deadline

#: What to do with past template deadlines.
KEEP, DEFAULT, SHIFT = "keep", "default", "shift"
MODES = (KEEP, DEFAULT, SHIFT)

_YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")
_LEAP_DAY = re.compile(r"29\.02\.(\d{4})")


@dataclass(frozen=True)
class PastDeadline:
    """An included item whose template deadline is already past."""

    ref: str
    number: str
    deadline: str
    due: date


def is_past(deadline: str, on: date) -> bool:
    due = parse_deadline(deadline).due
    return due is not None and due < on


def shifted(text: str, years: int) -> str:
    """The deadline text with every year moved by ``years`` (a 29 February that no longer
    exists becomes the 28th)."""
    moved = _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)

    def leap(m: re.Match[str]) -> str:
        y = int(m.group(1))
        ok = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        return m.group(0) if ok else f"28.02.{y}"

    return _LEAP_DAY.sub(leap, moved)


def years_to_catch_up(past: list[PastDeadline], on: date) -> int:
    """The fewest whole years that bring every past deadline to ``on`` or later."""
    years = 0
    for p in past:
        while not parse_deadline(shifted(p.deadline, years)).due or is_past(
            shifted(p.deadline, years), on
        ):
            years += 1
            if years > 50:  # a text whose year does not move: nothing more to gain
                break
    return max(years, 1) if past else 0


def resolve(deadline: str, mode: str, years: int, default: str, on: date) -> str:
    """A template deadline as the plan gets it under ``mode``."""
    if mode == KEEP or not is_past(deadline, on):
        return deadline
    if mode == DEFAULT:
        return default
    return shifted(deadline, years)
