"""The shapes of the reports: what a summary, a progress report, a timeline and an audit hold.

Plain data, built by the services (:mod:`cxdesk.services.summary`,
:mod:`cxdesk.services.progress_report`, :mod:`cxdesk.services.timeline`,
:mod:`cxdesk.services.audit`) and written by the writers in :mod:`cxdesk.io`, which therefore
import nothing from the services.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Protocol

from cxdesk.domain import periods as P
from cxdesk.domain.deadlines import format_date


class CountedRow(Protocol):
    """What :meth:`Counts.add_row` reads of a row (a ``RowView``)."""

    @property
    def status(self) -> str: ...

    @property
    def overdue(self) -> bool: ...

    @property
    def attachments(self) -> Sized: ...


# --- audit -----------------------------------------------------------------------------------
#: Problem kind → its name in Russian (for the window and the exported list).
PROBLEMS: dict[str, str] = {
    "missing": "Отсутствует обязательный пункт",
    "contradicts_answers": "Противоречит ответам на вопросы",
    "wording_changed": "Изменена формулировка",
    "done_without_proof": "Выполнено без подтверждающего документа",
    "document_mismatch": "Документ не того вида",
    "deadline_unreadable": "Срок не распознан",
}


# --- summary ---------------------------------------------------------------------------------
@dataclass
class Counts:
    """Items by state: done, in progress, overdue, not started (disjoint), excluded apart."""

    items: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0
    excluded: int = 0
    done_without_proof: int = 0

    def add_row(self, row: CountedRow) -> None:
        if row.status == "excluded":
            self.excluded += 1
            return
        self.items += 1
        if row.status == "done":
            self.done += 1
            self.done_without_proof += not row.attachments
        elif row.overdue:
            self.overdue += 1
        elif row.status == "in_progress":
            self.in_progress += 1
        else:
            self.not_started += 1

    def add(self, other: Counts) -> None:
        for f in fields(Counts):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def share(self, value: int) -> float:
        """``value`` as a share of the items to carry out, 0…1, three decimals."""
        return round(value / self.items, 3) if self.items else 0.0

    @property
    def share_done(self) -> float:
        return self.share(self.done)


@dataclass
class PlanLine(Counts):
    """One plan's line of the summary."""

    plan: int = 0
    org: str = ""
    template_id: str = ""


@dataclass
class ItemLine:
    """One template item over the plans built on its template."""

    ref: str
    number: str
    title: str
    plans: int = 0
    done_orgs: list[str] = field(default_factory=list)
    in_progress_orgs: list[str] = field(default_factory=list)
    overdue_orgs: list[str] = field(default_factory=list)
    missing_orgs: list[str] = field(default_factory=list)
    excluded_orgs: list[str] = field(default_factory=list)


@dataclass
class BlockLine(Counts):
    """One block's counts (over all the plans summarised)."""

    key: str = ""
    number: str = ""
    title: str = ""


@dataclass
class Summary:
    """The whole summary: plans, their totals, template items and blocks."""

    as_of: date
    plans: list[PlanLine]
    total: Counts
    by_item: list[ItemLine]
    by_block: list[BlockLine]


# --- progress report -------------------------------------------------------------------------
REPORT_TITLE = (
    "Отчет о ходе реализации плана мероприятий («дорожной карты») по внедрению Стандартов "
    "клиентоцентричности"
)


@dataclass
class OverdueItem:
    """An item past its deadline and not done."""

    number: str
    title: str
    deadline: str
    due: str
    days_late: int
    responsible: str
    status: str


@dataclass
class DoneItem:
    """An item done, with what proves it."""

    number: str
    title: str
    result: str
    document: str
    done_date: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (name, date added)


@dataclass
class ReportData:
    """Everything the progress report prints."""

    plan_id: int
    org: str
    title: str
    as_of: date
    total: Counts
    blocks: list[BlockLine]
    overdue: list[OverdueItem]
    done: list[DoneItem]
    timeline: Timeline | None = None  # the plan on a time axis: pages after the text

    @property
    def as_of_text(self) -> str:
        return format_date(self.as_of)


# --- timeline --------------------------------------------------------------------------------
#: Zoom levels: key → title (the scale of each is the drawing's, cxdesk.io.timeline_draw).
ZOOMS = {"month": "Месяцы", "quarter": "Кварталы", "year": "Годы"}
PAPERS = ("A4", "A3")
FORMATS = (".pdf", ".png")


@dataclass
class Bar:
    """Where an item's bar is drawn: ``start``..``end`` (dates, inclusive), the deadline's
    ``period``, its ``window`` (first day of a span deadline, or None) and the repeats."""

    start: date
    end: date
    period: P.Period
    window: date | None = None
    repeats: list[date] = field(default_factory=list)


@dataclass
class Line:
    """One row of the timeline: a block, a section or an item (with its bar)."""

    kind: str
    row_id: int
    number: str
    title: str
    status: str = ""  # the shown status of an item (``overdue`` when past its deadline)
    deadline: str = ""
    bar: Bar | None = None
    depth: int = 0

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Timeline:
    """The lines drawn, the items left apart, the dates drawn (``first``..``last``), today."""

    org: str
    lines: list[Line]
    apart: list[Line]
    first: date
    last: date
    today: date
    plan_start: date | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def index_of(self, row_id: int) -> int:
        for i, line in enumerate(self.lines):
            if line.row_id == row_id:
                return i
        return -1
