"""The window's menu actions, made by small factories keyed by :class:`Act`.

To add an action: add a member to :class:`Act`, write a factory decorated with
``@action(Act.X, requires=("ui.feature",))`` that returns a QAction, and put ``Act.X`` in
:data:`MENUS`. An action whose ``requires`` modules are missing is not made at all (absent,
never dead); the menus skip it and tidy the separators around it. Feature modules are imported
only when the action is triggered (:func:`call_feature`), so a missing or slow feature costs
nothing at start. A feature that needs more (its own menu entries, files dropped on the window)
lists an installer in :data:`INSTALLERS`, called once the window is built.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from ui.mainwindow import status


class Act(enum.Enum):
    """Every action of the main window."""

    NEW_PLAN = enum.auto()
    OPEN_FILE = enum.auto()
    EXPORT = enum.auto()
    PRINT = enum.auto()
    QUIT = enum.auto()
    UNDO = enum.auto()
    REDO = enum.auto()
    FIND = enum.auto()
    CHANGE_ANSWERS = enum.auto()
    PLAN_PROPERTIES = enum.auto()
    DELETE_PLAN = enum.auto()
    VIEW_ALL = enum.auto()
    VIEW_OVERDUE = enum.auto()
    VIEW_UPCOMING = enum.auto()
    WRAP_TEXT = enum.auto()
    ABOUT = enum.auto()


#: Actions that need an open plan (disabled without one).
PLAN_ACTIONS = {
    Act.EXPORT, Act.PRINT, Act.CHANGE_ANSWERS, Act.PLAN_PROPERTIES, Act.DELETE_PLAN,
    Act.VIEW_ALL, Act.VIEW_OVERDUE, Act.VIEW_UPCOMING, Act.FIND,
}  # fmt: skip

#: The menus: title and entries; None is a separator.
MENUS: tuple[tuple[str, tuple[Act | None, ...]], ...] = (
    ("&Файл", (Act.NEW_PLAN, Act.OPEN_FILE, None, Act.EXPORT, Act.PRINT, None, Act.QUIT)),
    ("&Правка", (Act.UNDO, Act.REDO, None, Act.FIND)),
    ("П&лан", (Act.CHANGE_ANSWERS, Act.PLAN_PROPERTIES, None, Act.DELETE_PLAN)),
    ("&Вид", (Act.VIEW_ALL, Act.VIEW_OVERDUE, Act.VIEW_UPCOMING, None, Act.WRAP_TEXT)),
    ("&Справка", (Act.ABOUT,)),
)

#: Features that add more than plain actions (menu entries of their own, dropped files…):
#: (module, function); ``function(window)`` is called once the window is built, when the
#: module exists.
INSTALLERS: tuple[tuple[str, str], ...] = (
    ("ui.exchange", "install_exchange_actions"),
    ("ui.tracking", "install_tracking"),
    ("ui.beyond", "install_beyond"),
    ("ui.safety", "install_safety"),
)

Factory = Callable[[Any], QAction | None]
_FACTORIES: dict[Act, tuple[Factory, tuple[str, ...]]] = {}


def action(key: Act, requires: tuple[str, ...] = ()) -> Callable[[Factory], Factory]:
    """Registers the factory of ``key``; made only when every module in ``requires`` exists."""

    def register(factory: Factory) -> Factory:
        _FACTORIES[key] = (factory, requires)
        return factory

    return register


@cache
def feature_available(module: str) -> bool:
    """True when ``module`` can be imported (looked up, not imported)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ModuleNotFoundError, ValueError):
        return False


def call_feature(module: str, function: str, *args: Any) -> Any:
    """Imports a feature's module now and calls one of its functions."""
    return getattr(importlib.import_module(module), function)(*args)


def make(
    window: Any,
    text: str,
    slot: Callable[[], Any],
    shortcut: str | QKeySequence.StandardKey | None = None,
    tip: str = "",
) -> QAction:
    act = QAction(text, window)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(tip)
    act.triggered.connect(lambda _checked=False: slot())
    return act


def create_actions(window: Any) -> dict[Act, QAction]:
    """Makes every action whose feature is there."""
    made: dict[Act, QAction] = {}
    for key in Act:
        entry = _FACTORIES.get(key)
        if entry is None:
            continue
        factory, requires = entry
        if not all(feature_available(m) for m in requires):
            continue
        act = factory(window)
        if act is None:
            continue
        act.setObjectName(f"action_{key.name.lower()}")
        made[key] = act
    return made


