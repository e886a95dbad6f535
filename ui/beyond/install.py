"""The menu entries of «Beyond the spreadsheet», and the deadlines banner at start.

«План»: «Проверить по типовому плану» (Ctrl+Shift+A), «Сроки в календарь…», «Отчёт о ходе
реализации…» (between the plan's properties and «Удалить план…»); «Файл»: «Сводка по
планам…» (before «Выход»); «Вид»: «Сроки всех планов на 14 дней». The plan's entries follow the
window's ``plan_opened`` signal. The feature's modules are imported when an entry is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.mainwindow.actions import make

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

#: key → (menu, text, shortcut, tip, needs an open plan)
ENTRIES: dict[str, tuple[str, str, str | None, str, bool]] = {
    "audit": ("План", "Проверить по &типовому плану", "Ctrl+Shift+A",
              "Сравнить план с типовым: отсутствующие пункты, изменённые формулировки, "
              "выполненное без документа", True),
    "calendar": ("План", "Сроки в &календарь…", None,
                 "Сохранить сроки плана в файл .ics для Outlook или Thunderbird", True),
    "report": ("План", "Отчёт о &ходе реализации…", None,
               "Отчёт о ходе реализации плана на дату — Word или PDF", True),
    "summary": ("Файл", "Сво&дка по планам…", None,
                "Ход выполнения всех планов: по органам, по пунктам, по блокам", True),
    "upcoming": ("Вид", "Сроки всех планов на &14 дней", None,
                 "Пункты всех планов со сроком в ближайшие 14 дней", True),
}  # fmt: skip


def _call(window: MainWindow, key: str) -> Callable[[], Any]:
    import ui.beyond as feature

    calls: dict[str, Callable[[Any], Any]] = {
        "audit": feature.check_plan, "calendar": feature.save_calendar,
        "report": feature.save_report, "summary": feature.show_summary,
        "upcoming": feature.show_upcoming,
    }  # fmt: skip
    return lambda: calls[key](window)


def menu_named(window: MainWindow, title: str) -> QMenu:
    """One of the window's menus by its title (made at the end of the bar when missing)."""
    found = getattr(window, "menus", {}).get(title) or window.findChild(QMenu, f"menu_{title}")
    if found is not None:
        return found
    menu = window.menuBar().addMenu(title)
    menu.setObjectName(f"menu_{title}")
    return menu


def _place(menu: QMenu, group: list[QAction], before_name: str) -> None:
    """``group`` as its own part of ``menu``, before the separator that precedes the entry
    named ``before_name`` (at the end when the menu has no such entry)."""
    actions = menu.actions()
    target = next((a for a in actions if a.objectName() == before_name), None)
    if target is None:
        if actions and not actions[-1].isSeparator():
            menu.addSeparator()
        menu.addActions(group)
        return
    i = actions.index(target)
    anchor = actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else target
    menu.insertSeparator(anchor)
    menu.insertActions(anchor, group)
    if anchor is target:
        menu.insertSeparator(target)


def install_beyond(window: MainWindow) -> dict[str, QAction]:
    """Adds the entries to the window's menus and schedules the deadlines banner."""
    made: dict[str, QAction] | None = getattr(window, "beyond_actions", None)
    if made is not None:
        return made
    made = {}
    for key, (_menu, text, shortcut, tip, _needs) in ENTRIES.items():
        made[key] = make(window, text, _call(window, key), shortcut, tip, f"action_beyond_{key}")
    _place(menu_named(window, "План"), [made[k] for k in ("audit", "calendar", "report")],
           "action_delete_plan")  # fmt: skip
    _place(menu_named(window, "Файл"), [made["summary"]], "action_quit")
    _place(menu_named(window, "Вид"), [made["upcoming"]], "action_wrap_text")
    window.beyond_actions = made

    def enable(plan_id: int) -> None:
        for key, act in made.items():
            if ENTRIES[key][4]:
                act.setEnabled(bool(plan_id))

    enable(getattr(window, "current_plan_id", None) or 0)
    window.plan_opened.connect(enable)

    from ui.beyond.upcoming import when_shown

    when_shown(window)
    return made
