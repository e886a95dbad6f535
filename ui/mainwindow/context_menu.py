"""The plan tree's context menu: the item's own actions where the mouse is.

A right click (or the menu key) on a row makes it current and offers what the item panel and
the menus offer for it: the status (an exclusion asks for its basis in the panel), attaching
files, opening an attached document, the Analytical Center's guidance, and undo. Actions of
features that are not installed (attachments, guidance) are left out, as in the menus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.mainwindow import status
from ui.mainwindow.actions import Act
from ui.mainwindow.item_panel import PanelSection
from ui.mainwindow.plan_model import ROW_ROLE

if TYPE_CHECKING:
    from cxdesk.services.views import RowView

    from ui.beyond.guidance_section import GuidanceSection
    from ui.mainwindow.window import MainWindow
    from ui.tracking.attachments_section import AttachmentsSection


S = TypeVar("S", bound=PanelSection)


def _section(window: MainWindow, kind: type[S]) -> S | None:
    """The item panel's section of this kind (attachments, guidance), or None before the panel
    has made its sections."""
    return next((s for s in window.panel.sections if isinstance(s, kind)), None)


def build_menu(window: MainWindow, row: RowView) -> QMenu:
    """The menu for ``row`` (already the current row)."""
    from ui.beyond.guidance_section import GuidanceSection
    from ui.tracking.attachments_section import AttachmentsSection

    menu = QMenu(window.tree)
    menu.setObjectName("treeContextMenu")
    if row.kind != "item":
        edit = menu.addAction("Изменить название…", lambda: window.panel.focus_field("title"))
        edit.setObjectName("ctx_title")
        return menu
    states = menu.addMenu("&Статус")
    states.setObjectName("ctx_status")
    for key in status.SETTABLE:
        if key == "excluded":
            continue
        act = states.addAction(status.icon(key), status.title(key))
        act.setObjectName(f"ctx_status_{key}")
        act.setCheckable(True)
        act.setChecked(row.status == key)
        act.triggered.connect(lambda _c=False, key=key: window.panel.choose_status(key))
    exclude = menu.addAction(status.icon("excluded"), "&Исключить…")
    exclude.setObjectName("ctx_exclude")
    exclude.setToolTip("Исключить по согласованию с Аналитическим центром: основание — в панели")
    exclude.setEnabled(row.status != "excluded")
    exclude.triggered.connect(lambda: window.panel.choose_status("excluded"))
    files = _section(window, AttachmentsSection)
    if files is not None:
        menu.addSeparator()
        attach = menu.addAction("&Прикрепить файлы…", files.choose_files)
        attach.setObjectName("ctx_attach")
        docs = menu.addMenu("&Открыть документ")
        docs.setObjectName("ctx_open")
        docs.setEnabled(bool(row.attachments))
        for name in row.attachments:
            docs.addAction(name, lambda name=name: _open(files, name))
    guidance = _section(window, GuidanceSection)
    if guidance is not None and guidance.guidance:
        show = menu.addAction(
            "&Рекомендации Аналитического центра", lambda: _show(window, guidance)
        )
        show.setObjectName("ctx_guidance")
    undo: QAction | None = window.acts.get(Act.UNDO)
    if undo is not None and undo.isEnabled():
        menu.addSeparator()
        menu.addAction(undo)
    return menu


def _open(files: AttachmentsSection, name: str) -> None:
    if files.select_name(name):
        files.open_selected()


def _show(window: MainWindow, guidance: GuidanceSection) -> None:
    guidance.set_open(True)
    window.panel.scroll_area.ensureWidgetVisible(guidance)


def install(window: MainWindow) -> None:
    """Gives the window's plan tree its context menu."""
    tree = window.tree
    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def requested(pos: QPoint) -> None:
        index = tree.indexAt(pos)
        if not index.isValid():
            return
        row = index.data(ROW_ROLE)
        if row is None:
            return
        if tree.currentIndex().sibling(tree.currentIndex().row(), 0) != index.sibling(
            index.row(), 0
        ):
            tree.setCurrentIndex(index)
        window.context_menu = build_menu(window, row)
        window.context_menu.popup(tree.viewport().mapToGlobal(pos))

    tree.customContextMenuRequested.connect(requested)
