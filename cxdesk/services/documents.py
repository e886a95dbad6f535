"""From the store to a document and back: export a plan in its printed form (the plan's own, or
one named in the options, see :mod:`cxdesk.services.forms`), and the conversion between a stored
plan and :class:`~cxdesk.io.model.PlanDoc` (its form, signature and executor line with it)."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.deadlines import format_date
from cxdesk.domain.form import from_json
from cxdesk.domain.item_fields import values_of
from cxdesk.domain.templates import get_template
from cxdesk.errors import EnvironmentProblem, NotFound, UserError
from cxdesk.io.model import (
    DEFAULT_HEADINGS,
    AttachmentInfo,
    Column,
    ExportOptions,
    PlanDoc,
    Row,
)
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import find_plan, now, today
from cxdesk.services.exchange_points import mark_exchange
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, Plan
from cxdesk.storage.models import Row as StoredRow

FORMATS = ("docx", "xlsx", "pdf")
LAYOUTS = ("official", "dates", "report")
OFFICIAL_COLUMNS = ["number", "title", "deadline", "responsible", "result", "document"]


def plan_columns(plan: Plan) -> list[Column]:
    """The plan's own column set: stored for imported plans, else its template's."""
    if plan.columns:
        return [Column(k, h) for k, h in json.loads(plan.columns)]
    if plan.template_id:
        try:
            return [Column(k, h) for k, h in get_template(plan.template_id).columns]
        except NotFound:
            pass
    return [Column(k, DEFAULT_HEADINGS[k]) for k in OFFICIAL_COLUMNS]


def _stored_form(text: str | None) -> dict[str, object]:
    """The plan's form as JSON data, checked; {} for the template's own."""
    form = from_json(text or "")
    return form.to_dict() if form is not None else {}


def plan_doc_in(s: Session, plan: Plan, as_of: date | None = None) -> PlanDoc:
    """The stored plan as a document, inside an open session."""
    files: dict[int, list[AttachmentInfo]] = {}
    q = (
        select(Attachment)
        .join(StoredRow, StoredRow.id == Attachment.row_id)
        .where(StoredRow.plan_id == plan.id, Attachment.removed_at.is_(None))
        .order_by(Attachment.id)
    )
    for a in s.scalars(q):
        files.setdefault(a.row_id, []).append(AttachmentInfo(a.name, a.size, a.sha256, a.added_at))
    rows = s.scalars(
        select(StoredRow).where(StoredRow.plan_id == plan.id).order_by(StoredRow.position)
    )
    return PlanDoc(
        title=plan.title,
        org=plan.org,
        template_id=plan.template_id,
        template_version=plan.template_version,
        approver_position=plan.approver_position,
        approver_name=plan.approver_name,
        approval_date=plan.approval_date,
        columns=plan_columns(plan),
        uid=plan.uid,
        answers=json.loads(plan.answers or "{}"),
        signature=plan.signature or "",
        executor=plan.executor or "",
        form=_stored_form(plan.form),
        as_of=format_date(as_of or today()),
        exchange_base=plan.synced_at or "",
        rows=[
            Row(
                kind=r.kind,
                number=r.number,
                **values_of(r),
                ref=r.ref,
                uid=r.uid,
                attachments=files.get(r.id, []),
            )
            for r in rows
        ],
    )


def plan_doc(store: Store, plan_token: str | int, as_of: date | None = None) -> PlanDoc:
    """The plan as a document (every row, its attachments' names and hashes)."""
    with store.session() as s:
        return plan_doc_in(s, find_plan(s, plan_token), as_of)


def format_of(path: Path, fmt: str | None) -> str:
    """The export format: given, else from the file's extension."""
    f = (fmt or path.suffix).lower().lstrip(".")
    if f not in FORMATS:
        raise UserError(
            f"Неизвестный формат «{f or path.name}». Укажите файл .docx, .xlsx или .pdf "
            "(или --format docx|xlsx|pdf)."
        )
    return f


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
    f = format_of(out, fmt)
    opts = options or ExportOptions()
    if opts.layout not in LAYOUTS:
        raise UserError(f"Неизвестный макет «{opts.layout}». Есть: {', '.join(LAYOUTS)}.")
    if not out.parent.exists():
        raise NotFound(f"Папки {out.parent} нет. Укажите существующую папку для файла.")
    doc = plan_doc(store, plan_token, as_of)
    exchanged = f in ("docx", "xlsx")  # a file a colleague may edit and send back
    if exchanged:
        doc.exchanged_at = now()
    progress.set_status("Запись файла")
    writer: Any
    if f == "docx":
        from cxdesk.io.docx_writer import write_docx as writer
    elif f == "xlsx":
        from cxdesk.io.xlsx_writer import write_xlsx as writer
    else:
        from cxdesk.io.pdf_render import write_pdf as writer
    if info is not None:
        info["pages"] = None
    try:
        rows = (
            writer(doc, out, opts, progress, info)
            if f == "pdf"
            else writer(doc, out, opts, progress)
        )
    except PermissionError as exc:
        raise UserError(
            f"Не удаётся записать {out}: файл открыт в другой программе или папка защищена от "
            "записи. Закройте файл или выберите другое место."
        ) from exc
    except OSError as exc:
        if not _writing_fault(exc, out):
            from cxdesk.logs import write_exception

            log = write_exception(store.data_dir, exc, f"export to {out}")
            raise EnvironmentProblem(
                f"Не удаётся прочитать файл самой программы ({exc.strerror or exc}: "
                f"{os.fsdecode(exc.filename or '')}): установка cxdesk неполна или повреждена. "
                f"Переустановите программу; подробности записаны в журнал {log}."
            ) from exc
        raise UserError(
            f"Не удалось записать {out}: {exc.strerror or exc}. Проверьте место на диске и права."
        ) from exc
    if exchanged:
        with store.session() as s:
            mark_exchange(s, find_plan(s, plan_token), doc.exchanged_at, out.name)
    progress.set_value(1.0)
    return out, rows


def _writing_fault(exc: OSError, out: Path) -> bool:
    """True when ``exc`` is about writing ``out`` (its folder, the disk), not about reading
    some other file the writer needs."""
    import errno

    if exc.filename is None:
        return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG)
    return Path(os.fsdecode(exc.filename)).resolve().parent == out.resolve().parent
