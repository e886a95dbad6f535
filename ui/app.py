"""Starts the window: ``cxdesk`` with no command runs :func:`main`.

Sets up the application (names for QSettings, Qt's own Russian translations, the Russian
locale), a ``sys.excepthook`` that writes any unexpected error to the log and tells the user
where it is, opens the store (a problem there is explained in a dialog, never a crash) and shows
the main window.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from cxdesk.errors import UserError
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


def open_store(data_dir: Path) -> Any:
    """The store, or None after a dialog that says what went wrong and what to do."""
    from cxdesk.storage.db import Store

    try:
        return Store(data_dir)
    except UserError as exc:
        msgbox.user_error(None, f"{exc.message}\n\nПрограмма будет закрыта.", "cxdesk — запуск")
    except Exception as exc:  # noqa: BLE001 - shown and logged, never a traceback
        msgbox.bug(None, exc, data_dir, context="opening the store")
    return None


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
    store = open_store(data_dir)
    if store is None:
        return 2

    from ui.mainwindow import MainWindow
    from ui.mainwindow.plan_ops import open_path

    window = MainWindow(store, Settings())
    window.show()
    if path is not None:
        QTimer.singleShot(0, lambda: open_path(window, path))
    try:
        return int(app.exec())
    finally:
        store.close()


if __name__ == "__main__":
    raise SystemExit(main())
