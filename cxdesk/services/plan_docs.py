"""A plan as a document, and the document written to a file, without the database layer.

:func:`build_doc` makes the :class:`~cxdesk.io.model.PlanDoc` of a plan from its stored records
(ORM objects in a session, or the light reader's records with the same attribute names);
:func:`write_doc` writes it as docx, xlsx or pdf with the faults of writing said plainly. Both
serve :func:`cxdesk.services.documents.export_plan`; :func:`light_plan_doc` reads a plan through
the light path (:mod:`cxdesk.storage.light`), so that a command that only reads and writes a PDF
need not import SQLAlchemy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from cxdesk import clock
from cxdesk.domain.deadlines import format_date
from cxdesk.domain.form import from_json
from cxdesk.domain.item_fields import values_of
from cxdesk.domain.templates import get_template
from cxdesk.errors import EnvironmentProblem, NotFound, UserError
from cxdesk.io.model import DEFAULT_HEADINGS, AttachmentInfo, Column, ExportOptions, PlanDoc, Row
from cxdesk.progress import Progress

FORMATS = ("docx", "xlsx", "pdf")
LAYOUTS = ("official", "dates", "report")
OFFICIAL_COLUMNS = ["number", "title", "deadline", "responsible", "result", "document"]


def plan_columns(plan: Any) -> list[Column]:
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


def build_doc(
    plan: Any, rows: Iterable[Any], attachments: Iterable[Any], as_of: date | None = None
) -> PlanDoc:
    """The stored plan as a document: its rows in document order, each with its attachments."""
    files: dict[int, list[AttachmentInfo]] = {}
    for a in attachments:
        files.setdefault(a.row_id, []).append(AttachmentInfo(a.name, a.size, a.sha256, a.added_at))
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
        as_of=format_date(as_of or clock.today()),
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


def light_plan_doc(reader: Any, token: str | int, as_of: date | None = None) -> PlanDoc | None:
    """The plan read through the light path (a :class:`cxdesk.storage.light.LightReader`);
    None when it finds no such plan or cannot read it (the normal path then says why in its
    own words)."""
    import sqlite3

    try:
        plan = reader.plan(token)
        if plan is None:
            return None
        return build_doc(plan, reader.rows(plan.id), reader.attachments(plan.id), as_of)
    except sqlite3.Error:
        return None


def format_of(path: Path, fmt: str | None) -> str:
    """The export format: given, else from the file's extension."""
    f = (fmt or path.suffix).lower().lstrip(".")
    if f not in FORMATS:
        raise UserError(
            f"Неизвестный формат «{f or path.name}». Укажите файл .docx, .xlsx или .pdf "
            "(или --format docx|xlsx|pdf)."
        )
    return f


def check_target(out: Path, fmt: str | None, opts: ExportOptions) -> str:
    """The format of an export to ``out``, once the layout and the folder are checked."""
    f = format_of(out, fmt)
    if opts.layout not in LAYOUTS:
        raise UserError(f"Неизвестный макет «{opts.layout}». Есть: {', '.join(LAYOUTS)}.")
    if not out.parent.exists():
        raise NotFound(f"Папки {out.parent} нет. Укажите существующую папку для файла.")
    return f


def write_doc(
    doc: PlanDoc,
    out: Path,
    f: str,
    opts: ExportOptions,
    progress: Progress,
    info: dict[str, Any] | None,
    data_dir: Path,
) -> int:
    """Writes ``doc`` to ``out`` in the format ``f``; returns the rows written. ``info`` (when
    given) gets ``pages``: the pages of a PDF, None for the others."""
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
        return int(
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

            log = write_exception(data_dir, exc, f"export to {out}")
            raise EnvironmentProblem(
                f"Не удаётся прочитать файл самой программы ({exc.strerror or exc}: "
                f"{os.fsdecode(exc.filename or '')}): установка cxdesk неполна или повреждена. "
                f"Переустановите программу; подробности записаны в журнал {log}."
            ) from exc
        raise UserError(
            f"Не удалось записать {out}: {exc.strerror or exc}. Проверьте место на диске и права."
        ) from exc


def _writing_fault(exc: OSError, out: Path) -> bool:
    """True when ``exc`` is about writing ``out`` (its folder, the disk), not about reading
    some other file the writer needs."""
    import errno

    if exc.filename is None:
        return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG)
    return Path(os.fsdecode(exc.filename)).resolve().parent == out.resolve().parent
