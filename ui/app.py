"""Starts the window: ``cxdesk`` with no command runs :func:`main`.

Sets up the application (names for QSettings, Qt's own Russian translations, the Russian
locale), a ``sys.excepthook`` that writes any unexpected error to the log and tells the user
where it is, opens the store (a problem there is explained in a dialog, never a crash) and shows
the main window.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from cxdesk.paths import default_data_dir

from ui import msgbox
from ui.settings import Settings, set_application_names

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


def bring_to_front(window: Any, text: str) -> None:
    """A later start of cxdesk asked for this window (and maybe gave it a file to open)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    if text:
        from ui.mainwindow.plan_ops import open_path

        open_path(window, Path(text))


def _exit_after_first_paint(app: QApplication, window: Any) -> None:
    """For the start-up benchmark: once the plan is shown and painted, say so and leave."""

    started = time.monotonic()

    def check() -> None:
        if window.model.plan is None and time.monotonic() - started < 30:
            QTimer.singleShot(2, check)
            return
        window.tree.viewport().repaint()
        print("PAINTED", flush=True)
        app.quit()

    QTimer.singleShot(0, check)


def _daily_backup(data_dir: Path) -> None:
    """The day's backup, made once a day in the background after the window shows."""
    import threading

    from cxdesk.services.backup import daily_backup

    threading.Thread(target=daily_backup, args=(data_dir,), daemon=True).start()


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
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msgbox.user_error(
            None,
            f"Не удаётся создать папку данных {data_dir}: {exc.strerror}. Проверьте права "
            "доступа или укажите другую папку (cxdesk --data-dir ПАПКА).",
            "cxdesk — запуск",
        )
        return 2

    from ui.safety.instance import InstanceGuard

    guard = InstanceGuard(data_dir)
    if guard.send_to_running(str(path.resolve()) if path else ""):
        return 0  # the window of this folder is already open: it came to the front
    if not guard.claim():
        msgbox.information(None, "cxdesk уже открыт для этой папки данных в другом окне.")
        return 0

    from ui.safety.recovery import open_or_recover

    store = open_or_recover(data_dir)
    if store is None:
        guard.release()
        return 2

    from ui.mainwindow import MainWindow
    from ui.mainwindow.plan_ops import open_path

    window = MainWindow(store, Settings())
    window.show()
    guard.message.connect(lambda text: bring_to_front(window, text))
    if path is not None:
        QTimer.singleShot(0, lambda: open_path(window, path))
    QTimer.singleShot(2000, lambda: _daily_backup(data_dir))
    if os.environ.get("CXDESK_BENCH_EXIT_AFTER_PAINT"):
        _exit_after_first_paint(app, window)
    try:
        return int(app.exec())
    finally:
        watcher = getattr(window, "external_changes", None)
        if watcher is not None:
            watcher.stop()
        store.close()
        guard.release()


if __name__ == "__main__":
    raise SystemExit(main())
