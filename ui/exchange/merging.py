"""«Файл → Объединить с файлом коллеги…»: compare, choose, apply as one undoable step.

The chosen file is copied first, so that the comparison, the merge and a later «Повторить» all
read the same bytes even if the colleague's file is moved or replaced. In the main window the
merge goes onto the plan's undo stack as one command (undo calls ``undo_merge``; redo applies
the same choice again); elsewhere :func:`run_merge` hands the ``MergeUndo`` to its ``then``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from cxdesk.errors import NotFound
from cxdesk.services.common import Changes
from cxdesk.services.importing import Incoming
from cxdesk.services.merge import MergeUndo, apply_merge, preview_merge, undo_merge
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.text import plural

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C
from ui.exchange.merge_dialog import MergeDialog, row_titles
from ui.tasks import tasks_of
from ui.undo import ServiceCommand

_copies: list[Path] = []


def _forget_copies() -> None:
    for folder in _copies:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_forget_copies)


def keep_copy(path: Path) -> Path:
    """A private copy of the colleague's file, kept until the program ends."""
    source = Path(path)
    if not source.is_file():
        raise NotFound(f"Файл не найден: {source}. Проверьте путь и имя файла.")
    folder = Path(tempfile.mkdtemp(prefix="cxdesk-merge-"))
    _copies.append(folder)
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def ask_merge_file(parent: QWidget | None) -> Path | None:
    folder = C.remembered_folder(parent, S.OPEN_FOLDER)
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Объединить с файлом коллеги", str(folder), C.OPEN_FILTER
    )
    if not chosen:
        return None
    C.remember_folder(parent, S.OPEN_FOLDER, Path(chosen))
    return Path(chosen)


def merge_command(
    plan_id: int, copy: Path, accept: set[int], undo: MergeUndo, runner: Any
) -> ServiceCommand:
    """The undo-stack command of a merge already applied."""
    state = {"undo": undo}

    def redo(store: Store) -> Changes:
        _preview, state["undo"] = apply_merge(store, plan_id, copy, set(accept))
        return state["undo"].changes

    def take_back(store: Store) -> Changes:
        return undo_merge(store, state["undo"])

    return ServiceCommand(f"объединение с файлом «{copy.name}»", redo, take_back, runner)


def run_merge(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    path: Path | None = None,
    incoming: Incoming | None = None,
    then: Callable[[MergeUndo | None], None] | None = None,
) -> None:
    """Compares the plan with a file, lets the user choose, applies the choice.

    ``incoming`` is the file already read (by the import preview): it is compared and merged
    without being read again; its owner removes it once ``then`` is called. ``then`` gets what
    undoes the merge (the window has already put it on its undo stack), or None when nothing
    was merged.
    """
    done = then or C.nothing
    if path is None:
        path = ask_merge_file(parent)
        if path is None:
            done(None)
            return
    try:
        copy = keep_copy(path)
    except NotFound as exc:
        msgbox.user_error(parent, exc)
        done(None)
        return
    except OSError as exc:
        msgbox.user_error(parent, f"Не удалось прочитать «{path}»: {exc.strerror or exc}.")
        done(None)
        return

    def compare(st: Store, progress: Any) -> tuple[Any, Any]:
        return preview_merge(st, plan_id, incoming or copy, progress), get_plan(st, plan_id)

    def compared(got: tuple[Any, Any] | None) -> None:
        if got is None:
            done(None)
            return
        preview, plan = got
        label = plan.org or plan.title
        if not preview.differences:
            notes = "".join(f"\n\nЗамечание: {w}" for w in preview.warnings)
            msgbox.information(
                parent,
                f"Различий нет: план «{label}» уже совпадает с файлом «{copy.name}».{notes}",
            )
            done(None)
            return
        dialog = MergeDialog(preview, label, row_titles(plan), parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            done(None)
            return
        apply_choice(parent, store, plan_id, copy, dialog.accepted_indexes(), incoming, done)

    tasks_of(parent).run(
        C.unless_cancelled(compare),
        parent=parent,
        success=compared,
        failure=C.ends_with(done),
        label=f"Сравнение с «{copy.name}»…",
        progress=True,
    )


def apply_choice(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    copy: Path,
    accept: set[int],
    incoming: Incoming | None = None,
    then: Callable[[MergeUndo | None], None] | None = None,
) -> None:
    """Applies the chosen differences; in the window, one step on the plan's undo stack (whose
    «Повторить» reads ``copy`` again). ``incoming``: the file already read, if it was.
    ``then`` gets what undoes the merge, or None."""
    done = then or C.nothing
    if not accept:
        done(None)
        return

    def applied(got: Any) -> None:
        if got is None:
            done(None)
            return
        _preview, undo = got
        count = plural(len(accept), "изменение", "изменения", "изменений")
        host = C.window_of(parent)
        if host is None:  # a dialog on its own: nothing to redraw, no undo stack
            msgbox.information(parent, f"Из файла «{copy.name}» перенесено {count}.")
        else:
            host.push_command(
                plan_id, merge_command(plan_id, copy, accept, undo, host.run_undo_call)
            )
            host.apply_changes(undo.changes)
            text = f"Из файла «{copy.name}» перенесено {count}. Отменить: Правка → Отменить."
            host.statusBar().showMessage(text, 15000)
        done(undo)

    def work(st: Store, progress: Any) -> Any:
        return apply_merge(st, plan_id, incoming or copy, set(accept), progress)

    tasks_of(parent).run(
        C.unless_cancelled(work),
        parent=parent,
        success=applied,
        failure=C.ends_with(done),
        label="Перенос изменений…",
        progress=True,
    )
