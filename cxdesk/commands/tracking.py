"""Commands of tracking: attach, attachments, check (and the tracking views of ``due``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from cxdesk.cli import add_json, emit, open_store
from cxdesk.progress import Progress


class ConsoleProgress(Progress):
    """Prints progress of long work to stderr when it is a terminal (never in --json output)."""

    def __init__(self, enabled: bool) -> None:
        super().__init__()
        self.enabled = enabled and sys.stderr.isatty()
        self._last = -1

    def report(self) -> None:
        if not self.enabled:
            return
        pct = int(self.value * 100)
        if pct != self._last:
            self._last = pct
            sys.stderr.write(f"\r{pct:3d}% {self.status[:60]:<60}")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled and self._last >= 0:
            sys.stderr.write("\r" + " " * 66 + "\r")


def _size(n: int) -> str:
    for unit in ("байт", "КБ", "МБ", "ГБ"):
        if n < 1024 or unit == "ГБ":
            return f"{n:.0f} {unit}" if unit == "байт" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def cmd_attach(args: argparse.Namespace) -> int:
    from cxdesk.services.attachments import attach_files

    progress = ConsoleProgress(not args.json)
    try:
        got = attach_files(
            open_store(args), args.plan, args.item, [Path(f) for f in args.files], progress
        ).files
    finally:
        progress.finish()
    data = [{"id": a.id, "name": a.name, "size": a.size, "sha256": a.sha256} for a in got]
    emit(args, data, lambda: "\n".join(f"Прикреплён «{a.name}» ({_size(a.size)})" for a in got))
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    from cxdesk.services.attachments import list_attachments

    got = list_attachments(open_store(args), args.plan, args.item)
    data = [
        {"id": a.id, "name": a.name, "size": a.size, "sha256": a.sha256, "added": a.added}
        for a in got
    ]
    emit(
        args,
        data,
        lambda: (
            "\n".join(f"{a.id:>5}  {a.added}  {_size(a.size):>10}  {a.name}" for a in got)
            or "Вложений нет."
        ),
    )
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    from cxdesk.services.attachments import remove_attachment

    remove_attachment(open_store(args), args.attachment, args.comment or "")
    emit(args, {"id": args.attachment}, f"Вложение {args.attachment} убрано (видно в истории).")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from cxdesk.cli import data_dir
    from cxdesk.services.check import check_data
    from cxdesk.services.leftovers import check_folder

    progress = ConsoleProgress(not args.json)
    shared = bool(getattr(args, "db", None) or os.environ.get("CXDESK_DB"))
    report = check_folder(data_dir(args), not shared)  # before the store: a lost database
    try:
        if report.ok:
            found = report.leftovers
            report = check_data(open_store(args), progress)
            report.leftovers += found
    finally:
        progress.finish()
    data = {
        "ok": report.ok,
        "problems": [
            {"kind": p.kind, "plan": p.plan, "item": p.item, "name": p.name,
             "detail": p.detail, "fix": p.fix}
            for p in report.problems
        ],
    }  # fmt: skip
    if report.leftovers:
        data["leftovers"] = report.leftovers  # temporaries of interrupted runs, now removed

    def text() -> str:
        tail = (
            f"\nУдалено временных файлов прерванных операций: {report.leftovers}."
            if report.leftovers
            else ""
        )
        if report.ok:
            return f"Проверка пройдена: база цела, файлов проверено {report.files_checked}.{tail}"
        return "\n".join(f"- {p.detail}; {p.fix}" for p in report.problems) + tail

    emit(args, data, text)
    return 0 if report.ok else 1


def cmd_due(args: argparse.Namespace) -> int:
    from cxdesk.commands.plans import row_json
    from cxdesk.services.views import TRACKING_VIEWS, get_plan, tracking_rows

    plan = get_plan(open_store(args), args.plan)
    rows = tracking_rows(plan, args.view, args.responsible or "")
    data: list[dict[str, Any]] = [row_json(r) for r in rows]
    emit(
        args,
        data,
        lambda: (
            f"{TRACKING_VIEWS[args.view]}: {len(rows)}\n"
            + "\n".join(f"{r.number} {r.title} [{r.deadline}] — {r.responsible}" for r in rows)
        ),
    )
    return 0


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser("attach", help="прикрепить файлы к пункту")
    p.add_argument("plan")
    p.add_argument("item")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_json(p)
    p.set_defaults(handler=cmd_attach)

    p = sub.add_parser("attachments", help="вложения пункта")
    p.add_argument("plan")
    p.add_argument("item")
    add_json(p)
    p.set_defaults(handler=cmd_attachments)

    p = sub.add_parser("detach", help="убрать вложение у пункта (id — из attachments)")
    p.add_argument("attachment", type=int, metavar="ID")
    p.add_argument("--comment", help="комментарий к изменению (в истории)")
    add_json(p)
    p.set_defaults(handler=cmd_detach)

    p = sub.add_parser("check", help="проверить базу и все вложения")
    add_json(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("due", help="просроченные, ближайшие сроки, выполнено без документа")
    p.add_argument("plan")
    p.add_argument("--view", default="overdue", choices=["all", "overdue", "upcoming", "no_proof"])
    p.add_argument("--responsible", help="только пункты этого ответственного")
    add_json(p)
    p.set_defaults(handler=cmd_due)