def install_features(window: Any) -> list[str]:
    """Runs the installers of the features that are there; returns their modules.

    A feature that fails to install is written to the log and left out: the window still opens.
    """
    done = []
    for module, function in INSTALLERS:
        if not feature_available(module):
            continue
        try:
            call_feature(module, function, window)
        except Exception as exc:  # noqa: BLE001 - one broken feature must not stop the window
            from cxdesk.logs import write_exception

            write_exception(window.store.data_dir, exc, f"installing {module}")
            continue
        done.append(module)
    return done


def build_menus(menubar: QMenuBar, actions: dict[Act, QAction]) -> dict[str, Any]:
    """Fills the menu bar; skips absent actions and doubled or trailing separators."""
    menus = {}
    for title, entries in MENUS:
        present = [e for e in entries if e is None or e in actions]
        tidy: list[Act | None] = []
        for e in present:
            if e is None and (not tidy or tidy[-1] is None):
                continue
            tidy.append(e)
        while tidy and tidy[-1] is None:
            tidy.pop()
        if not tidy:
            continue
        menu = menubar.addMenu(title)
        menu.setObjectName("menu_" + title.replace("&", ""))
        for e in tidy:
            if e is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[e])
        menus[title.replace("&", "")] = menu
    return menus


# --- the factories ---------------------------------------------------------------------------
@action(Act.NEW_PLAN, requires=("ui.wizard",))
def _new_plan(w: Any) -> QAction:
    return make(w, "&Новый план…", w.new_plan, QKeySequence.StandardKey.New,
                "Создать план мероприятий по типовому плану")  # fmt: skip


@action(Act.OPEN_FILE, requires=("cxdesk.services.importing", "ui.exchange"))
def _open_file(w: Any) -> QAction:
    return make(w, "&Открыть файл…", lambda: call_feature("ui.exchange", "open_file", w),
                QKeySequence.StandardKey.Open,
                "Загрузить план из файла docx, xlsx или .cxplan")  # fmt: skip


@action(Act.EXPORT, requires=("ui.export",))
def _export(w: Any) -> QAction:
    return make(w, "&Экспорт…", lambda: call_feature("ui.export", "export_plan", w), "Ctrl+E",
                "Сохранить план в docx, xlsx или PDF")  # fmt: skip


@action(Act.PRINT, requires=("ui.printing",))
def _print(w: Any) -> QAction:
    return make(w, "&Печать…", lambda: call_feature("ui.printing", "print_plan", w),
                QKeySequence.StandardKey.Print, "Напечатать план")  # fmt: skip


@action(Act.QUIT)
def _quit(w: Any) -> QAction:
    return make(w, "&Выход", w.close, "Ctrl+Q")


@action(Act.UNDO)
def _undo(w: Any) -> QAction:
    act = w.undo_group.createUndoAction(w, "Отменить")
    act.setShortcuts([QKeySequence("Ctrl+Z")])
    return act


@action(Act.REDO)
def _redo(w: Any) -> QAction:
    act = w.undo_group.createRedoAction(w, "Повторить")
    act.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    return act


@action(Act.FIND)
def _find(w: Any) -> QAction:
    return make(w, "&Найти", w.focus_search, "Ctrl+F", "Искать в пунктах плана")


@action(Act.CHANGE_ANSWERS, requires=("ui.wizard",))
def _change_answers(w: Any) -> QAction:
    return make(w, "Изменить &ответы…", w.change_answers, None,
                "Изменить ответы на вопросы шаблона: пункты добавятся или уйдут")  # fmt: skip


@action(Act.PLAN_PROPERTIES)
def _plan_properties(w: Any) -> QAction:
    return make(w, "&Свойства плана…", w.plan_properties, None,
                "Организация, заголовок и гриф «УТВЕРЖДАЮ»")  # fmt: skip


@action(Act.DELETE_PLAN)
def _delete_plan(w: Any) -> QAction:
    return make(w, "&Удалить план…", w.delete_plan)


def _view(w: Any, text: str, key: str) -> QAction:
    act = make(w, text, lambda: w.show_view(key))
    act.setIcon(status.icon(key))
    return act


@action(Act.VIEW_ALL)
def _view_all(w: Any) -> QAction:
    return _view(w, "&Все пункты", "all")


@action(Act.VIEW_OVERDUE)
def _view_overdue(w: Any) -> QAction:
    return _view(w, "&Просроченные", "overdue")


@action(Act.VIEW_UPCOMING)
def _view_upcoming(w: Any) -> QAction:
    return _view(w, "&Ближайшие сроки", "upcoming")


@action(Act.WRAP_TEXT)
def _wrap(w: Any) -> QAction:
    act = make(w, "Переносить длинный &текст", lambda: w.set_wrap(act.isChecked()))
    act.setCheckable(True)
    act.setChecked(True)
    return act


@action(Act.ABOUT)
def _about(w: Any) -> QAction:
    return make(w, "&О программе", w.show_about)
