"""The one-file package (.cxplan): the plan, its answers, history and attachments, to send."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from cxdesk import __version__
from cxdesk.errors import UserError
from cxdesk.progress import NO_PROGRESS, Progress
from cxdesk.services.common import find_plan, now
from cxdesk.services.documents import plan_doc_in
from cxdesk.services.exchange_points import mark_exchange
from cxdesk.storage.db import Store
from cxdesk.storage.models import History
from cxdesk.storage.models import Row as StoredRow


def pack_plan(
    store: Store, plan_token: str | int, out: Path, progress: Progress = NO_PROGRESS
) -> tuple[Path, int, int]:
    """Writes the package; returns (path, items, attachments)."""
    from cxdesk.io.package import write_package

    out = Path(out)
    if out.suffix.lower() != ".cxplan":
        out = out.with_name(out.name + ".cxplan")
    if not out.parent.exists():
        raise UserError(f"Папки {out.parent} нет. Укажите существующую папку для пакета.")
    with store.session() as s:
        plan = find_plan(s, plan_token)
        doc = plan_doc_in(s, plan)
        uid_of = dict(
            s.execute(select(StoredRow.id, StoredRow.uid).where(StoredRow.plan_id == plan.id)).all()
        )
        entries = s.scalars(select(History).where(History.plan_id == plan.id).order_by(History.id))
        history: list[dict[str, Any]] = [
            {"row_uid": uid_of.get(h.row_id) if h.row_id else None, "at": h.at, "user": h.user,
             "field": h.field, "old": h.old, "new": h.new, "note": h.note}
            for h in entries
        ]  # fmt: skip
        files: dict[str, Path] = {}
        for r in doc.rows:
            for a in r.attachments:
                path = store.blobs.path(a.sha256)
                if not path.is_file():
                    raise UserError(
                        f"Файл «{a.name}» пункта {r.number} отсутствует в хранилище. Запустите "
                        "проверку (cxdesk check) и восстановите его, затем соберите пакет снова."
                    )
                files[a.sha256] = path
        sent_at = now()
        exchange = {"app": f"cxdesk {__version__}", "sent_at": sent_at, "base": plan.synced_at}
        write_package(doc, history, files, out, exchange, progress)
        mark_exchange(s, plan, sent_at, out.name)
        items = sum(1 for r in doc.rows if r.kind == "item")
        attachments = sum(len(r.attachments) for r in doc.rows)
    return out, items, attachments
