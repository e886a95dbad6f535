"""Moving a local data folder into a shared database, and checking that everything arrived.

``migrate_to`` copies every plan of the folder's SQLite database, with its rows, history and
attachments (the files streamed into the database's own store), into a shared database, in one
transaction for the records: a plan is there whole or not at all. Ids are the target's own (other
bodies' plans may be there already); uids stay, so a plan already moved is refused rather than
doubled. Then every plan is compared field by field, count by count, and every file by sha256.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, select

from cxdesk.errors import UserError
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Plan, Row

_PLANS: Table = Plan.__table__  # type: ignore[assignment]
_ROWS: Table = Row.__table__  # type: ignore[assignment]
_HISTORY: Table = History.__table__  # type: ignore[assignment]
_ATTACHMENTS: Table = Attachment.__table__  # type: ignore[assignment]


@dataclass
class MoveReport:
    """What moved and what the check found (``problems`` empty: everything arrived)."""

    plans: int = 0
    rows: int = 0
    history: int = 0
    attachments: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _values(row: Any, table: Table, skip: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    return {c.name: row._mapping[c.name] for c in table.columns if c.name not in skip}


def migrate_to(source: Store, target: Store, progress: Progress = NO_PROGRESS) -> MoveReport:
    """Copies all plans of ``source`` into ``target`` and checks them (see the module)."""
    if source.kind != "sqlite" or target.kind == "sqlite":
        raise UserError(
            "Перенос идёт из папки данных (SQLite) в общую базу: укажите адрес postgresql://…"
        )
    report = MoveReport()
    with source.session() as s:
        plans = list(s.execute(select(_PLANS).order_by(_PLANS.c.id)))
        uids = [p.uid for p in plans]
        shas = sorted(set(s.execute(select(_ATTACHMENTS.c.sha256)).scalars()))
    with target.session() as t:
        there = set(t.execute(select(_PLANS.c.uid).where(_PLANS.c.uid.in_(uids))).scalars())
    if there:
        raise UserError(
            f"В общей базе уже есть {len(there)} из планов этой папки (перенос уже был?). "
            "Ничего не перенесено; удалите их там или переносите другую папку."
        )
    progress.set_status("Перенос файлов вложений")
    for n, sha in enumerate(shas, 1):
        path = source.blobs.path(sha)
        if not path.is_file():
            report.problems.append(f"файл {sha[:12]}… отсутствует в папке данных")
            continue
        got, _size = target.blobs.put(path)
        if got != sha:
            report.problems.append(f"файл {sha[:12]}… изменён после сохранения")
        report.files += 1
        progress.set_value(n / max(1, len(shas)) / 2)
        progress.check()
    if report.problems:
        raise UserError(
            "Перенос не начат: " + "; ".join(report.problems[:5]) + ". Запустите cxdesk check "
            "и восстановите файлы из резервной копии."
        )
    progress.set_status("Перенос планов")
    with source.session() as s, target.session() as t:
        for n, plan in enumerate(plans, 1):
            _move_plan(s, t, plan, report)
            progress.set_value(0.5 + n / max(1, len(plans)) / 2)
            progress.check()
    report.problems = verify_moved(source, target, uids)
    return report


def _move_plan(s: Any, t: Any, plan: Any, report: MoveReport) -> None:
    new_plan = t.execute(_PLANS.insert().values(**_values(plan, _PLANS))).inserted_primary_key[0]
    row_ids: dict[int, int] = {}
    for r in s.execute(select(_ROWS).where(_ROWS.c.plan_id == plan.id).order_by(_ROWS.c.id)):
        values = _values(r, _ROWS) | {"plan_id": new_plan}
        row_ids[r.id] = t.execute(_ROWS.insert().values(**values)).inserted_primary_key[0]
        report.rows += 1
    entries = s.execute(
        select(_HISTORY).where(_HISTORY.c.plan_id == plan.id).order_by(_HISTORY.c.id)
    )
    batch = []
    for h in entries:
        batch.append(_values(h, _HISTORY) | {"plan_id": new_plan, "row_id": row_ids.get(h.row_id)})
        report.history += 1
    if batch:
        t.execute(_HISTORY.insert(), batch)
    attached = s.execute(
        select(_ATTACHMENTS).where(_ATTACHMENTS.c.row_id.in_(list(row_ids) or [-1]))
    )
    for a in attached:
        t.execute(_ATTACHMENTS.insert().values(**_values(a, _ATTACHMENTS) | {
            "row_id": row_ids[a.row_id]}))  # fmt: skip
        report.attachments += 1
    report.plans += 1


def _fingerprint(session: Any, uid: str) -> dict[str, Any]:
    """A plan as comparable values: its fields, its rows, history and attachments by content."""
    plan = session.execute(select(_PLANS).where(_PLANS.c.uid == uid)).first()
    if plan is None:
        return {}
    rows = session.execute(select(_ROWS).where(_ROWS.c.plan_id == plan.id)).all()
    uid_of = {r.id: r.uid for r in rows}
    history = session.execute(
        select(_HISTORY).where(_HISTORY.c.plan_id == plan.id).order_by(_HISTORY.c.id)
    ).all()
    attachments = session.execute(
        select(_ATTACHMENTS).where(_ATTACHMENTS.c.row_id.in_(list(uid_of) or [-1]))
    ).all()
    skip = ("id", "plan_id", "row_id")
    return {
        "plan": _values(plan, _PLANS),
        "rows": sorted((sorted(_values(r, _ROWS, skip).items()) for r in rows), key=str),
        "history": [
            (uid_of.get(h.row_id), sorted(_values(h, _HISTORY, skip).items())) for h in history
        ],
        "attachments": sorted(
            (uid_of[a.row_id], sorted(_values(a, _ATTACHMENTS, skip).items())) for a in attachments
        ),
    }


def verify_moved(source: Store, target: Store, uids: list[str]) -> list[str]:
    """Every plan of ``uids`` compared between the two stores; every file by its hash."""
    problems: list[str] = []
    with source.session() as s, target.session() as t:
        for uid in uids:
            mine, theirs = _fingerprint(s, uid), _fingerprint(t, uid)
            if not theirs:
                problems.append(f"план {uid} не найден в общей базе")
                continue
            for part in ("plan", "rows", "history", "attachments"):
                if mine[part] != theirs[part]:
                    problems.append(f"план «{mine['plan']['org']}»: расходится {part}")
        shas = set(s.execute(select(_ATTACHMENTS.c.sha256)).scalars())
        count = t.execute(select(func.count()).select_from(_PLANS)).scalar_one()
    for sha in sorted(shas):
        verdict = target.blobs.verify(sha)
        if verdict:
            problems.append(f"файл {sha[:12]}… в общей базе: {verdict}")
    if count < len(uids):
        problems.append("в общей базе меньше планов, чем перенесено")
    return problems
