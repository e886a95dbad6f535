"""Import: a docx, xlsx, odt, ods, csv (doc, xls, rtf through LibreOffice) or .cxplan file read
into a whole new plan, or nothing.

The readers in cxdesk/io find the table and say what they guessed; here the rows are matched to
their typical template (refs), and the plan is stored in one transaction with its history and,
for a package, its attachments (every hash verified before anything is stored).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.form import form_from_doc
from cxdesk.domain.templates import get_template
from cxdesk.errors import BadFile, NotFound, UserError
from cxdesk.io.model import PlanDoc, ReadResult
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import Changes, new_uid, now, os_user
from cxdesk.services.matching import match_template
from cxdesk.services.plans import stored_values
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Plan
from cxdesk.storage.models import Row as StoredRow

SUPPORTED = (".docx", ".xlsx", ".cxplan", ".odt", ".ods", ".csv", ".doc", ".xls", ".rtf")
#: Formats converted through LibreOffice first (see cxdesk.io.convert).
CONVERTED = (".doc", ".xls", ".rtf")


@dataclass
class Incoming:
    """A file read and understood, not yet stored."""

    path: Path
    doc: PlanDoc
    warnings: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # sha256 → extracted file
    exchange: dict[str, Any] = field(default_factory=dict)
    is_package: bool = False
    tmp_dir: Path | None = None

    def __post_init__(self) -> None:
        from cxdesk.textsafe import clean_incoming

        clean_incoming(self)  # the one boundary for text from outside

    def cleanup(self) -> None:
        if self.tmp_dir is not None:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
            self.tmp_dir = None

    def items(self) -> int:
        return sum(1 for r in self.doc.rows if r.kind == "item")


@dataclass
class ImportOutcome:
    """What an import did (or, dry, would do)."""

    plan_id: int | None
    items: int
    warnings: list[str]
    doc: PlanDoc

    @property
    def changes(self) -> Changes:
        """A new plan in the list (nothing, for a dry run)."""
        if self.plan_id is None:
            return Changes()
        return Changes({self.plan_id}, structure=True, history=True, plans_list=True)


def read_incoming(store: Store, path: Path, progress: Progress = NO_PROGRESS) -> Incoming:
    """Reads a file of any supported kind; raises BadFile with what to do when it cannot."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"Файл не найден: {path}. Проверьте путь и имя файла.")
    if not path.is_file():
        raise BadFile(f"«{path}» — не файл. Укажите файл .docx, .xlsx или .cxplan.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise BadFile(
            f"Формат файла «{path.name}» не поддерживается. Загрузите план в .docx, .xlsx, "
            ".odt, .ods, .csv (или .doc, .xls, .rtf, если установлен LibreOffice) либо пакет "
            ".cxplan."
        )
    progress.set_status(f"Чтение «{path.name}»")
    if suffix == ".cxplan":
        from cxdesk.io.package import read_package

        tmp = Path(tempfile.mkdtemp(prefix=f"in-{os.getpid()}-", dir=_tmp_root(store)))
        try:
            got = read_package(path, tmp, progress)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return Incoming(
            path, got.plan, [], list(got.history), dict(got.files), dict(got.exchange), True, tmp
        )
    if suffix in CONVERTED:
        from cxdesk.io.convert import convert

        progress.set_status(f"Преобразование «{path.name}» через LibreOffice")
        tmp = Path(tempfile.mkdtemp(prefix="in-", dir=_tmp_root(store)))
        try:
            converted = convert(path, tmp)
            try:
                result = _read_with(converted.suffix, converted, progress)
            except BadFile as exc:
                raise BadFile(
                    f"{exc} (Файл «{path.name}» был преобразован LibreOffice в {converted.suffix}.)"
                ) from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        result.warnings.insert(
            0, f"Файл «{path.name}» преобразован через LibreOffice в {converted.suffix}."
        )
    else:
        result = _read_with(suffix, path, progress)
    incoming = Incoming(path, result.plan, list(result.warnings))
    _apply_matching(incoming)
    return incoming


#: What an import or a merge takes: a file's path, or the file already read (the preview's
#: :class:`Incoming`, so that a file is parsed once however many steps it goes through).
Source = Path | Incoming


