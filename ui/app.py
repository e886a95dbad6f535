"""Starts the window: ``cxdesk`` with no command runs :func:`main`.

Sets up the application (names for QSettings, Qt's own Russian translations, the Russian
locale) and a ``sys.excepthook`` that writes any unexpected error to the log in the data folder
and shows where it is. Then, in order: a data folder that cannot be written (read-only, a full
disk) is explained and the start ends; a window already open on the folder is brought to the
front (with the file given to this start) and this start ends; the store is opened (a damaged
database offers the latest backup, never a crash); the main window shows, and two seconds later
the day's backup is made in the background.

``CXDESK_BENCH_EXIT_AFTER_PAINT=1`` (for the start-up benchmark) prints ``PAINTED`` once the last
plan's tree is painted, then the names of the modules imported by then, and leaves.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from cxdesk.paths import default_data_dir

from ui import msgbox
from ui import settings as S
from ui.settings import Settings, set_application_names

if TYPE_CHECKING:
    from cxdesk.services.first_view import FirstView

    from ui.mainwindow.window import MainWindow

#: The day's backup starts this long after the window shows (never before the first paint).
DAILY_BACKUP_DELAY_MS = 2000
#: At closing, a day's backup still being written is waited for this long (seconds).
BACKUP_JOIN_S = 120
#: What waits for the first paint of the plan (or of the welcome) runs at the latest this late.
FIRST_PAINT_LATEST_MS = 2000

_translators: list[QTranslator] = []
_in_hook = False


def install_translations(app: QApplication) -> None:
    """Qt's own dialogs and buttons in Russian, when Qt's translation files are there."""
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Russian), name, "_", folder):
            app.installTranslator(translator)
            _translators.append(translator)
            return


def install_excepthook(data_dir: Path) -> None:
    """Any error that reaches the event loop: logged, and the user told where the log is."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        global _in_hook
        if issubclass(kind, KeyboardInterrupt) or _in_hook:
            sys.__excepthook__(kind, exc, tb)
            return
        _in_hook = True
        try:
            if exc.__traceback__ is None and tb is not None:
                exc = exc.with_traceback(tb)
            parent = QApplication.activeWindow()
            msgbox.error(parent, exc, data_dir, context="unhandled error in the window")
        except Exception:  # noqa: BLE001 - the hook itself must never fail
            sys.__excepthook__(kind, exc, tb)
        finally:
            _in_hook = False

    sys.excepthook = hook


def _split_args(argv: Sequence[str]) -> tuple[list[str], Path | None]:
    path = None
    qt_args = []
    for arg in argv:
        if path is None and arg.lower().endswith(".cxplan") and not arg.startswith("-"):
            path = Path(arg)
        else:
            qt_args.append(arg)
    return qt_args, path


