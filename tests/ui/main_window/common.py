"""What the main window's tests share: reading the stored and the shown rows, typing."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, Qt

from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store

from ui.mainwindow import MainWindow
from ui.mainwindow.plan_model import ROW_ROLE

Make = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


def stored(store: Store, plan_id: int, number: str) -> object:
    return next(r for r in get_plan(store, plan_id).rows if r.number.rstrip(".") == number)


def shown_items(window: MainWindow, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for i in range(window.model.rowCount(parent)):
        index = window.model.index(i, 0, parent)
        row = index.data(ROW_ROLE)
        if row.kind == "item":
            out.append(row.number.rstrip("."))
        out += shown_items(window, index)
    return out


def leave_field(qtbot: QtBot, window: MainWindow) -> None:
    """Moves the focus to the tree, as a click on it would."""
    window.tree.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: window.tree.hasFocus())
