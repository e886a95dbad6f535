"""From the store to a document and back: export a plan in its printed form (the plan's own, or
one named in the options, see :mod:`cxdesk.services.forms`), and the conversion between a stored
plan and :class:`~cxdesk.io.model.PlanDoc` (its form, signature and executor line with it)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.deadlines import format_date
from cxdesk.io.model import ExportOptions, PlanDoc
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import find_plan, now, today
from cxdesk.services.exchange_points import mark_exchange
from cxdesk.services.plan_docs import build_doc, check_target, write_doc
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, Plan
from cxdesk.storage.models import Row as StoredRow


def plan_doc_in(s: Session, plan: Plan, as_of: date | None = None) -> PlanDoc:
    """The stored plan as a document, inside an open session."""
    q = (
        select(Attachment)
        .join(StoredRow, StoredRow.id == Attachment.row_id)
        .where(StoredRow.plan_id == plan.id, Attachment.removed_at.is_(None))
        .order_by(Attachment.id)
    )
    rows = s.scalars(
        select(StoredRow).where(StoredRow.plan_id == plan.id).order_by(StoredRow.position)
    )
    return build_doc(plan, rows, s.scalars(q), as_of)


def plan_doc(store: Store, plan_token: str | int, as_of: date | None = None) -> PlanDoc:
    """The plan as a document (every row, its attachments' names and hashes)."""
    with store.session() as s:
        return plan_doc_in(s, find_plan(s, plan_token), as_of)


def suggest_file_name(org: str, fmt: str, on: date | None = None) -> str:
    """A file name proposed from the organisation and the date: «Минтруд — план 23.11.2026.docx»."""
    base = re.sub(r'[\\/:*?"<>|\r\n\t]+', " ", org).strip(" .") or "План"
    base = re.sub(r"\s+", " ", base)[:80]
    return f"{base} — план мероприятий {format_date(on or today())}.{fmt}"


def export_plan(
    store: Store,
    plan_token: str | int,
    out: Path,
    fmt: str | None = None,
    options: ExportOptions | None = None,
    progress: Progress = NO_PROGRESS,
    as_of: date | None = None,
    info: dict[str, Any] | None = None,
) -> tuple[Path, int]:
    """Writes the plan to ``out`` in docx, xlsx or pdf; returns (path, rows written).

    ``info`` (when given) gets ``pages``: the number of pages of a PDF, None for the others
    (their pages are counted by the program that opens them)."""
    out = Path(out)
    opts = options or ExportOptions()
    f = check_target(out, fmt, opts)
    doc = plan_doc(store, plan_token, as_of)
    exchanged = f in ("docx", "xlsx")  # a file a colleague may edit and send back
    if exchanged:
        doc.exchanged_at = now()
    rows = write_doc(doc, out, f, opts, progress, info, store.data_dir)
    if exchanged:
        with store.session() as s:
            mark_exchange(s, find_plan(s, plan_token), doc.exchanged_at, out.name)
    progress.set_value(1.0)
    return out, rows
