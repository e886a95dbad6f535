"""The tracking entries of the main window: «Сервис → Проверка данных…» and two more views.

:func:`install_tracking` adds «Выполнено без документа» and «По ответственному…» to the «Вид»
menu, after the window's own views, and «Проверка данных…» to the «Сервис» menu (made before
«Справка» when no other feature has made it yet); it also lets the plan's tree take files
dropped on its rows. The views work as the window's own: they set the filter above the tree, so
the filter shows what is chosen and «Сбросить» shows everything again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu

from cxdesk.services.views import people

from ui import msgbox
from ui.mainwindow import status
from ui.mainwindow.actions import make
from ui.tracking import tree_drop
from ui.tracking.check_dialog import run_check

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

NO_PROOF = "no_proof"
SERVICE = "Сервис"


class Tracking:
    """What :func:`install_tracking` made: the actions (by key) and the tree's drop filter."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.drops = tree_drop.install(window)

    def show_no_proof(self) -> None:
        """Вид → Выполнено без документа: done items with no file attached."""
        self.window.show_view(NO_PROOF)

    def choose_person(self) -> None:
        """Вид → По ответственному…: asks whose items to show."""
        plan = self.window.model.plan
        names = people(plan) if plan is not None else []
        if not names:
            msgbox.information(self.window, "В плане пока не указан ни один ответственный.")
            return
        current = self.window.filter_bar.responsible.currentData() or names[0]
        name, ok = QInputDialog.getItem(
            self.window, "Пункты ответственного", "Показать пункты, где ответственный:",
            names, max(names.index(current), 0) if current in names else 0, False,
        )  # fmt: skip
        if ok and name:
            self.show_person(name)

    def show_person(self, name: str) -> None:
        """Shows only the items of one responsible person (every status)."""
        bar = self.window.filter_bar
        self.window.show_view("all")
        at = bar.responsible.findData(name)
        if at >= 0:
            bar.responsible.setCurrentIndex(at)

    def check(self) -> None:
        """Сервис → Проверка данных…"""
        run_check(self.window)


def service_menu(window: MainWindow) -> QMenu:
    """The window's «Сервис» menu; made before «Справка» (or at the end) when missing."""
    menu = window.findChild(QMenu, f"menu_{SERVICE}")
    if menu is not None:
        return menu
    bar = window.menuBar()
    # by title; not through QAction.menu(): in PySide6 6.9 the menu it returns dies with the
    # Python object it was returned as
    for found in window.findChildren(QMenu):
        if found.title().replace("&", "") == SERVICE and found.menuAction() in bar.actions():
            return found
    menu = QMenu("С&ервис", window)
    menu.setObjectName(f"menu_{SERVICE}")
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Справка"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    menus = getattr(window, "menus", None)
    if isinstance(menus, dict):
        menus[SERVICE] = menu
    return menu


def _view_menu(window: MainWindow) -> QMenu | None:
    menu = getattr(window, "menus", {}).get("Вид")
    return menu if menu is not None else window.findChild(QMenu, "menu_Вид")


def _make(window: MainWindow, text: str, slot: Any, name: str, tip: str) -> QAction:
    return make(window, text, slot, None, tip, name)


def install_tracking(window: MainWindow) -> Tracking:
    """Adds the tracking entries to the window's menus and the drops on its tree."""
    made: Tracking | None = getattr(window, "tracking", None)
    if made is not None:
        return made
    made = Tracking(window)
    window.tracking = made
    no_proof = _make(window, "Выполнено &без документа", made.show_no_proof,
                     "action_view_no_proof",
                     "Выполненные пункты, к которым не прикреплён ни один файл")  # fmt: skip
    no_proof.setIcon(status.icon("done"))
    person = _make(window, "По &ответственному…", made.choose_person, "action_view_person",
                   "Пункты одного ответственного")  # fmt: skip
    check = _make(window, "&Проверка данных…", made.check, "action_check_data",
                  "Проверить базу и все прикреплённые файлы: целы ли они")  # fmt: skip
    made.actions = {"no_proof": no_proof, "person": person, "check": check}

    views = _view_menu(window)
    if views is not None:
        entries = views.actions()
        last_view = None
        for act in entries:
            if act.objectName().startswith("action_view_"):
                last_view = act
        after = entries.index(last_view) + 1 if last_view is not None else 0
        before = entries[after] if after < len(entries) else None
        if before is None:
            views.addActions([no_proof, person])
        else:
            views.insertActions(before, [no_proof, person])
    service_menu(window).addAction(check)

    def enable(plan_id: int) -> None:
        for act in (no_proof, person):
            act.setEnabled(bool(plan_id))

    enable(window.current_plan_id or 0)
    window.plan_opened.connect(enable)
    return made
