"""The plan as a timeline: which rows are drawn, where each bar begins and ends.

:func:`build_timeline` turns a plan's rows (those a filter lets through, in document order) into
:class:`Timeline` lines: a line per block and section, a line per item whose deadline can be
placed (see :mod:`cxdesk.domain.periods`), and the items that cannot be placed listed apart.
A bar runs from the item's start date (or the plan's approval date when there is none) to its
deadline; a span deadline («I квартал 2024 года») ends at its last day and keeps its first day as
the window it falls in; the whole period and repeated deadlines run over the plan's period.
The screen, the PDF and PNG files and the progress report draw the same :class:`Timeline`.

:func:`export_timeline` writes it to a file (the drawing lives in :mod:`cxdesk.io.timeline_draw`
and :mod:`cxdesk.io.timeline_pdf`, QtGui only, imported when asked). :func:`moved_deadline` is
the deadline text after a bar's end is dragged to another day.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from cxdesk.domain import periods as P
from cxdesk.domain.deadlines import format_date
from cxdesk.domain.reports import FORMATS, PAPERS, ZOOMS, Bar, Line, Timeline
from cxdesk.errors import UserError
from cxdesk.services.common import today
from cxdesk.services.views import PlanView, RowView, get_plan
from cxdesk.storage.db import Store


@lru_cache(maxsize=8192)
def _period(text: str) -> P.Period:
    return P.period(text)


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def build_timeline(
    plan: PlanView, rows: Iterable[RowView] | None = None, on: date | None = None
) -> Timeline:
    """The timeline of ``rows`` (default: every row of the plan); see the module."""
    on = on or today()
    shown = list(plan.rows if rows is None else rows)
    approval = P.start_date(plan.approval_date)
    items = [(r, _period(r.deadline), P.start_date(r.start)) for r in shown if r.kind == "item"]
    known: list[date] = [d for _r, _p, d in items if d is not None]
    known += [p.start for _r, p, _d in items if p.start is not None]
    ends = [p.end for _r, p, _d in items if p.end is not None]
    plan_start = approval or (min(known + ends) if known or ends else None)
    begin = plan_start or date(on.year, 1, 1)
    finish = max(ends, default=None) or date(begin.year, 12, 31)
    if finish < begin:
        finish = date(begin.year, 12, 31)
    lines: list[Line] = []
    apart: list[Line] = []
    for r in shown:
        if r.kind != "item":
            lines.append(Line(r.kind, r.id, r.number, r.title, depth=r.depth))
            continue
        line = Line("item", r.id, r.number, r.title, r.shown_status, r.deadline, depth=r.depth)
        p = _period(r.deadline)
        start = P.start_date(r.start) or plan_start
        if p.kind in (P.POINT, P.SPAN):
            assert p.start is not None and p.end is not None
            first = min(start or p.start, p.start if p.kind == P.SPAN else p.end)
            window = p.start if p.kind == P.SPAN else None
            line.bar = Bar(first, p.end, p, window)
        elif p.kind in (P.WHOLE, P.RECURRING):
            first = min(start or begin, finish)
            line.bar = Bar(first, finish, p, None, p.occurrences(first, finish))
        else:
            apart.append(line)
            continue
        lines.append(line)
    lines = _with_items(lines)
    starts = [ln.bar.start for ln in lines if ln.bar]
    first_day = _month_start(min([begin, *starts]))
    last = max(finish, first_day + timedelta(days=27))
    if first_day <= on <= finish + timedelta(days=366):  # today in sight when it is near
        last = max(last, on)
    last_day = _month_end(_month_end(last) + timedelta(days=1))  # a month to spare
    return Timeline(plan.org or plan.title, lines, apart, first_day, last_day, on, plan_start)


def _with_items(lines: list[Line]) -> list[Line]:
    """The lines without the blocks and sections that have no item drawn under them."""
    keep = [line.kind == "item" for line in lines]
    open_headings: list[int] = []
    for i, line in enumerate(lines):
        while open_headings and lines[open_headings[-1]].depth >= line.depth:
            open_headings.pop()
        if line.kind == "item":
            for h in open_headings:
                keep[h] = True
            open_headings.clear()
        else:
            open_headings.append(i)
    return [line for line, k in zip(lines, keep, strict=True) if k]


def moved_deadline(old_text: str, new_due: date) -> str:
    """The deadline text after the bar's end was moved to ``new_due``: the words «до» or «не
    позднее» the coordinator wrote stay in front of the new date."""
    low = " ".join(old_text.lower().split())
    for words in ("не позднее", "не позже", "до"):
        if low.startswith(words + " "):
            return f"{old_text.strip()[: len(words)]} {format_date(new_due)}"
    return format_date(new_due)


def _check_options(path: Path, zoom: str, paper: str) -> None:
    if path.suffix.lower() not in FORMATS:
        raise UserError(
            f"Файл «{path.name}»: график сохраняется в .pdf или .png. Укажите имя с одним из "
            "этих расширений."
        )
    if zoom not in ZOOMS:
        raise UserError(f"Масштаб «{zoom}» неизвестен. Допустимо: {', '.join(ZOOMS)}.")
    if paper.upper() not in PAPERS:
        raise UserError(f"Формат бумаги «{paper}» неизвестен. Допустимо: A4, A3.")
    if not path.parent.is_dir():
        raise UserError(f"Папки «{path.parent}» нет. Укажите существующую папку.")


def export_timeline(
    store: Store, plan_token: str | int, path: Path, zoom: str = "quarter", paper: str = "A4"
) -> tuple[Path, int]:
    """Writes the plan's timeline to ``path`` (.pdf: pages; .png: one image per page, the
    second and later named «…-2.png»); returns the first file and the number of pages."""
    path = Path(path)
    _check_options(path, zoom, paper)
    timeline = build_timeline(get_plan(store, plan_token))
    from cxdesk.io.timeline_pdf import write_timeline

    return write_timeline(timeline, path, zoom, paper.upper())
