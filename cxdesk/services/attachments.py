"""Proof documents of an item: attach, list, open, save a copy, remove (kept in history).

A file's name is kept as it is shown (:func:`cxdesk.textsafe.neutral_name`): a name that is not
UTF-8 is decoded, bidirectional controls (``invoice\u202efdp.exe``) are removed, so the command
line, the window and every export show how it really ends. A copy saved to disk under a name too
long for the file system (most allow 255 bytes) is shortened on disk, its extension kept; the
attachment keeps its whole name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxdesk.errors import NotFound, UserError, check_input
from cxdesk.fsutil import short_name
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import Changes, find_plan, find_row, new_uid, now, record
from cxdesk.storage.db import Store
from cxdesk.storage.models import Attachment, Row
from cxdesk.textsafe import neutral_name


@dataclass
class AttachmentView:
    """An attached file as the views show it."""

    id: int
    name: str
    size: int
    sha256: str
    added: str
    row_id: int


@dataclass(frozen=True)
class Attached:
    """What :func:`attach_files` did: the files now linked to the item, and what changed."""

    files: list[AttachmentView]
    changes: Changes


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(a.id, neutral_name(a.name), a.size, a.sha256, a.added_at, a.row_id)


def attach_files(
    store: Store,
    plan_token: str | int,
    item_token: str | int,
    paths: Sequence[Path],
    progress: Progress = NO_PROGRESS,
) -> Attached:
    """Copies files into the store and links them to the item, all or none."""
    files = [Path(p) for p in paths]
    if not files:
        raise UserError("Не указаны файлы для прикрепления.")
    for f in files:
        check_input(f)
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        if row.kind != "item":
            raise UserError(f"Строка «{row.number}» — заголовок; документы прикрепляют к пункту.")
        plan_id, row_id = plan.id, row.id
    total = sum(f.stat().st_size for f in files) or 1
    done_before = 0
    stored: list[tuple[Path, str, int]] = []
    for f in files:
        progress.set_status(f"Копирование «{neutral_name(f.name)}»")
        base = done_before

        def on_bytes(n: int, b: int = base) -> None:
            progress.set_value((b + n) / total)

        sha, size = store.blobs.put(f, on_bytes)
        done_before += size
        stored.append((f, sha, size))
        progress.check()
    out = []
    with store.session() as s:
        for f, sha, size in stored:
            name = neutral_name(f.name)
            a = Attachment(
                uid=new_uid(), row_id=row_id, name=name, size=size, sha256=sha, added_at=now()
            )
            s.add(a)
            s.flush()
            record(s, plan_id, row_id, "attachment", "", name, f"добавлен файл ({size} байт)")
            out.append(_view(a))
    return Attached(out, Changes({plan_id}, {row_id}, history=True))


def list_attachments(
    store: Store, plan_token: str | int, item_token: str | int
) -> list[AttachmentView]:
    """The item's current attachments, oldest first."""
    with store.session() as s:
        plan = find_plan(s, plan_token)
        row = find_row(s, plan, item_token)
        q = (
            select(Attachment)
            .where(Attachment.row_id == row.id, Attachment.removed_at.is_(None))
            .order_by(Attachment.id)
        )
        return [_view(a) for a in s.scalars(q)]


def _get(s: Session, attachment_id: int) -> Attachment:
    a = s.get(Attachment, attachment_id)
    if a is None:
        raise NotFound(f"Нет вложения {attachment_id}.")
    return a


def remove_attachment(store: Store, attachment_id: int, note: str = "") -> Changes:
    """Unlinks an attachment; the removal is kept in the history and can be undone."""
    with store.session() as s:
        a = _get(s, attachment_id)
        row = s.get(Row, a.row_id)
        assert row is not None
        a.removed_at = now()
        record(s, row.plan_id, row.id, "attachment", a.name, "", note or "файл удалён")
        return Changes({row.plan_id}, {row.id}, history=True, plans_list=True)


def restore_attachment(store: Store, attachment_id: int) -> Changes:
    """Links a removed attachment again (the undo of :func:`remove_attachment`)."""
    with store.session() as s:
        a = _get(s, attachment_id)
        row = s.get(Row, a.row_id)
        assert row is not None
        a.removed_at = None
        record(s, row.plan_id, row.id, "attachment", "", a.name, "удаление отменено")
        return Changes({row.plan_id}, {row.id}, history=True, plans_list=True)


def stored_path(store: Store, attachment_id: int) -> Path:
    """The stored file of an attachment (to open it with the system's program, read-only)."""
    with store.session() as s:
        a = _get(s, attachment_id)
        path = store.blobs.path(a.sha256)
    if not path.is_file():
        raise NotFound(
            f"Файл «{neutral_name(a.name)}» отсутствует в хранилище. Запустите проверку (Сервис → "
            "Проверка данных или cxdesk check) и восстановите его из резервной копии."
        )
    return Path(path)


def save_copy(store: Store, attachment_id: int, dest: Path) -> Path:
    """Saves a copy of an attachment elsewhere under the given name (shortened on disk when the
    file system cannot hold it whole)."""
    with store.session() as s:
        sha = _get(s, attachment_id).sha256
    dest = Path(dest)
    return Path(store.blobs.copy_out(sha, dest.with_name(short_name(dest.name, 240))))