def bring_to_front(window: MainWindow, text: str) -> None:
    """A later start of cxdesk asked for this window (and maybe gave it a file to open)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    if text:
        from ui.mainwindow.plan_ops import open_path

        open_path(window, Path(text))


def _exit_after_first_paint(app: QApplication, window: MainWindow) -> None:
    """For the start-up benchmark: once the plan is shown and painted, say so (``PAINTED``, then
    the names of the modules imported by then) and leave."""

    started = time.monotonic()

    def check() -> None:
        if window.model.plan is None and time.monotonic() - started < 30:
            QTimer.singleShot(2, check)
            return
        window.tree.viewport().repaint()
        print("PAINTED", flush=True)
        print(" ".join(sorted(sys.modules)), flush=True)
        app.exit(0)  # not quit(): that closes the window, whose closing asks to quit again

    QTimer.singleShot(0, check)


class _FirstPaint(QObject):
    """Runs ``call`` once, just after the first paint of the plan's tree or the welcome view
    (or :data:`FIRST_PAINT_LATEST_MS` after the window shows, whichever comes first)."""

    def __init__(self, window: MainWindow, call: Any) -> None:
        super().__init__(window)
        self._call: Any = call
        self._window = window
        self._watched = [window.tree.viewport(), window.welcome]
        for widget in self._watched:
            widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_LATEST_MS, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._call is not None:
            w = self._window
            if w.model.plan is not None if watched is self._watched[0] else w.plans_loaded:
                QTimer.singleShot(0, self._run)  # after the paint, not inside it
        return False

    def _run(self) -> None:
        call, self._call = self._call, None
        if call is None:
            return
        for widget in self._watched:
            widget.removeEventFilter(self)
        call()


def after_first_paint(window: MainWindow, call: Any) -> None:
    """Runs ``call`` once the window has painted what it opens on (the instance guard's socket
    is made then: a later start keeps trying to reach it for seconds, and the lock already
    keeps it from opening the database)."""
    _FirstPaint(window, call)


def menu_entries(window: MainWindow) -> dict[str, list[str]]:
    """The window's menus as their entries' texts (submenus as «Меню › entry»), by menu title."""

    def entries(menu: Any, prefix: str = "") -> list[str]:
        out: list[str] = []
        for act in menu.actions():
            if act.isSeparator():
                continue
            text = prefix + act.text().replace("&", "")
            out.append(text)
            if act.menu() is not None:
                out.extend(entries(act.menu(), text + " › "))
        return out

    return {
        act.text().replace("&", ""): entries(act.menu())
        for act in window.menuBar().actions()
        if act.menu() is not None
    }


def _describe_and_exit(app: QApplication, window: MainWindow, out: Path) -> None:
    """For the bundle's test: writes what the window holds (its menus, the wizard's pages) as
    JSON to ``out`` once the window is built and its plans are read, then leaves."""
    import json

    from ui.wizard.wizard import PlanWizard

    started = time.monotonic()

    def describe() -> None:
        if not window.plans_loaded and time.monotonic() - started < 30:
            QTimer.singleShot(20, describe)
            return
        wizard = PlanWizard(window)
        wizard.show()
        app.processEvents()
        pages = [wizard.page(i).title() for i in wizard.pageIds()]
        wizard.reject()
        state = {"menus": menu_entries(window), "wizard_pages": pages,
                 "welcome": window.pages.currentWidget() is window.welcome,
                 "plan_shown": window.model.plan is not None,
                 "painted_before_store": window.painted_before_store,
                 "tree": _tree_figures(window)}  # fmt: skip
        out.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        app.exit(0)

    QTimer.singleShot(0, describe)


def _tree_figures(window: MainWindow) -> list[int]:
    """Rows of the plan's tree as Qt walks it, then after a search for the last item's first
    word, and the items shown then (the filter cleared again after)."""
    from PySide6.QtCore import QModelIndex

    model = window.model

    def walked(parent: QModelIndex) -> int:
        return sum(1 + walked(model.index(r, 0, parent)) for r in range(model.rowCount(parent)))

    items = [row for row in model.rows if row.kind == "item"]
    if not items:
        return []
    everything = walked(QModelIndex())
    window.filter_bar.search.setText(items[-1].title.split()[0])
    window.filter_bar.flush()
    found = [walked(QModelIndex()), model.shown_items]
    window.filter_bar.clear()
    window.filter_bar.flush()
    return [everything, *found]


def _daily_backup(data_dir: Path, started: list[Any]) -> None:
    """The day's backup, made once a day in the background after the window shows."""
    import threading

    from cxdesk.services.backup import daily_backup

    thread = threading.Thread(target=daily_backup, args=(data_dir,), name="cxdesk-daily-backup")
    thread.start()
    started.append(thread)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the window until it is closed; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    qt_args, path = _split_args(args)
    set_application_names()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "cxdesk", *qt_args])
    install_translations(app)
    data_dir = default_data_dir()
    install_excepthook(data_dir)

    from ui.safety.instance import InstanceGuard
    from ui.safety.recovery import folder_problem, open_or_recover

    guard = InstanceGuard(data_dir)
    problem = folder_problem(data_dir)
    if problem:
        if guard.send_to_running(_file_text(path), wait_ms=0):
            return 0  # a window of this folder runs already (the folder is fine for it)
        msgbox.user_error(None, f"{problem}\n\nПрограмма будет закрыта.", "cxdesk — запуск")
        return 2
    if not guard.claim():
        if guard.send_to_running(_file_text(path)):
            return 0  # the window of this folder is already open: it came to the front
        msgbox.information(
            None,
            "cxdesk уже открыт для этой папки данных в другом окне, но оно не отвечает. "
            "Закройте его (или дождитесь, пока оно закончит работу) и запустите cxdesk снова.",
        )
        return 0

    from ui.connection.dialog import apply_saved

    apply_saved(Settings())  # a shared database chosen in the window, unless --db/CXDESK_DB
    settings = Settings()
    first = _first_view(data_dir, settings)
    store = None
    if first is None:  # the normal start: the store first (it migrates, recovers, explains)
        store = open_or_recover(data_dir)
        if store is None:
            guard.release()
            return 2

    from ui.mainwindow import MainWindow
    from ui.mainwindow.plan_ops import open_path

    window = MainWindow(store, settings, first=first)
    window.show()
    guard.message.connect(lambda text: bring_to_front(window, text))
    after_first_paint(window, guard.listen)  # QtNetwork and the socket: not before the paint
    if store is None:
        after_first_paint(window, lambda: _open_behind(app, window, data_dir))
    if path is not None:
        QTimer.singleShot(0, lambda: open_path(window, path))
    backups: list[Any] = []
    QTimer.singleShot(DAILY_BACKUP_DELAY_MS, lambda: _daily_backup(data_dir, backups))
    if os.environ.get("CXDESK_BENCH_EXIT_AFTER_PAINT"):
        _exit_after_first_paint(app, window)
    if os.environ.get("CXDESK_DESCRIBE_WINDOW"):
        _describe_and_exit(app, window, Path(os.environ["CXDESK_DESCRIBE_WINDOW"]))
    try:
        return int(app.exec())
    finally:
        watcher = getattr(window, "external_changes", None)
        if watcher is not None:
            watcher.stop()
        for thread in backups:
            thread.join(BACKUP_JOIN_S)  # a backup under way is finished, not cut off
        from ui.safety.exit_backup import backup_on_exit

        if window.store is not None:
            backup_on_exit(data_dir, window.settings)  # the day's work kept in the newest copy
            window.store.close()
        guard.release()


