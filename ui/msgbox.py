"""Every message box of cxdesk goes through this module.

Plain messages, questions, a choice among buttons of the caller's own (:func:`choose`), and
the two kinds of error: a :class:`~cxdesk.errors.UserError`
shows its Russian message (it says what to do); anything else is a bug, written to the log file
in the data folder, and the dialog says where the log is.

Tests (and the screenshot tool) call :func:`capture`: boxes are then recorded instead of shown,
and questions get a preset answer, so nothing ever blocks a test run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from cxdesk.errors import UserError
from cxdesk.logs import write_exception

from ui.wording import for_window

TITLE = "cxdesk"


@dataclass
class Shown:
    """A box that :func:`capture` recorded instead of showing: its kind, title and text."""

    kind: str  # information | warning | question | error | bug
    title: str
    text: str


class _Capture:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.shown: list[Shown] = []


_capture: _Capture | None = None


@contextlib.contextmanager
def capture(answer: bool = True) -> Iterator[list[Shown]]:
    """Records boxes instead of showing them; questions are answered ``answer``."""
    global _capture
    previous, _capture = _capture, _Capture(answer)
    try:
        yield _capture.shown
    finally:
        _capture = previous


def capturing() -> bool:
    """True inside :func:`capture` (a dialog of its own records itself instead of showing)."""
    return _capture is not None


def record(kind: str, title: str, text: str) -> None:
    """Records a dialog made elsewhere while capturing."""
    if _capture is not None:
        _capture.shown.append(Shown(kind, title, text))


def capture_answer() -> bool:
    """The preset answer of :func:`capture` (True outside it)."""
    return _capture.answer if _capture is not None else True


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = ""
) -> QMessageBox:
    text, detail = for_window(text), for_window(detail)
    box = QMessageBox(icon, title or TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if detail:
        box.setInformativeText(detail)
    return box


def information(parent: QWidget | None, text: str, title: str = TITLE, detail: str = "") -> None:
    """A message that needs no answer."""
    if _capture is not None:
        _capture.shown.append(Shown("information", title, for_window(text)))
        return
    box = _box(parent, QMessageBox.Icon.Information, title, text, detail)
    box.addButton("ОК", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def warning(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    """Something went wrong that the user can put right; the text says how."""
    _warn(parent, "warning", text, title)


def _warn(parent: QWidget | None, kind: str, text: str, title: str) -> None:
    if _capture is not None:
        _capture.shown.append(Shown(kind, title, for_window(text)))
        return
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton("ОК", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def question(
    parent: QWidget | None,
    text: str,
    title: str = TITLE,
    yes: str = "Да",
    no: str = "Отмена",
    detail: str = "",
    dangerous: bool = False,
) -> bool:
    """Asks; True when the user chose ``yes``. A dangerous question defaults to ``no``."""
    if _capture is not None:
        _capture.shown.append(Shown("question", title, for_window(text)))
        return _capture.answer
    icon = QMessageBox.Icon.Warning if dangerous else QMessageBox.Icon.Question
    box = _box(parent, icon, title, text, detail)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if dangerous else yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


_ICONS = {
    "information": QMessageBox.Icon.Information,
    "question": QMessageBox.Icon.Question,
    "warning": QMessageBox.Icon.Warning,
    "critical": QMessageBox.Icon.Critical,
}


def choose(
    parent: QWidget | None,
    text: str,
    buttons: Sequence[str],
    *,
    title: str = TITLE,
    detail: str = "",
    kind: str = "question",
    icon: str = "",
    default: str | None = None,
    escape: str | None = None,
    captured: str | None = None,
    name: str = "",
) -> str | None:
    """A box with buttons of the caller's own; returns the label of the one clicked, or
    ``escape`` when the box was closed. ``icon`` is one of information, question, warning,
    critical (``kind`` by default); ``name`` the box's object name.

    Captured (tests, screenshots): recorded as ``kind``; the answer is ``captured`` when the
    capture answers yes, else ``escape``. Nothing is shown."""
    if _capture is not None:
        _capture.shown.append(Shown(kind, title, for_window(text)))
        return captured if _capture.answer else escape
    box = _box(parent, _ICONS.get(icon or kind, QMessageBox.Icon.Information), title, text, detail)
    if name:
        box.setObjectName(name)
    made = {}
    for label in buttons:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if label == escape
            else QMessageBox.ButtonRole.ActionRole
        )
        made[label] = box.addButton(label, role)
    if default in made:
        box.setDefaultButton(made[default])
    if escape in made:
        box.setEscapeButton(made[escape])
    box.exec()
    clicked = box.clickedButton()
    return next((label for label, button in made.items() if button is clicked), escape)


def user_error(parent: QWidget | None, error: UserError | str, title: str = TITLE) -> None:
    """Bad input or the environment's fault: the message says what to do."""
    _warn(parent, "error", error.message if isinstance(error, UserError) else str(error), title)


def bug(
    parent: QWidget | None, error: BaseException, data_dir: Path | None, context: str = ""
) -> Path | None:
    """An unexpected error: written to the log file; the dialog says where it is."""
    path: Path | None = None
    try:
        path = write_exception(data_dir or Path.home(), error, context)
    except Exception:  # noqa: BLE001 - the dialog must still appear
        path = None
    where = (
        f"Подробности записаны в файл:\n{path}\n\nОтправьте этот файл тому, кто сопровождает "
        "программу."
        if path
        else "Записать подробности в журнал не удалось."
    )
    text = (
        "Произошла непредвиденная ошибка. Уже сохранённые данные не пострадали; последнее "
        "действие, возможно, не выполнено — проверьте его и повторите.\n\n" + where
    )
    if _capture is not None:
        _capture.shown.append(Shown("bug", TITLE, text))
        return path
    box = _box(parent, QMessageBox.Icon.Critical, "cxdesk — ошибка", text)
    folder = box.addButton("Открыть папку журнала", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Закрыть", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if path and box.clickedButton() is folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    return path


def error(
    parent: QWidget | None, exc: BaseException, data_dir: Path | None, context: str = ""
) -> None:
    """Shows any failure the right way: a UserError plainly, anything else as a bug."""
    if isinstance(exc, UserError):
        user_error(parent, exc)
    else:
        bug(parent, exc, data_dir, context)
