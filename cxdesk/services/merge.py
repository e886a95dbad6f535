"""Merge a colleague's updated file into a plan, item by item and field by field.

Rows are matched by identity (our own files), else by template ref, else by number and wording.
A field is a *conflict* when both sides changed it since the exchange point the file grew from
(:mod:`cxdesk.services.exchange_points`: the export or package it came from, else the plan's last
exchange): ours when our value then differs from our value now, theirs when the file's value
differs from our value then. A change made before the export reached the file and is no
conflict. The user accepts all or some changes;
the merge is one transaction, recorded in the history «из файла …», and can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.domain.item_fields import ITEM_FIELDS, STATUSES
from cxdesk.io.model import Row as DocRow
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import Changes, find_plan, new_uid, now, record
from cxdesk.services.exchange_points import exchange_base, value_at
from cxdesk.services.importing import Incoming, Source, incoming_of
from cxdesk.services.matching import normalize
from cxdesk.services.plans import due_iso, stored_values
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, History, Plan
from cxdesk.storage.models import Row as StoredRow

#: The fields a merge compares and carries: every field of an item.
MERGE_FIELDS = ITEM_FIELDS


@dataclass
class Difference:
    """One difference: a changed field, an added item, or a new attachment."""

    index: int  # its position in the list, which the user accepts by
    kind: str  # field | added | attachment
    item: str  # the item's number, as the user sees it
    field: str
    old: str
    new: str
    conflict: bool = False
    row_id: int | None = None
    doc_row: int | None = None  # index of the row in the incoming document
    sha256: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"item": self.item, "field": self.field, "old": self.old, "new": self.new,
                "conflict": self.conflict, "kind": self.kind}  # fmt: skip


@dataclass
class MergePreview:
    """Everything a merge would change, before anything changes."""

    plan_id: int
    source: str
    differences: list[Difference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class MergeUndo:
    """What a merge did, so that one step undoes it."""

    plan_id: int
    fields: list[tuple[int, str, str]] = field(default_factory=list)  # row id, field, old value
    added_rows: list[int] = field(default_factory=list)
    added_attachments: list[int] = field(default_factory=list)
    synced_at: str | None = None

    @property
    def changes(self) -> Changes:
        """What the merge changed, for the views to redraw: fields of these rows, and rows and
        files added anywhere in the plan (which is therefore read again whole)."""
        return Changes(
            {self.plan_id},
            {row_id for row_id, _field, _old in self.fields},
            structure=True,
            history=True,
            plans_list=True,
        )


def _match_rows(doc_rows: list[DocRow], ours: list[StoredRow]) -> dict[int, StoredRow]:
    by_uid = {r.uid: r for r in ours}
    by_ref = {r.ref: r for r in ours if r.ref}
    by_num = {(r.number.rstrip("."), normalize(r.title)): r for r in ours}
    by_title = {normalize(r.title): r for r in ours}
    used: set[int] = set()
    out: dict[int, StoredRow] = {}
    for i, d in enumerate(doc_rows):
        for cand in (
            by_uid.get(d.uid) if d.uid else None,
            by_ref.get(d.ref) if d.ref else None,
            by_num.get((d.number.rstrip("."), normalize(d.title))),
            by_title.get(normalize(d.title)) if d.kind == "item" else None,
        ):
            if cand is not None and cand.id not in used and cand.kind == d.kind:
                out[i] = cand
                used.add(cand.id)
                break
    return out


def _conflict(s: Session, row: StoredRow, name: str, old: str, new: str, base: str | None) -> bool:
    """Both sides changed the field since the exchange point ``base``: ours from our history
    (the value it had then), theirs by their value differing from that one."""
    if not base:  # never exchanged: any change of ours meets the file's difference
        q = select(History.id).where(History.row_id == row.id, History.field == name)
        return s.scalars(q.limit(1)).first() is not None
    then = value_at(s, row.id, name, base, old)
    return then != old and then != new


def _preview(s: Session, plan: Plan, incoming: Incoming) -> MergePreview:
    ours = list(
        s.scalars(
            select(StoredRow).where(StoredRow.plan_id == plan.id).order_by(StoredRow.position)
        )
    )
    matched = _match_rows(incoming.doc.rows, ours)
    if incoming.is_package:
        stamps = [str(incoming.exchange.get(k) or "") for k in ("sent_at", "base")]
    else:
        stamps = [incoming.doc.exchanged_at, incoming.doc.exchange_base]
    base = exchange_base(s, plan, stamps)
    preview = MergePreview(plan.id, incoming.path.name, warnings=list(incoming.warnings))
    diffs = preview.differences
    for i, d in enumerate(incoming.doc.rows):
        row = matched.get(i)
        if row is None:
            if d.kind == "item":
                diffs.append(
                    Difference(len(diffs), "added", d.number, "item", "", d.title, doc_row=i)
                )
            continue
        for name in MERGE_FIELDS if row.kind == "item" else ("title",):
            new = getattr(d, name) or ""
            old = getattr(row, name) or ""
            if name == "status" and new not in STATUSES:
                continue
            if new == old or (not new and name in ("status", "done_date")):
                continue
            conflict = _conflict(s, row, name, old, new, base)
            diffs.append(
                Difference(len(diffs), "field", row.number, name, old, new, conflict, row.id, i)
            )
        if incoming.is_package:
            have = set(
                s.scalars(
                    select(Attachment.sha256).where(
                        Attachment.row_id == row.id, Attachment.removed_at.is_(None)
                    )
                )
            )
            for a in d.attachments:
                if a.sha256 not in have and a.sha256 in incoming.files:
                    diffs.append(
                        Difference(
                            len(diffs),
                            "attachment",
                            row.number,
                            "attachment",
                            "",
                            a.name,
                            row_id=row.id,
                            doc_row=i,
                            sha256=a.sha256,
                        )
                    )
    return preview


def preview_merge(
    store: Store, plan_token: str | int, path: Source, progress: Progress = NO_PROGRESS
) -> MergePreview:
    """Every difference the file (or the file already read) would bring, field by field;
    changes nothing."""
    with incoming_of(store, path, progress) as incoming, store.session() as s:
        return _preview(s, find_plan(s, plan_token), incoming)


def apply_merge(
    store: Store,
    plan_token: str | int,
    path: Source,
    accept: set[int] | None = None,
    progress: Progress = NO_PROGRESS,
) -> tuple[MergePreview, MergeUndo]:
    """Applies the accepted differences (all when ``accept`` is None) in one transaction.

    ``path`` is the file, or the :class:`Incoming` its preview read (then it is not read again).
    """
    with incoming_of(store, path, progress) as incoming:
        with store.session() as s:
            plan = find_plan(s, plan_token)
            preview = _preview(s, plan, incoming)
            undo = MergeUndo(plan.id, synced_at=plan.synced_at)
            note = f"из файла «{incoming.path.name}»"
            chosen = [d for d in preview.differences if accept is None or d.index in accept]
            for d in chosen:
                if d.kind == "field" and d.row_id is not None:
                    row = s.get(StoredRow, d.row_id)
                    assert row is not None
                    record(s, plan.id, row.id, d.field, d.old, d.new, note)
                    undo.fields.append((row.id, d.field, d.old))
                    setattr(row, d.field, d.new)
                    if d.field == "deadline":
                        row.due_date = due_iso(d.new)
                elif d.kind == "attachment" and d.row_id is not None:
                    sha, size = store.blobs.put(incoming.files[d.sha256])
                    a = Attachment(
                        uid=new_uid(),
                        row_id=d.row_id,
                        name=d.new,
                        size=size,
                        sha256=sha,
                        added_at=now(),
                    )
                    s.add(a)
                    s.flush()
                    record(s, plan.id, d.row_id, "attachment", "", d.new, note)
                    undo.added_attachments.append(a.id)
            added = [d for d in chosen if d.kind == "added"]
            if added:
                _insert_rows(s, plan, incoming, added, note, undo)
            plan.synced_at = now()
            plan.updated_at = plan.synced_at
        return preview, undo


def _insert_rows(
    s: Session, plan: Plan, incoming: Incoming, added: list[Difference], note: str, undo: MergeUndo
) -> None:
    seq = list(
        s.scalars(
            select(StoredRow).where(StoredRow.plan_id == plan.id).order_by(StoredRow.position)
        )
    )
    matched = _match_rows(incoming.doc.rows, seq)
    for d in added:
        assert d.doc_row is not None
        src = incoming.doc.rows[d.doc_row]
        prev = max((j for j in matched if j < d.doc_row), default=None)
        at = seq.index(matched[prev]) + 1 if prev is not None else len(seq)
        depth = seq[at - 1].depth + (1 if seq[at - 1].kind != "item" else 0) if at else 0
        row = StoredRow(
            uid=new_uid(),
            plan_id=plan.id,
            position=0,
            depth=depth,
            kind="item",
            ref=src.ref,
            number=src.number,
            **stored_values(src),
        )
        s.add(row)
        seq.insert(at, row)
        matched[d.doc_row] = row
    for i, r in enumerate(seq):
        r.position = i
    s.flush()
    for d in added:
        assert d.doc_row is not None
        row = matched[d.doc_row]
        record(s, plan.id, row.id, "created", "", row.status, note)
        undo.added_rows.append(row.id)


def undo_merge(store: Store, undo: MergeUndo) -> Changes:
    """Takes a merge back: fields get their old values, added rows and files go."""
    with store.session() as s:
        plan = find_plan(s, undo.plan_id)
        for row_id, name, old in reversed(undo.fields):
            row = s.get(StoredRow, row_id)
            if row is not None:
                record(s, plan.id, row.id, name, getattr(row, name), old, "отмена объединения")
                setattr(row, name, old)
                if name == "deadline":
                    row.due_date = due_iso(old)
        for att_id in undo.added_attachments:
            a = s.get(Attachment, att_id)
            if a is not None:
                a.removed_at = now()
                record(s, plan.id, a.row_id, "attachment", a.name, "", "отмена объединения")
        for row_id in undo.added_rows:
            row = s.get(StoredRow, row_id)
            if row is not None:
                s.delete(row)
        plan.synced_at = undo.synced_at
        return Changes({plan.id}, structure=True, history=True, plans_list=True)