def _first_view(data_dir: Path, settings: Settings) -> FirstView | None:
    """What the window paints before the store is open: the data folder's own SQLite file read
    without SQLAlchemy (:mod:`cxdesk.services.first_view`); None when that does not apply (a
    shared database, a file to migrate or damaged, no file yet): the store opens first then."""
    if os.environ.get("CXDESK_DB", "").strip():
        return None
    from cxdesk.paths import DB_NAME
    from cxdesk.services.first_view import first_view

    try:
        return first_view(data_dir / DB_NAME, settings.get(S.LAST_PLAN))
    except Exception:  # noqa: BLE001 - the normal start then reads, and explains what is wrong
        return None


def _open_behind(app: QApplication, window: MainWindow, data_dir: Path) -> None:
    """Opens the store behind the painted window: the store's modules (SQLAlchemy, 0.3–0.5 s)
    are imported on a thread while the window stays responsive; then the store is opened (a
    damaged database offers its backup, as at a normal start) and given to the window."""
    import threading

    def load() -> None:
        try:
            import cxdesk.services.items  # noqa: F401 - what the store and the window's work use
            import cxdesk.services.plans  # noqa: F401
            import cxdesk.services.views  # noqa: F401
            import cxdesk.storage.db  # noqa: F401
        except BaseException:  # noqa: BLE001 - opening the store below imports them again and
            return  # explains the failure in a dialog, with the log; nothing goes to a terminal

    loader = threading.Thread(target=load, name="cxdesk-load", daemon=True)
    loader.start()

    def ready() -> None:
        if loader.is_alive():
            QTimer.singleShot(10, ready)
            return
        from ui.safety.recovery import open_or_recover

        store = open_or_recover(data_dir, window)
        if store is None:
            app.exit(2)
            return
        window.attach(store)

    QTimer.singleShot(10, ready)


def _file_text(path: Path | None) -> str:
    return str(path.resolve()) if path is not None else ""


if __name__ == "__main__":
    raise SystemExit(main())
