"""Commands that keep data safe: backup and restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cxdesk.cli import add_json, data_dir, emit, warn


def _shared(args: argparse.Namespace) -> bool:
    """True when a shared database is chosen (its backup is a pg_dump file)."""
    from cxdesk.storage.db import resolve_url

    return resolve_url(getattr(args, "db", None)).startswith("postgres")


def cmd_backup(args: argparse.Namespace) -> int:
    from cxdesk.services.backup import make_backup

    if _shared(args):
        from cxdesk.commands.shared import shared_backup

        path = shared_backup(args, args.output)
        emit(args, {"path": str(path)}, f"Резервная копия общей базы: {path}")
        return 0
    skipped: list[str] = []
    path = make_backup(data_dir(args), Path(args.output) if args.output else None, skipped)
    for line in skipped:
        warn(line)
    payload: dict[str, Any] = {"path": str(path)}
    if skipped:
        payload["left_out"] = skipped
    emit(args, payload, f"Резервная копия: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cxdesk.services.backup import restore_backup
    from cxdesk.storage.db import Store

    if _shared(args):
        from cxdesk.commands.shared import shared_restore

        kept = shared_restore(args, Path(args.file))
        emit(args, {"path": str(Path(args.file)), "previous": str(kept)},
             f"Общая база восстановлена из {args.file}. Прежнее состояние: {kept}")  # fmt: skip
        return 0
    folder = data_dir(args)
    kept = restore_backup(folder, Path(args.file))
    Store(folder).close()  # brings an older backup's schema up to date
    emit(args, {"path": str(Path(args.file)), "previous": str(kept)},
         f"Восстановлено из {args.file}. Прежнее состояние сохранено: {kept}")  # fmt: skip
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from cxdesk.services.backup import list_backups

    found = list_backups(data_dir(args))
    emit(args, [str(p) for p in found], lambda: "\n".join(str(p) for p in found) or "Копий нет.")
    return 0


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser("backup", help="резервная копия базы и вложений")
    p.add_argument("-o", "--output", metavar="FILE")
    add_json(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="восстановить из резервной копии")
    p.add_argument("file")
    add_json(p)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("backups", help="список резервных копий")
    add_json(p)
    p.set_defaults(handler=cmd_backups)
