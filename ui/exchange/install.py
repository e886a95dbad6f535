"""The exchange entries of the main window's «Файл» menu, and files dropped on the window.

:func:`install_exchange_actions` adds what the window's own action factory does not make yet:
«Объединить с файлом коллеги…», «Экспорт…» (Ctrl+E), «Печать…» (Ctrl+P), «Предварительный
просмотр», «Сохранить пакет…», «Отправить по почте…». «Открыть файл…», which the window's own
factory makes (``Act.OPEN_FILE``), is left as it is. The entries that need a plan follow the
window's ``plan_opened`` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.exchange import common as C
from ui.mainwindow.actions import make

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

#: key → (text, shortcut, tip, needs an open plan)
ENTRIES: dict[str, tuple[str, Any, str, bool]] = {
    "open": ("&Открыть файл…", QKeySequence.StandardKey.Open,
             "Загрузить план из файла docx, xlsx или .cxplan", False),
    "merge": ("Объединить с &файлом коллеги…", None,
              "Перенести в план изменения из файла, который прислал коллега", True),
    "export": ("&Экспорт…", "Ctrl+E", "Сохранить план в Word, Excel или PDF", True),
    "print": ("&Печать…", QKeySequence.StandardKey.Print, "Напечатать план", True),
    "preview": ("Предварительный про&смотр", None, "Страницы плана, как они будут напечатаны",
                True),
    "package": ("Сохранить па&кет…", None,
                "Один файл .cxplan с планом, историей и вложениями — для обмена с коллегой",
                True),
    "mail": ("Отправить по по&чте…", None, "Новое письмо с планом во вложении", True),
}  # fmt: skip
#: The window's own action (by object name) that makes ours unnecessary.
OWNED_BY_WINDOW = {"open": "action_open_file"}


def file_menu(window: MainWindow) -> QMenu:
    """The window's «Файл» menu (by object name, else by title); made when missing."""
    menu = window.findChild(QMenu, "menu_Файл")
    if menu is not None:
        return menu
    for found in window.menuBar().findChildren(QMenu):
        if found.title().replace("&", "") == "Файл":
            return found
    first = window.menuBar().actions()[0] if window.menuBar().actions() else None
    menu = QMenu("&Файл", window)
    menu.setObjectName("menu_Файл")
    if first is None:
        window.menuBar().addMenu(menu)
    else:
        window.menuBar().insertMenu(first, menu)
    return menu


class DropFilter(QObject):
    """Lets the window take plan files dropped on it (docx, xlsx, .cxplan)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @staticmethod
    def _plan_files(event: Any) -> bool:
        mime = event.mimeData()
        return mime is not None and any(
            u.isLocalFile() and u.toLocalFile().lower().endswith(C.OPEN_SUFFIXES)
            for u in mime.urls()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self._plan_files(event):
            event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            urls = list(event.mimeData().urls())
            if self._plan_files(event):
                event.acceptProposedAction()
                from ui.exchange.opening import open_dropped_files

                open_dropped_files(self.window, self.window.store, urls)
                return True
        return super().eventFilter(watched, event)


def _slot(window: MainWindow, key: str) -> Callable[[], Any]:
    """The entry's command; a second trigger while its flow still runs (the plan being read
    before the dialog shows) does nothing, so one press of a key twice opens one dialog."""
    import ui.exchange as feature

    calls: dict[str, Callable[..., Any]] = {
        "open": feature.open_file, "merge": feature.merge_with_file,
        "export": feature.export_plan, "print": feature.print_plan,
        "preview": feature.preview_plan, "package": feature.save_package,
        "mail": feature.send_by_mail,
    }  # fmt: skip
    running = [False]

    def ended(_result: Any = None) -> None:
        running[0] = False

    window.tasks.broken.connect(ended)  # the flow failed unexpectedly: its end will not come

    def run() -> None:
        if running[0]:
            return
        running[0] = True
        try:
            calls[key](window, then=ended)
        except BaseException:
            running[0] = False
            raise

    return run


def install_exchange_actions(window: MainWindow) -> dict[str, QAction]:
    """Adds the exchange entries to the window's «Файл» menu; returns them by key."""
    C.check_host(window)
    made: dict[str, QAction] | None = getattr(window, "exchange_actions", None)
    if made is not None:
        return made
    made = {}
    menu = file_menu(window)
    for key, (text, shortcut, tip, _needs_plan) in ENTRIES.items():
        owner = OWNED_BY_WINDOW.get(key)
        if owner and any(a.objectName() == owner for a in menu.actions()):
            continue
        made[key] = make(window, text, _slot(window, key), shortcut, tip, f"action_exchange_{key}")
    _place(menu, made)
    window.exchange_actions = made

    def enable(plan_id: int) -> None:
        for key, act in made.items():
            if ENTRIES[key][3]:
                act.setEnabled(bool(plan_id))

    enable(getattr(window, "current_plan_id", None) or 0)
    signal = getattr(window, "plan_opened", None)
    if signal is not None:
        signal.connect(enable)
    window.setAcceptDrops(True)
    window.exchange_drops = DropFilter(window)
    window.installEventFilter(window.exchange_drops)
    return made


def _following(menu: QMenu, act: QAction | None) -> QAction | None:
    """The entry after ``act`` (None at the end, or when ``act`` is not in the menu)."""
    actions = menu.actions()
    if act is None or act not in actions:
        return None
    i = actions.index(act)
    return actions[i + 1] if i + 1 < len(actions) else None


def _insert(menu: QMenu, before: QAction | None, group: list[QAction], separate: bool) -> None:
    """``group`` before ``before`` (at the end when None), after a separator if ``separate``."""
    if before is None:
        if separate:
            menu.addSeparator()
        menu.addActions(group)
        return
    if separate:
        menu.insertSeparator(before)
    menu.insertActions(before, group)


def _place(menu: QMenu, made: dict[str, QAction]) -> None:
    """Open and merge after «Открыть файл…»; documents, then exchange, before «Выход»."""
    actions = menu.actions()
    by_name = {a.objectName(): a for a in actions}
    quit_act = by_name.get("action_quit")
    anchor = None
    if quit_act is not None:
        i = actions.index(quit_act)
        anchor = actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else quit_act
    if "open" in made:
        after_new = _following(menu, by_name.get("action_new_plan"))
        _insert(menu, after_new or anchor, [made["open"]], False)
    opener = by_name.get("action_open_file") or made.get("open")
    if "merge" in made:
        _insert(menu, _following(menu, opener) or anchor, [made["merge"]], False)
    documents = [made[k] for k in ("export", "print", "preview") if k in made]
    theirs = [by_name[n] for n in ("action_export", "action_print") if n in by_name]
    if documents and theirs:
        _insert(menu, _following(menu, theirs[-1]), documents, False)
    elif documents:
        _insert(menu, anchor, documents, True)
    exchange = [made[k] for k in ("package", "mail") if k in made]
    if exchange:
        _insert(menu, anchor, exchange, True)
    if anchor is not None and anchor is quit_act:
        menu.insertSeparator(quit_act)