@contextmanager
def incoming_of(
    store: Store, source: Source, progress: Progress = NO_PROGRESS
) -> Iterator[Incoming]:
    """The file ``source`` names, read (once): a path is read here and its temporary files
    removed afterwards; an :class:`Incoming` already read is used as it is and left to its
    owner, who removes its files when the user is done with it (:meth:`Incoming.cleanup`)."""
    if isinstance(source, Incoming):
        if source.tmp_dir is None and source.is_package:
            raise BadFile(
                f"Файл «{source.path.name}» уже закрыт. Откройте его ещё раз (Файл → Открыть)."
            )
        yield source
        return
    incoming = read_incoming(store, Path(source), progress)
    try:
        yield incoming
    finally:
        incoming.cleanup()


def _reader(suffix: str) -> Callable[[Path, Progress], ReadResult]:
    """The reader of a format, imported by name when first needed (visible to packagers)."""
    if suffix == ".docx":
        from cxdesk.io.docx_reader import read_docx

        return read_docx
    if suffix == ".xlsx":
        from cxdesk.io.xlsx_reader import read_xlsx

        return read_xlsx
    if suffix == ".odt":
        from cxdesk.io.odf_reader import read_odt

        return read_odt
    if suffix == ".ods":
        from cxdesk.io.odf_reader import read_ods

        return read_ods
    from cxdesk.io.csv_reader import read_csv

    return read_csv


def _read_with(suffix: str, path: Path, progress: Progress) -> ReadResult:
    return _reader(suffix)(path, progress)


def _tmp_root(store: Store) -> Path:
    root = Path(store.blobs.root) / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _apply_matching(incoming: Incoming) -> None:
    doc = incoming.doc
    if not any(r.kind == "item" for r in doc.rows):
        raise BadFile(
            f"В файле «{incoming.path.name}» не найдено ни одного мероприятия. Проверьте, что "
            "в нём есть таблица плана со столбцом «Мероприятие»."
        )
    if any(r.ref for r in doc.rows):
        return  # our own export: the refs came with the identity part
    match = match_template(doc)
    if not match.template_id:
        incoming.warnings.append(
            "План не похож ни на один типовой план: пункты загружены без связи с шаблоном."
        )
        return
    doc.template_id = match.template_id
    doc.template_version = get_template(match.template_id).version
    for i, ref in match.refs.items():
        doc.rows[i].ref = ref
    if match.unmatched:
        numbers = ", ".join(doc.rows[i].number or f"строка {i + 1}" for i in match.unmatched[:30])
        more = f" и ещё {len(match.unmatched) - 30}" if len(match.unmatched) > 30 else ""
        incoming.warnings.append(
            f"Не сопоставлены с типовым планом «{match.template_id}» пункты: {numbers}{more}."
        )


def _depths(doc: PlanDoc) -> list[int]:
    out = []
    block = section = False
    for r in doc.rows:
        if r.kind == "block":
            block, section = True, False
            out.append(0)
        elif r.kind == "section":
            section = True
            out.append(1 if block else 0)
        else:
            out.append((1 if block else 0) + (1 if section else 0))
    return out


def org_from_file_name(path: Path) -> str:
    """The name a plan gets when its file names no organisation: the file's name."""
    return path.stem.replace("_", " ").strip() or "Без названия"


def exchange_point(incoming: Incoming) -> str:
    """The moment the incoming file was written by cxdesk (its exchange point), "" if foreign."""
    if incoming.is_package:
        return str(incoming.exchange.get("sent_at") or "")
    return incoming.doc.exchanged_at


