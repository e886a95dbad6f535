"""Files dragged from the file manager onto a row of the plan's tree are attached to that item.

While the files are dragged over the tree, the status bar says where they would go. Dropped on
a block or a section, the window says to drop them on an item. Dropped below the last row,
plan files (docx, xlsx, .cxplan) go to the window's own handler, when it has one (opening a plan
from a file); anything else gets the same advice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QDropEvent

from ui import msgbox
from ui.mainwindow.plan_model import ROW_ROLE
from ui.tracking import ops
from ui.tracking.files import has_local_files, local_paths

if TYPE_CHECKING:
    from cxdesk.services.views import RowView

    from ui.mainwindow.window import MainWindow

ON_HEADING = (
    "Документы прикрепляют к пункту плана, а не к блоку или разделу. Перетащите файлы на "
    "строку нужного пункта."
)
NOWHERE = "Чтобы прикрепить файлы, перетащите их на строку нужного пункта."
ONLY_FOLDERS = "Папки не прикрепляются: перетащите сами файлы из папки."


class TreeDropFilter(QObject):
    """Watches the tree's viewport for dropped files (installed by :func:`install`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window

    def row_at(self, pos: QPoint) -> Any:
        index = self.main_window.tree.indexAt(pos)
        return index.data(ROW_ROLE) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            if kind == QEvent.Type.DragLeave:
                self.main_window.status_bar.clearMessage()
            return super().eventFilter(watched, event)
        if not isinstance(event, QDropEvent) or not has_local_files(event.mimeData()):
            return super().eventFilter(watched, event)
        row = self.row_at(event.position().toPoint())
        if kind == QEvent.Type.DragEnter:
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.DragMove:
            event.acceptProposedAction()
            self.main_window.status_bar.showMessage(self._where(row))
            return True
        self.main_window.status_bar.clearMessage()
        return self.drop(event, row)

    @staticmethod
    def _where(row: RowView | None) -> str:
        if row is None:
            return NOWHERE
        if row.kind != "item":
            return "Сюда нельзя: перетащите файлы на строку пункта"
        return f"Отпустите, чтобы прикрепить файлы к пункту {row.number.rstrip('.')}"

    def drop(self, event: QDropEvent, row: RowView | None) -> bool:
        """Attaches the dropped files to the item under the cursor (or says why not)."""
        window = self.main_window
        if row is None:
            # plan files dropped off the items open as plans (when the exchange is installed)
            others = getattr(window, "exchange_drops", None)
            if others is not None and others.eventFilter(window, event):
                return True
            event.acceptProposedAction()
            msgbox.information(window, NOWHERE)
            return True
        event.acceptProposedAction()
        if row.kind != "item":
            msgbox.information(window, ON_HEADING)
            return True
        files, folders = local_paths(event.mimeData().urls())
        if not files:
            msgbox.information(window, ONLY_FOLDERS if folders else NOWHERE)
            return True
        if folders:
            ops.say(window, ONLY_FOLDERS)
        plan_id = window.current_plan_id
        if plan_id is None:
            return True
        window.select_row(row.id)
        ops.attach(window, plan_id, row.id, row.number, files)
        return True


def install(window: MainWindow) -> TreeDropFilter:
    """Lets the plan's tree take files dropped on its rows."""
    drops = TreeDropFilter(window)
    viewport = window.tree.viewport()
    viewport.setAcceptDrops(True)
    viewport.installEventFilter(drops)
    return drops
