"""The plan as a timeline: the «График» tab beside the table in the main window.

:func:`install_timeline` (called by ``actions.install_features`` once the window is built)
adds the tab (:class:`~ui.timeline.page.TimelinePage`, with the painted
:class:`~ui.timeline.view.TimelineView`) to the window's ``views`` and the entry «Вид → График»
(Ctrl+G) that switches between the two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui.timeline.page import TimelinePage
from ui.timeline.view import TimelineView

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

__all__ = ["TimelinePage", "TimelineView", "install_timeline"]


def install_timeline(window: MainWindow) -> TimelinePage:
    """Adds the «График» tab and its menu entry to the main window (once)."""
    page: TimelinePage | None = getattr(window, "timeline", None)
    if page is not None:
        return page
    page = TimelinePage(window)
    window.timeline = page
    window.views.addTab(page, "&График")
    window.views.setTabToolTip(window.views.indexOf(page), "План на оси времени")
    act = QAction("&График", window)
    act.setObjectName("action_timeline")
    act.setCheckable(True)
    act.setShortcut(QKeySequence("Ctrl+G"))
    act.setStatusTip("Показать план на оси времени или снова таблицей")
    act.toggled.connect(lambda on: window.views.setCurrentWidget(page if on else window.tree))
    window.views.currentChanged.connect(
        lambda _i: act.setChecked(window.views.currentWidget() is page)
    )
    menu = window.menus.get("Вид")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(act)
    window.addAction(act)
    window.timeline_action = act
    return page