def store_incoming(s: Session, incoming: Incoming, store: Store) -> Plan:
    """Stores a read file as a new plan inside the caller's transaction."""
    doc = incoming.doc
    taken_plan = doc.uid and s.scalars(select(Plan.id).where(Plan.uid == doc.uid)).first()
    if taken_plan:
        incoming.warnings.append(
            f"Этот план уже есть (план {taken_plan}): загружена его копия. Чтобы перенести "
            f"изменения в существующий план, объедините файл с ним (--into {taken_plan})."
        )
    stamp = now()
    org = doc.org.strip()
    if not org:
        org = org_from_file_name(incoming.path)
        incoming.warnings.append(
            f"В файле не указана организация: план назван по имени файла «{org}». "
            "Исправьте название в свойствах плана (План → Свойства плана…)."
        )
    plan = Plan(
        uid=new_uid() if (taken_plan or not doc.uid) else doc.uid,
        template_id=doc.template_id,
        template_version=doc.template_version,
        org=org,
        title=doc.title,
        approver_position=doc.approver_position,
        approver_name=doc.approver_name,
        approval_date=doc.approval_date,
        signature=doc.signature,
        executor=doc.executor,
        answers=json.dumps(doc.answers or {}, ensure_ascii=False, sort_keys=True),
        done_refs="[]",
        auto_number=False,
        numbering="dotted",
        source=f"файл «{incoming.path.name}»",
        columns=json.dumps([[c.key, c.heading] for c in doc.columns], ensure_ascii=False),
        form=form_from_doc(doc).to_json(),  # the whole printed form of the file
        created_at=stamp,
        updated_at=stamp,
        synced_at=exchange_point(incoming) or stamp,
    )
    s.add(plan)
    s.flush()
    uids = [r.uid for r in doc.rows if r.uid]
    clash = bool(uids) and (
        taken_plan
        or len(set(uids)) != len(uids)
        or s.scalars(select(StoredRow.id).where(StoredRow.uid.in_(uids[:500]))).first()
    )
    rows: list[StoredRow] = []
    by_uid: dict[str, StoredRow] = {}
    for i, (r, depth) in enumerate(zip(doc.rows, _depths(doc), strict=True)):
        row = StoredRow(
            uid=new_uid() if (clash or not r.uid) else r.uid,
            plan_id=plan.id, position=i, depth=depth, kind=r.kind, ref=r.ref,
            number=r.number, **stored_values(r),
        )  # fmt: skip
        rows.append(row)
        if r.uid:
            by_uid[r.uid] = row
    s.add_all(rows)
    s.flush()
    user = os_user()
    note = f"загружено из файла «{incoming.path.name}»"
    if incoming.history:
        for h in incoming.history:
            target = by_uid.get(str(h.get("row_uid") or ""))
            s.add(
                History(
                    plan_id=plan.id,
                    row_id=target.id if target else None,
                    at=str(h.get("at", "")),
                    user=str(h.get("user", "")),
                    field=str(h.get("field", ""))[:40],
                    old=str(h.get("old", "")),
                    new=str(h.get("new", "")),
                    note=str(h.get("note", "")),
                )  # fmt: skip
            )
    for row in rows:
        if row.kind == "item":
            s.add(History(plan_id=plan.id, row_id=row.id, at=stamp, user=user,
                          field="imported", old="", new=row.status, note=note))  # fmt: skip
    for r, row in zip(doc.rows, rows, strict=True):
        for a in r.attachments:
            if incoming.is_package and a.sha256 in incoming.files:
                sha, size = store.blobs.put(incoming.files[a.sha256])
                s.add(Attachment(uid=new_uid(), row_id=row.id, name=a.name, size=size,
                                 sha256=sha, added_at=a.added or stamp))  # fmt: skip
    return plan


def import_file(
    store: Store,
    path: Source,
    progress: Progress = NO_PROGRESS,
    dry_run: bool = False,
    org: str | None = None,
) -> ImportOutcome:
    """Imports a file as a new plan (whole or nothing); ``dry_run`` only reads and reports.

    ``path`` is the file, or the preview's :class:`Incoming` (then it is not read again).
    ``org`` names the organisation when the user corrected what was read (the preview's field,
    ``import --org``).
    """
    with incoming_of(store, path, progress) as incoming:
        return _import(store, incoming, progress, dry_run, org)


def _import(
    store: Store, incoming: Incoming, progress: Progress, dry_run: bool, org: str | None
) -> ImportOutcome:
    if org is not None and org.strip():
        incoming.doc.org = " ".join(org.split())
    try:
        if dry_run:
            return ImportOutcome(None, incoming.items(), incoming.warnings, incoming.doc)
        progress.set_status("Сохранение плана")
        with store.session() as s:
            plan = store_incoming(s, incoming, store)
            s.flush()
            plan_id = plan.id
        progress.set_value(1.0)
        return ImportOutcome(plan_id, incoming.items(), incoming.warnings, incoming.doc)
    except OSError as exc:
        raise UserError(f"Не удалось сохранить план: {exc.strerror or exc}.") from exc
