"""Keeping data safe in the window: backup and restore from the menu, changes made outside the
window shown in it, one window per data folder, and recovery from a damaged database at start.

:func:`install_safety` is called once the main window is built (see actions.INSTALLERS).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from cxdesk.errors import UserError

from ui import msgbox


def _file_menu(window: Any) -> QMenu:
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title().replace("&", "") == "Файл":
            return menu
    return window.menuBar().addMenu("&Файл")


def make_backup_action(window: Any, out: Path | None = None) -> Path | None:
    """«Файл → Резервная копия…»: a copy of the database and the documents, to a chosen file."""
    from cxdesk.services.backup import backups_dir, make_backup

    data_dir = window.store.data_dir
    if out is None:
        from datetime import datetime

        proposed = backups_dir(data_dir) / f"cxdesk-backup-{datetime.now():%Y%m%d-%H%M}.zip"
        proposed.parent.mkdir(parents=True, exist_ok=True)
        name, _ = QFileDialog.getSaveFileName(
            window, "Резервная копия", str(proposed), "Резервные копии cxdesk (*.zip)"
        )
        if not name:
            return None
        out = Path(name)
    try:
        path = make_backup(data_dir, out)
    except UserError as exc:
        msgbox.user_error(window, exc)
        return None
    msgbox.information(
        window, "Резервная копия записана.",
        detail=f"{path}\n\nВ ней база и все прикреплённые документы.",
    )  # fmt: skip
    return path


def restore_action(window: Any, source: Path | None = None) -> bool:
    """«Файл → Восстановить из копии…»: the chosen backup replaces the data, after a copy of
    the present state is kept."""
    from cxdesk.services.backup import list_backups, restore_backup
    from cxdesk.storage.db import Store

    data_dir = window.store.data_dir
    if source is None:
        backups = list_backups(data_dir)
        start = str(backups[0] if backups else data_dir)
        name, _ = QFileDialog.getOpenFileName(
            window, "Восстановить из копии", start,
            "Резервные копии cxdesk (*.zip *.sqlite3);;Все файлы (*)",
        )  # fmt: skip
        if not name:
            return False
        source = Path(name)
    if not msgbox.question(
        window,
        f"Заменить все данные содержимым копии «{source.name}»?",
        yes="Восстановить",
        detail="Текущее состояние будет сохранено в папке резервных копий.",
        dangerous=True,
    ):
        return False
    window.panel.commit()
    try:
        kept = restore_backup(data_dir, source)
        Store(data_dir).close()  # brings an older copy's schema up to date
    except UserError as exc:
        msgbox.user_error(window, exc)
        return False
    for plan_id in list(getattr(window, "_stacks", {})):
        window.drop_stack(plan_id)
    window.current_plan_id = None
    window.reload_plans()
    watcher = getattr(window, "external_changes", None)
    if watcher is not None:
        watcher.mark_seen()
    msgbox.information(
        window, f"Данные восстановлены из копии «{source.name}».",
        detail=f"Прежнее состояние сохранено: {kept}",
    )  # fmt: skip
    return True


def install_safety(window: Any) -> None:
    """Adds backup and restore to «Файл» and starts watching for changes from outside."""
    from ui.safety.watcher import ExternalChanges

    menu = _file_menu(window)
    quit_action = next((a for a in menu.actions() if "Выход" in a.text()), None)
    backup = QAction("Резервная копия…", window)
    backup.setObjectName("act_backup")
    backup.triggered.connect(lambda: make_backup_action(window))
    restore = QAction("Восстановить из копии…", window)
    restore.setObjectName("act_restore")
    restore.triggered.connect(lambda: restore_action(window))
    if quit_action is not None:
        menu.insertActions(quit_action, [backup, restore])
        menu.insertSeparator(quit_action)
    else:
        menu.addActions([backup, restore])
    window.safety_actions = {"backup": backup, "restore": restore}
    window.external_changes = ExternalChanges(window, window.store)
