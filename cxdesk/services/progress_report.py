"""The progress report of one plan as of a date («Отчет о ходе реализации плана»).

The data for the document: per block the items done, in progress, overdue and not started (with
their shares), the overdue items with the people responsible and their deadlines, and the done
items with their results, documents and completion dates.

For a date in the past, each item's status is the one it had at the end of that day, read from
the item's history (status changes are recorded with their moment); overdue is judged on that
date. Attachments added after the date are left out. :func:`export_progress_report` assembles
and writes the file, for the window and the command line alike.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.deadlines import format_date
from cxdesk.domain.reports import Counts, DoneItem, OverdueItem, ReportData
from cxdesk.services.common import find_plan, today
from cxdesk.services.summary import block_counts, org_label
from cxdesk.services.views import PlanView, is_overdue, plan_view_in
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Row

Files = dict[int, list[tuple[str, str]]]

if TYPE_CHECKING:
    pass


def _statuses_as_of(s: Session, plan_id: int, as_of: date) -> dict[int, str]:
    """Each row's status at the end of ``as_of``, where its history says otherwise than now."""
    end = f"{as_of.isoformat()}T23:59:59"
    q = (
        select(History.row_id, History.at, History.field, History.old, History.new)
        .where(History.plan_id == plan_id, History.field.in_(("status", "created")))
        .order_by(History.id)
    )
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    for row_id, at, fld, old, new in s.execute(q):
        if row_id is None:
            continue
        if at <= end:
            before[row_id] = new
        elif row_id not in after:
            after[row_id] = old if fld == "status" else ""
    out = dict(before)
    for row_id, old in after.items():
        if row_id not in before:
            out[row_id] = old or "not_started"
    return out


def _files_as_of(s: Session, plan_id: int, as_of: date) -> Files:
    end = f"{as_of.isoformat()}T23:59:59"
    q = (
        select(Attachment.row_id, Attachment.name, Attachment.added_at)
        .join(Row, Row.id == Attachment.row_id)
        .where(Row.plan_id == plan_id, Attachment.added_at <= end)
        .where((Attachment.removed_at.is_(None)) | (Attachment.removed_at > end))
        .order_by(Attachment.id)
    )
    out: Files = {}
    for row_id, name, added in s.execute(q):
        out.setdefault(row_id, []).append((name, _date_text(added)))
    return out


def _date_text(moment: str) -> str:
    try:
        return format_date(date.fromisoformat(moment[:10]))
    except ValueError:
        return moment


def _as_of_view(s: Session, view: PlanView, as_of: date) -> tuple[PlanView, Files]:
    files = _files_as_of(s, view.id, as_of)
    if as_of >= today():
        return view, files
    statuses = _statuses_as_of(s, view.id, as_of)
    rows = []
    for r in view.rows:
        status = statuses.get(r.id, r.status) if r.kind == "item" else r.status
        names = [n for n, _ in files.get(r.id, [])]
        rows.append(
            replace(
                r,
                status=status,
                attachments=names,
                overdue=r.kind == "item" and is_overdue(status, r.due_date, as_of),
                done_date=r.done_date if status == "done" else "",
            )
        )
    return replace(view, rows=rows), files


def report_from_view(view: PlanView, as_of: date, files: Files) -> ReportData:
    """The report data of a plan already read (statuses as of ``as_of``)."""
    total = Counts()
    overdue: list[OverdueItem] = []
    done: list[DoneItem] = []
    for r in view.items():
        total.add_row(r)
        if r.overdue and r.due_date is not None:
            overdue.append(
                OverdueItem(
                    r.number,
                    r.title,
                    r.deadline,
                    format_date(r.due_date),
                    (as_of - r.due_date).days,
                    r.responsible,
                    r.status,
                )  # fmt: skip
            )
        elif r.status == "done":
            done.append(
                DoneItem(r.number, r.title, r.result, r.document, r.done_date, files.get(r.id, []))
            )
    return ReportData(
        plan_id=view.id,
        org=org_label(view),
        title=view.title,
        as_of=as_of,
        total=total,
        blocks=block_counts(view),
        overdue=overdue,
        done=done,
    )


def progress_report(
    store: Store, plan: str | int, as_of: date | None = None, timeline: bool = False
) -> ReportData:
    """The progress report of a plan (its id or uid) as of ``as_of`` (today); ``timeline``
    adds the plan on a time axis, its statuses and today's line as of that date."""
    as_of = as_of or today()
    with store.session() as s:
        stored = find_plan(s, plan)
        view, files = _as_of_view(s, plan_view_in(s, stored, as_of), as_of)
    data = report_from_view(view, as_of, files)
    if timeline:
        from cxdesk.services.timeline import build_timeline

        data.timeline = build_timeline(view, on=as_of)
    return data


def export_progress_report(
    store: Store,
    plan: str | int,
    path: Path,
    as_of: date | None = None,
    timeline: bool = False,
    fmt: str | None = None,
) -> tuple[Path, ReportData]:
    """Assembles the progress report (see :func:`progress_report`) and writes it as docx or PDF
    (``fmt``, else the file's extension); the window and the command line both call this.
    Returns the file written and the report's data."""
    from cxdesk.io.report_writer import write_report

    data = progress_report(store, plan, as_of, timeline)
    return write_report(data, Path(path), fmt), data
