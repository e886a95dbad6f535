"""What the user does with an item's documents, as calls on the window.

Each function runs its service on the database worker (:meth:`MainWindow.run_service` or
``window.tasks``) and, for a change, pushes one step onto the plan's undo stack: adding files is
undone by removing them, a removal by restoring the file. The views redraw from the Changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from cxdesk.errors import NotFound
from cxdesk.progress import Progress
from cxdesk.services.attachments import (
    Attached,
    AttachmentView,
    attach_files,
    remove_attachment,
    restore_attachment,
    save_copy,
)
from cxdesk.services.common import Changes
from cxdesk.storage.db import Store

from ui import msgbox
from ui.tracking.files import opening_allowed, read_only_copy, safe_name
from ui.undo import UNDO_NOTE, ServiceCommand

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

#: How long a message stays in the status bar, ms.
MESSAGE_MS = 6000


def _number(number: str) -> str:
    return number.rstrip(".")


def say(window: MainWindow, text: str) -> None:
    """A short message in the window's status bar."""
    bar = getattr(window, "status_bar", None)
    if bar is not None:
        bar.showMessage(text, MESSAGE_MS)


def attach(
    window: MainWindow, plan_id: int, row_id: int, number: str, paths: Sequence[Path]
) -> None:
    """Copies files into the store and links them to the item; one undo step for them all."""
    files = [Path(p) for p in paths]
    if not files:
        return

    def work(store: Store, progress: Progress) -> Attached:
        return attach_files(store, plan_id, f"#{row_id}", files, progress)

    def done(result: Attached) -> None:
        views = result.files
        ids = [v.id for v in views]
        if len(views) == 1:
            text = f"прикрепление файла «{views[0].name}» (п. {_number(number)})"
        else:
            text = f"прикрепление файлов: {len(views)} (п. {_number(number)})"
        window.push_command(plan_id, ServiceCommand(
            text, lambda st: _restore(st, ids), lambda st: _remove(st, ids, UNDO_NOTE),
            window.run_undo_call,
        ))  # fmt: skip
        names = ", ".join(f"«{v.name}»" for v in views)
        say(window, f"К пункту {_number(number)} прикреплено: {names}")

    label = "Прикрепление файла…" if len(files) == 1 else "Прикрепление файлов…"
    window.run_service(work, label=label, progress=True, then=done)


def _remove(store: Store, ids: list[int], note: str = "") -> Changes:
    changes = Changes()
    for i in ids:
        changes.merge(remove_attachment(store, i, note))
    return changes


def _restore(store: Store, ids: list[int]) -> Changes:
    changes = Changes()
    for i in ids:
        changes.merge(restore_attachment(store, i))
    return changes


def remove(
    window: MainWindow, parent: QWidget, plan_id: int, number: str, file: AttachmentView
) -> bool:
    """Asks, then unlinks a file from the item (kept in the history, one undo step)."""
    asked = msgbox.question(
        parent,
        f"Удалить файл «{file.name}» из пункта {_number(number)}?",
        yes="Удалить",
        detail="Удаление записывается в историю пункта; его можно отменить: "
        "Правка → Отменить (Ctrl+Z).",
        dangerous=True,
    )
    if not asked:
        return False
    ident = file.id

    def done(_changes: Changes) -> None:
        window.push_command(plan_id, ServiceCommand(
            f"удаление файла «{file.name}» (п. {_number(number)})",
            lambda st: remove_attachment(st, ident), lambda st: restore_attachment(st, ident),
            window.run_undo_call,
        ))  # fmt: skip
        say(window, f"Файл «{file.name}» удалён из пункта {_number(number)}")

    window.run_service(lambda st: remove_attachment(st, ident), then=done)
    return True


def _missing(parent: QWidget, file: AttachmentView) -> Callable[[BaseException], bool]:
    def failed(exc: BaseException) -> bool:
        if isinstance(exc, NotFound):
            msgbox.warning(
                parent,
                f"Файл «{file.name}» не найден в хранилище программы. Запустите «Сервис → "
                "Проверка данных…» и восстановите его из резервной копии или прикрепите заново.",
            )
            return True
        return False

    return failed


def open_file(
    window: MainWindow,
    parent: QWidget,
    file: AttachmentView,
    then: Callable[[Path], object] | None = None,
) -> None:
    """Opens a read-only copy of the file with the system's program (never the stored file).

    ``then(path)`` receives the copy (tests and the screenshots use it).
    """

    def opened(path: Path) -> None:
        if then is not None:
            then(path)
        if not opening_allowed():
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            msgbox.warning(
                parent,
                f"Не удалось открыть «{file.name}»: в системе нет программы для файлов этого "
                "типа. Сохраните копию («Сохранить копию…») и откройте её нужной программой.",
            )

    window.tasks.run(
        lambda st: read_only_copy(st, file.id, file.name),
        parent=parent,
        success=opened,
        failure=_missing(parent, file),
        label=f"Открытие «{file.name}»…",
    )


def save_as(
    window: MainWindow,
    parent: QWidget,
    file: AttachmentView,
    dest: Path,
    then: Callable[[Path], object] | None = None,
) -> None:
    """Writes a copy of the file to ``dest``."""

    def saved(path: Path) -> None:
        say(window, f"Копия «{file.name}» сохранена: {path}")
        if then is not None:
            then(path)

    window.tasks.run(
        lambda st: save_copy(st, file.id, Path(dest)),
        parent=parent,
        success=saved,
        failure=_missing(parent, file),
        label=f"Сохранение копии «{file.name}»…",
    )


def proposed_name(file: AttachmentView) -> str:
    """The name offered by «Сохранить копию…»: the original one, made safe for the system."""
    return safe_name(file.name)
