"""The copy made when the window closes, so that restoring the newest copy keeps the day's work.

The day's first copy (``daily-…``) is the state the day began with; the window adds an
``exit-…`` copy when it closes (:func:`cxdesk.services.backup.exit_backup`, verified like every
copy), when the database changed since the newest one. A setting, on by default, toggled in
«Файл → Резервная копия при выходе».
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from ui.settings import BACKUP_ON_EXIT, Settings

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow


def backup_on_exit(data_dir: Path, settings: Settings) -> Path | None:
    """Makes the exit copy when the setting is on and the data changed; never raises (a failure
    is logged by the service)."""
    from cxdesk.services.backup import session_backup

    if not settings.get(BACKUP_ON_EXIT):
        return None
    return session_backup(Path(data_dir), every_s=0)


def exit_backup_action(window: MainWindow) -> QAction:
    """The checkable «Резервная копия при выходе» action bound to the setting."""
    action = QAction("Резервная копия при &выходе", window)
    action.setObjectName("action_backup_on_exit")
    action.setCheckable(True)
    action.setChecked(bool(window.settings.get(BACKUP_ON_EXIT)))
    action.setStatusTip("Сохранять проверенную копию базы при каждом закрытии окна")
    action.toggled.connect(lambda on: window.settings.set(BACKUP_ON_EXIT, bool(on)))
    return action
