"""Keeping data safe in the window: backup and restore from the menu, changes made outside the
window shown in it, one window per data folder, and recovery from a damaged database at start.

:func:`install_safety` is called once the main window is built (see
actions.install_features): it adds «Резервная копия…» and «Восстановить из копии…» to the
«Файл» menu (``window.safety_actions``) and starts :class:`~ui.safety.watcher.ExternalChanges`
(``window.external_changes``). Backup and restore run on the window's database worker, after
any work queued before them, with a progress dialog when they take long. The start-up parts
live in :mod:`ui.safety.instance` and :mod:`ui.safety.recovery` and are used by :mod:`ui.app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from cxdesk import clock

from ui import msgbox

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

BACKUP_FILTER = "Резервные копии cxdesk (*.zip *.pgdump)"
RESTORE_FILTER = "Резервные копии cxdesk (*.zip *.sqlite3 *.pgdump);;Все файлы (*)"


def _file_menu(window: MainWindow) -> QMenu:
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title().replace("&", "") == "Файл":
            return menu
    return window.menuBar().addMenu("&Файл")


def make_backup_action(window: MainWindow, out: Path | None = None) -> None:
    """«Файл → Резервная копия…»: the database and every attached document in one .zip, to a
    file the user chooses (proposed in the data folder's backups)."""
    from cxdesk.services.backup import backups_dir
    from cxdesk.services.shared_backup import backup_store

    data_dir = window.store.data_dir
    shared = window.store.kind == "postgresql"  # a shared database: one pg_dump file
    if out is None:
        suffix = "pgdump" if shared else "zip"
        proposed = backups_dir(data_dir) / f"cxdesk-backup-{clock.now():%Y%m%d-%H%M}.{suffix}"
        try:
            proposed.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            proposed = Path(data_dir) / proposed.name
        name, _ = QFileDialog.getSaveFileName(
            window, "Резервная копия", str(proposed), BACKUP_FILTER
        )
        if not name:
            return
        out = Path(name)
    window.panel.commit()
    target = out

    def done(path: Path) -> None:
        msgbox.information(
            window, f"Резервная копия записана в файл:\n{path}",
            detail="В ней база и все прикреплённые документы. Храните копию на другом диске "
            "или флешке.",
        )  # fmt: skip

    window.tasks.run(
        lambda store: backup_store(store, target),
        parent=window,
        success=done,
        label="Резервная копия…",
    )


def choose_backup(window: MainWindow) -> Path | None:
    """The file dialog of «Восстановить из копии…», opened at the newest backup."""
    from cxdesk.services.backup import list_backups

    backups = list_backups(window.store.data_dir)
    start = str(backups[0] if backups else window.store.data_dir)
    name, _ = QFileDialog.getOpenFileName(window, "Восстановить из копии", start, RESTORE_FILTER)
    return Path(name) if name else None


def restore_action(window: MainWindow, source: Path | None = None) -> None:
    """«Файл → Восстановить из копии…»: after a confirmation, the chosen backup replaces the
    data (a copy of the present state is kept first and named in the message); the window then
    shows the restored plans."""
    from cxdesk.services.shared_backup import restore_store

    if source is None:
        source = choose_backup(window)
        if source is None:
            return
    if not msgbox.question(
        window,
        f"Заменить все данные cxdesk содержимым копии «{source.name}»?",
        yes="Восстановить",
        detail="Текущее состояние будет сохранено в папке резервных копий, к нему можно будет "
        "вернуться тем же способом.",
        dangerous=True,
    ):
        return
    window.panel.commit()
    chosen = source
    previous = window.current_plan_id

    def work(store: Any) -> Path:
        return restore_store(store, chosen)  # the data folder's file, or the shared database

    def done(kept: Path) -> None:
        for stack in window.undo_group.stacks():  # the data is another now: no step fits
            name = stack.objectName()
            if name.startswith("undo_") and name[5:].isdigit():
                window.drop_stack(int(name[5:]))
        watcher = getattr(window, "external_changes", None)
        if watcher is not None:
            watcher.mark_seen()
        window.current_plan_id = None
        window.reload_plans(select=previous)
        msgbox.information(
            window,
            f"Данные восстановлены из копии «{chosen.name}».\n\n"
            f"Прежнее состояние сохранено в файле:\n{kept}",
        )

    window.tasks.run(work, parent=window, success=done, label="Восстановление из копии…")


def install_safety(window: MainWindow) -> None:
    """Adds backup and restore to «Файл» and starts watching for changes from outside."""
    from ui.safety.watcher import ExternalChanges

    menu = _file_menu(window)
    quit_action = next((a for a in menu.actions() if a.objectName() == "action_quit"), None)
    backup = QAction("Резервная &копия…", window)
    backup.setObjectName("action_backup")
    backup.setStatusTip("Сохранить базу и все прикреплённые документы в один файл")
    backup.triggered.connect(lambda: make_backup_action(window))
    restore = QAction("Восстановить из &копии…", window)
    restore.setObjectName("action_restore")
    restore.setStatusTip("Вернуть данные из резервной копии (текущее состояние сохранится)")
    restore.triggered.connect(lambda: restore_action(window))
    from ui.safety.exit_backup import exit_backup_action

    on_exit = exit_backup_action(window)
    if quit_action is not None:
        menu.insertActions(quit_action, [backup, restore, on_exit])
        menu.insertSeparator(quit_action)
    else:
        menu.addSeparator()
        menu.addActions([backup, restore, on_exit])
    window.safety_actions = {"backup": backup, "restore": restore, "on_exit": on_exit}
    window.external_changes = ExternalChanges(window, window.store)
