"""Sending a plan by email: the attachment (package or export) made in the outbox folder of the
data folder, then handed to the mail program (see cxdesk/services/mail.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxdesk.errors import UserError
from cxdesk.services.documents import suggest_file_name
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store


def mail_plan(
    store: Store, plan_token: str | int, fmt: str = "cxplan", to: str = "", eml: Path | None = None
) -> Any:
    """Makes the attachment and opens a new message with it; returns the mail result."""
    from cxdesk.services.mail import send_by_mail

    if fmt not in ("cxplan", "docx", "xlsx", "pdf"):
        raise UserError(f"Неизвестный формат «{fmt}»: cxplan, docx, xlsx или pdf.")
    plan = get_plan(store, plan_token)
    outbox = store.data_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / suggest_file_name(plan.org or f"План {plan.id}", fmt)
    if fmt == "cxplan":
        from cxdesk.services.packing import pack_plan

        target, _, _ = pack_plan(store, plan.id, target)
    else:
        from cxdesk.services.documents import export_plan

        target, _ = export_plan(store, plan.id, target, fmt)
    subject = f"План мероприятий: {plan.org}" if plan.org else ""
    return send_by_mail(target, to=to, subject=subject, eml_out=eml, open_draft=eml is None)
