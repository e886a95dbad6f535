"""Opening the data folder at start, and what to do when it cannot be used.

A folder that cannot be written (read-only, a full disk) is named with what to do instead. A
damaged database — or a lost one: empty or missing while the folder still holds attachments or
backups, never silently a new empty database — never crashes the start: a dialog names the
problem and offers the latest backup, another backup of the user's choice, or leaving.
Temporaries left by a run that was killed are removed first.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from cxdesk.errors import DamagedData, UserError, folder_fault
from cxdesk.paths import DB_NAME
from cxdesk.services.backup import list_backups, restore_backup

from ui import msgbox


def folder_problem(data_dir: Path) -> str:
    """What keeps cxdesk from working in the data folder (it cannot be made or written, the disk
    is full), said with what to do; empty when the folder is fine. The messages are the core's
    (:func:`cxdesk.errors.folder_fault`), the same as the command line's."""
    problem = folder_fault(data_dir)
    if problem is not None:
        return problem.message
    db = data_dir / DB_NAME
    if db.exists() and not os.access(db, os.W_OK):
        return (
            f"Файл базы данных {db} защищён от записи: cxdesk не сможет сохранять изменения. "
            "Снимите с файла атрибут «Только чтение» (Свойства файла) или попросите "
            "администратора дать вам право записи, затем запустите cxdesk снова."
        )
    return ""


def backup_label(path: Path) -> str:
    """«копия от 23.11.2026 09:14» for a backup file."""
    moment = datetime.fromtimestamp(path.stat().st_mtime)
    return f"копия от {moment:%d.%m.%Y %H:%M} ({path.name})"


def _open(data_dir: Path) -> tuple[Any, str, bool]:
    """(store, problem, damaged): a damaged or lost database (empty or missing beside
    attachments and backups) is ``damaged`` — the one case to offer a backup."""
    from cxdesk.fsutil import journal_dir, use_journal
    from cxdesk.services.leftovers import remove_leftovers
    from cxdesk.storage.db import Store

    remove_leftovers(data_dir)  # temporaries of a run that was killed
    use_journal(journal_dir(data_dir))
    try:
        store = Store(data_dir)
    except DamagedData as exc:
        return None, exc.message, True
    except UserError as exc:
        return None, exc.message, False
    if not store.quick_check():
        store.close()
        return None, f"База данных {data_dir / DB_NAME} повреждена.", True
    return store, "", False


def ask_recovery(parent: QWidget | None, problem: str, backups: list[Path]) -> Path | None:
    """The dialog: returns the backup to restore, or None to leave."""
    latest = backups[0] if backups else None
    text = (
        problem
        + "\n\n"
        + (
            f"Можно восстановить данные из последней резервной копии: {backup_label(latest)}. "
            "Текущее состояние будет сохранено в папке резервных копий."
            if latest
            else "Резервных копий в папке данных нет. Если копия есть в другом месте, выберите её."
        )
    )
    restore, other, leave = "Восстановить из копии", "Выбрать другую копию…", "Выйти"
    clicked = msgbox.choose(
        parent, text, [restore, other, leave] if latest else [other, leave],
        title="cxdesk — база данных повреждена", kind="question", icon="critical",
        default=restore if latest else other, escape=leave,
        captured=restore if latest else leave,
    )  # fmt: skip
    if latest is not None and clicked == restore:
        return latest
    if clicked == other:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Резервная копия cxdesk", str(latest.parent if latest else Path.home()),
            "Резервные копии cxdesk (*.zip *.sqlite3);;Все файлы (*)",
        )  # fmt: skip
        return Path(name) if name else None
    return None


def open_or_recover(data_dir: Path, parent: QWidget | None = None) -> Any:
    """The store of ``data_dir``; after a recovery dialog when the database is damaged; None
    when the user leaves (or the folder cannot be used at all, after saying why)."""
    try:
        return _open_or_recover(data_dir, parent)
    except Exception as exc:  # noqa: BLE001 - said and logged, never a traceback at start
        msgbox.bug(parent, exc, data_dir, context="opening the data folder")
        return None


def _open_or_recover(data_dir: Path, parent: QWidget | None) -> Any:
    store, problem, damaged = _open(data_dir)
    while store is None:
        if not damaged:
            msgbox.user_error(parent, f"{problem}\n\nПрограмма будет закрыта.", "cxdesk — запуск")
            return None
        choice = ask_recovery(parent, problem, list_backups(data_dir))
        if choice is None:
            return None
        try:
            kept = restore_backup(data_dir, choice)
        except UserError as exc:
            problem = f"{problem}\n\nКопия «{choice.name}» не подошла: {exc.message}"
            continue
        store, problem, damaged = _open(data_dir)
        if store is not None:
            msgbox.information(
                parent,
                f"Данные восстановлены из копии «{choice.name}».\n\n"
                f"Прежнее (повреждённое) состояние сохранено в файле:\n{kept}",
            )
    return store
