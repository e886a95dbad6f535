"""Commands of a shared database: db-setup, db-grant, migrate-to (and the shared backup)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cxdesk.cli import add_json, data_dir, emit
from cxdesk.errors import UserError


def shared_store(args: argparse.Namespace) -> Any:
    """The shared database of ``--db``/``CXDESK_DB`` (an error when none is given)."""
    from cxdesk.storage.db import Store, resolve_url

    url = resolve_url(getattr(args, "db", None))
    if not url.startswith("postgres"):
        raise UserError(
            "Не указана общая база: добавьте --db postgresql://пользователь@сервер/база или "
            "задайте переменную CXDESK_DB."
        )
    return Store(data_dir(args), url=url)


def cmd_db_setup(args: argparse.Namespace) -> int:
    from cxdesk.storage import pg_roles

    store = shared_store(args)
    pg_roles.setup(store.engine)
    roles = ", ".join(pg_roles.ROLES.values())
    emit(
        args,
        {"database": store.label, "roles": list(pg_roles.ROLES.values())},
        f"Общая база {store.label} готова: схема обновлена, роли {roles} и правила доступа "
        "созданы. Людей добавляет cxdesk db-grant РОЛЬ ИМЯ_ВХОДА --person «Фамилия И.О.».",
    )
    return 0


def cmd_db_grant(args: argparse.Namespace) -> int:
    from cxdesk.storage import pg_roles

    store = shared_store(args)
    pg_roles.grant(store.engine, args.role, args.login, args.person or "", args.password or "")
    emit(
        args,
        {"login": args.login, "role": args.role, "person": args.person or ""},
        f"{args.login}: роль {args.role}" + (f" ({args.person})" if args.person else ""),
    )
    return 0


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from cxdesk.progress import NO_PROGRESS
    from cxdesk.services.moving import migrate_to
    from cxdesk.storage.db import Store

    folder = data_dir(args)
    source = Store(folder, url=f"sqlite:///{folder / 'cxdesk.sqlite3'}")
    target = Store(folder, url=args.url)
    if target.kind != "postgresql":
        raise UserError("Укажите адрес общей базы: cxdesk migrate-to postgresql://…")
    report = migrate_to(source, target, NO_PROGRESS)
    payload = {
        "plans": report.plans,
        "rows": report.rows,
        "history": report.history,
        "attachments": report.attachments,
        "files": report.files,
        "problems": report.problems,
        "database": target.label,
    }
    text = (
        f"Перенесено в {target.label}: планов {report.plans}, строк {report.rows}, записей "
        f"истории {report.history}, вложений {report.attachments} (файлов {report.files}). "
        + ("Проверка: всё на месте." if report.ok else "Расхождения: " + "; ".join(report.problems))
    )
    emit(args, payload, text)
    return 0 if report.ok else 1


def shared_backup(args: argparse.Namespace, output: str | None) -> Path:
    """``backup`` on a shared database: one pg_dump file (the attachments are inside)."""
    from cxdesk.services.shared_backup import backup_store

    store = shared_store(args)
    try:
        return backup_store(store, Path(output) if output else None)
    finally:
        store.close()


def shared_restore(args: argparse.Namespace, source: Path) -> Path:
    """``restore`` on a shared database: the current state is dumped first, then replaced."""
    from cxdesk.services.shared_backup import restore_store

    store = shared_store(args)
    try:
        return restore_store(store, source)
    finally:
        store.close()


def register(sub: Any) -> None:
    """Adds this module's commands."""
    p = sub.add_parser("db-setup", help="подготовить общую базу: схема, роли, правила доступа")
    add_json(p)
    p.set_defaults(handler=cmd_db_setup)

    p = sub.add_parser("db-grant", help="дать человеку роль в общей базе")
    p.add_argument("role", choices=("coordinator", "executor", "viewer"))
    p.add_argument("login", help="имя входа (роль PostgreSQL)")
    p.add_argument("--person", help="как человек записан в графе «Ответственный»")
    p.add_argument("--password", help="пароль входа (иначе задаёт администратор сервера)")
    add_json(p)
    p.set_defaults(handler=cmd_db_grant)

    p = sub.add_parser("migrate-to", help="перенести папку данных в общую базу")
    p.add_argument("url", help="postgresql://пользователь@сервер/база")
    add_json(p)
    p.set_defaults(handler=cmd_migrate_to)
