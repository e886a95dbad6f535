"""The window's menu actions, made by small factories keyed by :class:`Act`.

To add an action: add a member to :class:`Act`, write a factory decorated with
``@action(Act.X)`` that returns a QAction, and put ``Act.X`` in :data:`MENUS`. A slot that needs
a heavier part of the window imports it by a plain ``from ui.feature import function`` inside
the slot: the import is visible to every reader and packager, and costs nothing at start.
Every feature of the window is part of the product: none is looked up by name or may be absent.
Features that need more than an action (menu entries of their own, files dropped on the window)
are installed by :func:`install_features`, once the window is built; one that fails there is a
bug, written to the log and shown to the user.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from ui.mainwindow import status

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow


class Act(enum.Enum):
    """Every action of the main window."""

    NEW_PLAN = enum.auto()
    OPEN_FILE = enum.auto()
    QUIT = enum.auto()
    UNDO = enum.auto()
    REDO = enum.auto()
    FIND = enum.auto()
    CHANGE_ANSWERS = enum.auto()
    PLAN_PROPERTIES = enum.auto()
    PLAN_FORM = enum.auto()
    DELETE_PLAN = enum.auto()
    VIEW_ALL = enum.auto()
    VIEW_OVERDUE = enum.auto()
    VIEW_UPCOMING = enum.auto()
    WRAP_TEXT = enum.auto()
    ABOUT = enum.auto()


#: Actions that need an open plan (disabled without one).
PLAN_ACTIONS = {
    Act.CHANGE_ANSWERS, Act.PLAN_PROPERTIES, Act.PLAN_FORM, Act.DELETE_PLAN,
    Act.VIEW_ALL, Act.VIEW_OVERDUE, Act.VIEW_UPCOMING, Act.FIND,
}  # fmt: skip

#: Actions that need the store (disabled at the start until it is open behind the first paint).
STORE_ACTIONS = {
    Act.NEW_PLAN, Act.OPEN_FILE, Act.CHANGE_ANSWERS, Act.PLAN_PROPERTIES, Act.PLAN_FORM,
    Act.DELETE_PLAN, Act.ABOUT,
}  # fmt: skip

#: The menus: title and entries; None is a separator.
MENUS: tuple[tuple[str, tuple[Act | None, ...]], ...] = (
    ("&Файл", (Act.NEW_PLAN, Act.OPEN_FILE, None, Act.QUIT)),
    ("&Правка", (Act.UNDO, Act.REDO, None, Act.FIND)),
    ("П&лан", (Act.CHANGE_ANSWERS, Act.PLAN_PROPERTIES, Act.PLAN_FORM, None, Act.DELETE_PLAN)),
    ("&Вид", (Act.VIEW_ALL, Act.VIEW_OVERDUE, Act.VIEW_UPCOMING, None, Act.WRAP_TEXT)),
    ("&Справка", (Act.ABOUT,)),
)

Factory = Callable[["MainWindow"], QAction | None]
_FACTORIES: dict[Act, Factory] = {}


def action(key: Act) -> Callable[[Factory], Factory]:
    """Registers the factory of ``key``."""

    def register(factory: Factory) -> Factory:
        _FACTORIES[key] = factory
        return factory

    return register


def make(
    window: MainWindow,
    text: str,
    slot: Callable[[], Any],
    shortcut: str | QKeySequence.StandardKey | None = None,
    tip: str = "",
    name: str = "",
) -> QAction:
    """An action of the window: ``slot`` runs when it is chosen; ``name`` is its object name
    (what tests and the menu placement find it by). Every feature makes its actions here."""
    act = QAction(text, window)
    if name:
        act.setObjectName(name)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(tip)
    act.triggered.connect(lambda _checked=False: slot())
    return act


def create_actions(window: MainWindow) -> dict[Act, QAction]:
    """Makes every action of :class:`Act`."""
    made: dict[Act, QAction] = {}
    for key in Act:
        factory = _FACTORIES.get(key)
        if factory is None:
            continue
        act = factory(window)
        if act is None:
            continue
        act.setObjectName(f"action_{key.name.lower()}")
        made[key] = act
    return made


def install_features(window: MainWindow) -> list[str]:
    """Installs the window's features (exchange, tracking, beyond, safety); returns their names.

    Each is imported here by name for any reader and packager to see. One that fails to install
    is a bug: it is written to the log and the user is told, after the window is shown, which
    part is missing and where the log is; the rest of the window still works.
    """
    from ui.beyond import install_beyond
    from ui.connection import install_connection
    from ui.exchange import install_exchange_actions
    from ui.safety import install_safety
    from ui.timeline import install_timeline
    from ui.tracking import install_tracking

    installers: tuple[tuple[str, Callable[[Any], object]], ...] = (
        ("обмен файлами", install_exchange_actions),
        ("вложения и проверка", install_tracking),
        ("сводка, проверка по типовому плану, календарь", install_beyond),
        ("резервные копии", install_safety),
        ("общая база", install_connection),
        ("график", install_timeline),
    )
    done: list[str] = []
    failed: list[str] = []
    log_path = None
    for name, install in installers:
        try:
            install(window)
        except Exception as exc:  # noqa: BLE001 - logged and shown; the window still opens
            from cxdesk.logs import write_exception

            log_path = write_exception(window.store.data_dir, exc, f"installing {name}")
            failed.append(name)
            continue
        done.append(name)
    if failed:
        from PySide6.QtCore import QTimer

        from ui import msgbox

        text = (
            "Часть окна не загрузилась из-за ошибки программы: " + ", ".join(failed) + ". "
            f"Подробности записаны в журнал: {log_path}. Остальное работает; сообщите о "
            "ошибке и приложите журнал."
        )
        QTimer.singleShot(0, window, lambda: msgbox.warning(window, text, "cxdesk — ошибка"))
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
@action(Act.NEW_PLAN)
def _new_plan(w: MainWindow) -> QAction:
    return make(w, "&Новый план…", w.new_plan, QKeySequence.StandardKey.New,
                "Создать план мероприятий по типовому плану")  # fmt: skip


@action(Act.OPEN_FILE)
def _open_file(w: MainWindow) -> QAction:
    def run() -> None:
        from ui.exchange import open_file

        open_file(w)

    return make(w, "&Открыть файл…", run, QKeySequence.StandardKey.Open,
                "Загрузить план из файла docx, xlsx или .cxplan")  # fmt: skip


@action(Act.QUIT)
def _quit(w: MainWindow) -> QAction:
    return make(w, "&Выход", w.close, "Ctrl+Q")


@action(Act.UNDO)
def _undo(w: MainWindow) -> QAction:
    act = w.undo_group.createUndoAction(w, "Отменить")
    act.setShortcuts([QKeySequence("Ctrl+Z")])
    return act


@action(Act.REDO)
def _redo(w: MainWindow) -> QAction:
    act = w.undo_group.createRedoAction(w, "Повторить")
    act.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    return act


@action(Act.FIND)
def _find(w: MainWindow) -> QAction:
    return make(w, "&Найти", w.focus_search, "Ctrl+F", "Искать в пунктах плана")


@action(Act.CHANGE_ANSWERS)
def _change_answers(w: MainWindow) -> QAction:
    return make(w, "Изменить &ответы…", w.change_answers, None,
                "Изменить ответы на вопросы шаблона: пункты добавятся или уйдут")  # fmt: skip


@action(Act.PLAN_FORM)
def _plan_form(w: MainWindow) -> QAction:
    def run() -> None:
        from ui.exchange.form_dialog import edit_form

        if w.current_plan_id is not None:
            w.panel.commit()
            edit_form(w, w.store, w.current_plan_id)

    return make(w, "&Форма документа…", run, None,
                "Столбцы, нумерация, заголовок, гриф и подпись, в которых план выгружается и "
                "печатается")  # fmt: skip


@action(Act.PLAN_PROPERTIES)
def _plan_properties(w: MainWindow) -> QAction:
    return make(w, "&Свойства плана…", w.plan_properties, None,
                "Организация, заголовок и гриф «УТВЕРЖДАЮ»")  # fmt: skip


@action(Act.DELETE_PLAN)
def _delete_plan(w: MainWindow) -> QAction:
    return make(w, "&Удалить план…", w.delete_plan)


def _view(w: MainWindow, text: str, key: str) -> QAction:
    act = make(w, text, lambda: w.show_view(key))
    act.setIcon(status.icon(key))
    return act


@action(Act.VIEW_ALL)
def _view_all(w: MainWindow) -> QAction:
    return _view(w, "&Все пункты", "all")


@action(Act.VIEW_OVERDUE)
def _view_overdue(w: MainWindow) -> QAction:
    return _view(w, "&Просроченные", "overdue")


@action(Act.VIEW_UPCOMING)
def _view_upcoming(w: MainWindow) -> QAction:
    return _view(w, "&Ближайшие сроки", "upcoming")


@action(Act.WRAP_TEXT)
def _wrap(w: MainWindow) -> QAction:
    act = make(w, "Переносить длинный &текст", lambda: w.set_wrap(act.isChecked()))
    act.setCheckable(True)
    act.setChecked(True)
    return act


@action(Act.ABOUT)
def _about(w: MainWindow) -> QAction:
    return make(w, "&О программе", w.show_about)
