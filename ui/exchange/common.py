"""What the exchange dialogs share: background work, settings, finished-work messages, folders.

Work on the store goes through the window's :class:`~ui.tasks.Tasks` (``tasks_of(parent)``), so
it runs on the one database thread and shows a progress dialog after 600 ms. A flow is a chain of
small steps, each the ``success`` of the work before it: read the file -> show the preview ->
store the plan -> redraw. A flow that has a result for its caller takes ``then`` and calls it
once at its end, with the result or with None (declined, failed, cancelled), so that the caller
can tidy up: :func:`unless_cancelled` and :func:`ends_with` make the cancelled and the failed
work end the flow too. Nothing waits for work in a local event loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, cast

from PySide6.QtCore import QObject, QStandardPaths, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from cxdesk.progress import Cancelled

from ui import msgbox
from ui import settings as S
from ui.settings import Settings
from ui.tasks import Tasks

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from cxdesk.services.common import Changes
    from cxdesk.storage.db import Store

    from ui.mainwindow.window import MainWindow
    from ui.undo import ServiceCommand

#: Files a plan can be read from.
OPEN_SUFFIXES = (".docx", ".xlsx", ".cxplan", ".odt", ".ods", ".csv", ".doc", ".xls", ".rtf")
OPEN_FILTER = (
    "Планы (*.docx *.xlsx *.cxplan *.odt *.ods *.csv *.doc *.xls *.rtf);;"
    "Документ Word (*.docx);;Книга Excel (*.xlsx);;Пакет cxdesk (*.cxplan);;"
    "LibreOffice (*.odt *.ods);;Таблица CSV (*.csv);;Старые форматы (*.doc *.xls *.rtf)"
)
#: Set (to anything but 0) to keep files and folders from being opened (tests, screenshots).
NO_OPEN_ENV = "CXDESK_NO_OPEN"

P = ParamSpec("P")
T = TypeVar("T")

_fallback_settings: list[Settings] = []


def _ancestors(widget: QObject | None) -> list[QObject]:
    out = []
    while widget is not None:
        out.append(widget)
        widget = widget.parent()
    return out


class Host(Protocol):
    """What the exchange asks of the window it runs in (the main window; the tests' stand-in
    gives the same): its store, runner and settings; opening a plan; redrawing what a service
    changed; the plans' undo stacks; the status bar. ``ui.exchange.install`` checks that the
    main window is one."""

    store: Store
    tasks: Tasks
    settings: Settings
    current_plan_id: int | None

    def reload_plans(self, select: int | None = None) -> None: ...

    def apply_changes(self, changes: Changes | None) -> None: ...

    def push_command(self, plan_id: int, command: ServiceCommand) -> None: ...

    def run_undo_call(self, call: Any) -> None: ...

    def commit_edits(self) -> None: ...

    def statusBar(self) -> QStatusBar: ...


def check_host(window: MainWindow) -> Host:
    """The main window as the exchange sees it (mypy checks here that it is a :class:`Host`)."""
    return window


def window_of(parent: QObject | None) -> Host | None:
    """The window above ``parent`` (None for a dialog on its own): the first ancestor with a
    runner."""
    hosts = (w for w in _ancestors(parent) if isinstance(getattr(w, "tasks", None), Tasks))
    return cast("Host | None", next(hosts, None))


def settings_for(parent: QObject | None) -> Settings:
    """The window's settings, else the user's."""
    for w in _ancestors(parent):
        found = getattr(w, "settings", None)
        if isinstance(found, Settings):
            return found
    if not _fallback_settings:
        _fallback_settings.append(Settings())
    return _fallback_settings[0]


def unless_cancelled(fn: Callable[P, T]) -> Callable[P, T | None]:
    """``fn`` returning None when the user cancels it (instead of raising Cancelled).

    The runner calls no continuation for a cancelled work; a flow that must tidy up (remove a
    file read for a preview) or give its button back wraps its work in this, so that its
    ``success`` still runs, with None.
    """

    def work(*args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return fn(*args, **kwargs)
        except Cancelled:
            return None

    return work


def nothing(_result: Any) -> None:
    """The continuation of a flow whose caller wants no result."""


def ends_with(then: Callable[[Any], object] | None, value: Any = None) -> Callable[..., bool]:
    """A ``failure`` for :meth:`Tasks.run` that ends a flow: ``then(value)`` (when given), and
    the error goes on to the error dialog."""

    def failed(_exc: BaseException) -> bool:
        if then is not None:
            then(value)
        return False

    return failed


def remembered_folder(parent: QObject | None, setting: Any) -> Path:
    """The folder last used for ``setting``, else the last folder of any file dialog, else
    Documents, else the home folder."""
    saved = S.folder_for(settings_for(parent), setting)
    if saved is not None:
        return saved
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def remember_folder(parent: QObject | None, setting: Any, path: Path) -> None:
    S.remember_folder(settings_for(parent), setting, Path(path))


def opening_allowed() -> bool:
    return os.environ.get(NO_OPEN_ENV, "") in ("", "0")


def open_path(path: Path) -> bool:
    """Opens a file with its program (Word, Excel, the PDF viewer)."""
    if not opening_allowed():
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Opens the folder of ``path`` (on Windows with the file selected)."""
    if not opening_allowed():
        return False
    if sys.platform == "win32":
        try:
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603, S607
            return True
        except OSError:
            pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def finished(
    parent: QWidget | None,
    text: str,
    path: Path,
    *,
    can_open: bool = True,
    detail: str = "",
    title: str = msgbox.TITLE,
    open_text: str = "Открыть файл",
) -> None:
    """Work done: says what was written, with «Открыть файл» and «Показать в папке»."""
    opener = open_text if can_open else None
    folder, close = "Показать в папке", "Закрыть"
    buttons = [opener, folder, close] if opener else [folder, close]
    clicked = msgbox.choose(
        parent, text, buttons, title=title, detail=detail, kind="information",
        default=opener or close, escape=close, name="exchangeFinished",
    )  # fmt: skip
    if opener is not None and clicked == opener:
        open_path(path)
    elif clicked == folder:
        show_in_folder(path)


def quiet(label: QLabel) -> QLabel:
    """An explanation in a softer colour that stays readable (between text and background)."""
    palette = label.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mixed = QColor(
        (text.red() * 2 + back.red()) // 3,
        (text.green() * 2 + back.green()) // 3,
        (text.blue() * 2 + back.blue()) // 3,
    )
    palette.setColor(QPalette.ColorRole.WindowText, mixed)
    label.setPalette(palette)
    return label


def flat(text: str) -> str:
    """Several lines as one (for a table cell); the full text goes to the tooltip."""
    return "; ".join(line.strip() for line in (text or "").splitlines() if line.strip())
