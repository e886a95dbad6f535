"""What the parts of «Beyond the spreadsheet» share: settings, file names, going to an item.

The settings are declared here once (:mod:`ui.settings`). File work reuses the exchange helpers
(the remembered folder, the finished-work message with «Открыть файл» and «Показать в папке»,
waiting for work on the database thread).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QAbstractButton, QFileDialog, QWidget

from cxdesk.domain.deadlines import format_date
from cxdesk.services.common import today

from ui import settings as S
from ui.exchange import common as C
from ui.tasks import tasks_of

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

#: Format key → the save dialog's filter.
FILTERS = {
    "docx": "Документ Word (*.docx)",
    "xlsx": "Книга Excel (*.xlsx)",
    "pdf": "Документ PDF (*.pdf)",
    "ics": "Календарь iCalendar (*.ics)",
}


def file_base(text: str, limit: int = 80) -> str:
    """Text made fit for a file name (no characters Windows refuses, one line, not too long)."""
    base = re.sub(r'[\\/:*?"<>|\r\n\t]+', " ", text).strip(" .")
    return re.sub(r"\s+", " ", base)[:limit].strip() or "План"


def today_text() -> str:
    return format_date(today())


def proposed_path(parent: QWidget | None, name: str) -> Path:
    """``name`` in the folder used last time (else Documents)."""
    return C.remembered_folder(parent, S.REPORTS_FOLDER) / name


def ask_save_path(
    parent: QWidget | None, title: str, proposed: Path, formats: tuple[str, ...]
) -> tuple[Path, str] | None:
    """The save dialog: the chosen file (its extension added when missing) and its format."""
    filters = ";;".join(FILTERS[f] for f in formats)
    chosen_filter = FILTERS.get(proposed.suffix.lower().lstrip("."), FILTERS[formats[0]])
    chosen, used = QFileDialog.getSaveFileName(parent, title, str(proposed), filters, chosen_filter)
    if not chosen:
        return None
    path = Path(chosen)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        fmt = next((f for f in formats if FILTERS[f] == used), formats[0])
        path = path.with_name(f"{path.name}.{fmt}")
    return path, fmt


def export_target(
    owner: QWidget, path: Path | None, title: str, name: str, formats: tuple[str, ...]
) -> tuple[Path, str] | None:
    """The file an export writes and its format: ``path`` when given (the format from its
    extension), else the file chosen in the save dialog, proposed as ``name``; None when the
    dialog was cancelled."""
    if path is not None:
        return path, path.suffix.lower().lstrip(".")
    return ask_save_path(owner, title, proposed_path(owner, name), formats)


def remember(parent: QWidget | None, path: Path) -> None:
    C.remember_folder(parent, S.REPORTS_FOLDER, path)


def go_to_item(window: MainWindow, plan_id: int, row_id: int | None) -> None:
    """Shows a plan (opening it when another one is shown) and selects one of its rows."""

    def select() -> None:
        if row_id is not None:
            window.select_row(row_id)
            window.tree.setFocus()

    window.open_plan_then(plan_id, select)


def write_file(
    owner: QWidget,
    work: Callable[[Any], object],
    label: str,
    written: Callable[[Any], object],
    done: Callable[[None], object],
    button: QAbstractButton | None = None,
) -> None:
    """Runs ``work(store)`` (writing a file) on the database thread, then ``written(result)``;
    on failure the error is shown and ``done(None)`` ends the flow. ``button``, which started
    it, is disabled meanwhile, so a second press cannot write the file twice."""
    was = button.isEnabled() if button is not None else False
    if button is not None:
        button.setEnabled(False)

    def give_back() -> None:
        if button is not None:
            button.setEnabled(was)

    def ok(result: object) -> None:
        give_back()
        written(result)

    def failed(_exc: BaseException) -> bool:
        give_back()
        done(None)
        return False  # the error dialog says what went wrong

    tasks_of(owner).run(work, parent=owner, success=ok, failure=failed, label=label)
