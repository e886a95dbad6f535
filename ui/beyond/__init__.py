"""Beyond the spreadsheet, in the window: the check against the typical plan, the summary over
plans with its charts, the Analytical Center's guidance beside an item, deadlines to a calendar,
the progress report, and the deadlines of the next 14 days at start.

The main window calls, once it is built, :func:`install_beyond` (its menu entries and the
deadlines banner); the item panel makes :class:`~ui.beyond.guidance_section.GuidanceSection`
itself. Every command takes the main window; the parts live in the submodules and are imported
when first used:

- :mod:`ui.beyond.audit_dock` — «План → Проверить по типовому плану»;
- :mod:`ui.beyond.summary_window`, :mod:`ui.beyond.summary_models`, :mod:`ui.beyond.charts` —
  «Файл → Сводка по планам…»;
- :mod:`ui.beyond.files` — «План → Сроки в календарь…», «План → Отчёт о ходе реализации…»;
- :mod:`ui.beyond.upcoming` — «Ближайшие сроки (14 дней)».
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer

from ui.beyond.install import install_beyond

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

__all__ = [
    "check_plan",
    "install_beyond",
    "save_calendar",
    "save_report",
    "show_summary",
    "show_upcoming",
]


def check_plan(window: MainWindow) -> Any:
    """«Проверить по типовому плану»: the findings dock, shown, checking the open plan."""
    from ui.beyond.audit_dock import AuditDock

    window.panel.commit()
    dock = getattr(window, "beyond_audit", None)
    splitter = getattr(window, "main_splitter", None)
    sizes = splitter.sizes() if splitter is not None else []
    if not isinstance(dock, AuditDock):
        dock = AuditDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.beyond_audit = dock
        window.resizeDocks([dock], [_dock_width(window, sizes)], Qt.Orientation.Horizontal)
    dock.show()
    if splitter is not None and len(sizes) == 2 and sizes[0] > 0:
        # room for the dock comes from the plan's area, not from the list of plans
        QTimer.singleShot(0, window, lambda: _keep_first(splitter, sizes[0]))
    dock.raise_()
    dock.check()
    dock.tree.setFocus()
    return dock


def _dock_width(window: MainWindow, sizes: list[int]) -> int:
    """As wide as the findings need (430) when the plan's area keeps its minimum; never < 340."""
    area = getattr(window, "plan_splitter", None)
    least = area.minimumSizeHint().width() if area is not None else 700
    room = window.width() - (sizes[0] if sizes else 220) - least - 4
    return max(340, min(430, room))


def _keep_first(splitter: Any, width: int) -> None:
    total = sum(splitter.sizes())
    splitter.setSizes([width, max(total - width, 0)])


def show_summary(window: MainWindow) -> Any:
    """«Сводка по планам…»: the summary window."""
    from ui.beyond.summary_window import show_summary as show

    window.panel.commit()
    return show(window)


def save_calendar(
    window: MainWindow,
    path: Path | None = None,
    then: Callable[[Path | None], object] | None = None,
) -> None:
    """«Сроки в календарь…»: ``then`` gets the written .ics, or None."""
    from ui.beyond.files import save_calendar as save

    save(window, path, then=then)


def save_report(window: MainWindow, then: Callable[[Path | None], object] | None = None) -> None:
    """«Отчёт о ходе реализации…»: ``then`` gets the written report, or None."""
    from ui.beyond.files import save_report as save

    save(window, then)


def show_upcoming(window: MainWindow) -> Any:
    """«Сроки всех планов на 14 дней»: the banner, shown."""
    from ui.beyond.upcoming import show_upcoming as show

    return show(window)
