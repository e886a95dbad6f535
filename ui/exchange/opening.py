"""«Файл → Открыть файл…», files dropped on the window, and a .cxplan given at start.

The file is read on the database thread (nothing is stored), then the import preview shows what
was read. «Создать план» stores it as a new plan (``import_file``, the service the command line
uses) and the window opens it. A file of a plan that is already here (its identity matches, as
in a .cxplan package sent back by a colleague) can instead be merged into that plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from cxdesk.errors import NotFound
from cxdesk.services.importing import Incoming, import_file, read_incoming
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.text import plural

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C
from ui.exchange.import_preview import ImportPreviewDialog
from ui.tasks import tasks_of

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow


def ask_open_path(parent: QWidget | None) -> Path | None:
    """The file dialog of «Открыть файл…» (in the folder used last time)."""
    folder = C.remembered_folder(parent, S.OPEN_FOLDER)
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Открыть план из файла", str(folder), C.OPEN_FILTER
    )
    if not chosen:
        return None
    C.remember_folder(parent, S.OPEN_FOLDER, Path(chosen))
    return Path(chosen)


def read_for_preview(store: Store, path: Path, progress: Any) -> tuple[Any, Any]:
    """The file read (not stored) and the plan already here with the same identity, if any."""
    incoming = read_incoming(store, path, progress)
    existing = None
    uid = incoming.doc.uid
    if uid:
        try:
            plan = get_plan(store, uid)
        except NotFound:
            plan = None
        if plan is not None and plan.uid == uid:
            existing = plan
    return incoming, existing


def show_plan(parent: QWidget | None, plan_id: int) -> None:
    """Opens a plan in the main window (when there is one)."""
    host = C.window_of(parent)
    if host is not None:
        host.reload_plans(select=plan_id)


def open_plan_file(
    parent: QWidget | None,
    store: Store,
    path: Path,
    then: Callable[[int | None], None] | None = None,
) -> None:
    """Reads a file (on the database thread), shows the preview, stores or merges what it read.

    ``then`` gets the created (or merged) plan's id, or None; the file read is removed first.
    """
    path = Path(path)
    done = then or C.nothing

    def previewed(got: tuple[Incoming, Any] | None) -> None:
        if got is None:
            done(None)
            return
        incoming, existing = got
        ended = [False]

        def finish(plan_id: int | None) -> None:
            if ended[0]:
                return
            ended[0] = True
            incoming.cleanup()  # what the preview read is what was stored or merged
            done(plan_id)

        try:
            _act_on_preview(parent, store, path, incoming, existing, finish)
        except BaseException:
            finish(None)  # the flow ends here, even on a bug (the error is shown)
            raise

    def read(st: Store, progress: Any) -> tuple[Incoming, Any]:
        return read_for_preview(st, path, progress)

    tasks_of(parent).run(
        C.unless_cancelled(read),
        parent=parent,
        success=previewed,
        failure=C.ends_with(done),
        label=f"Чтение «{path.name}»…",
        progress=True,
    )


def _act_on_preview(
    parent: QWidget | None,
    store: Store,
    path: Path,
    incoming: Incoming,
    existing: Any,
    finish: Callable[[int | None], None],
) -> None:
    dialog = ImportPreviewDialog(incoming, existing, parent)
    choice = dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None
    org = dialog.org_text()
    if choice == "merge" and existing is not None:
        from ui.exchange.merging import run_merge

        plan_id = int(existing.id)
        show_plan(parent, plan_id)
        run_merge(parent, store, plan_id, path, incoming, then=lambda _undo: finish(plan_id))
        return
    if choice != "create":
        finish(None)
        return

    def imported(outcome: Any) -> None:
        if outcome is None or outcome.plan_id is None:
            finish(None)
            return
        show_plan(parent, outcome.plan_id)
        host = C.window_of(parent)
        if host is not None:
            items = plural(outcome.items, "пункт", "пункта", "пунктов")
            host.statusBar().showMessage(f"План загружен из «{path.name}»: {items}.", 15000)
        finish(int(outcome.plan_id))

    def load(st: Store, progress: Any) -> Any:
        return import_file(st, incoming, progress, org=org)

    tasks_of(parent).run(
        C.unless_cancelled(load),
        parent=parent,
        success=imported,
        failure=C.ends_with(finish),
        label=f"Загрузка плана из «{path.name}»…",
        progress=True,
    )


def open_file(
    window: MainWindow,
    path: Path | str | None = None,
    then: Callable[[int | None], None] | None = None,
) -> None:
    """«Файл → Открыть файл…» (asks for the file when ``path`` is None); ``then`` as in
    :func:`open_plan_file`."""
    if path is None:
        path = ask_open_path(window)
        if path is None:
            (then or C.nothing)(None)
            return
    open_plan_file(window, window.store, Path(path), then)


def handle_startup_file(
    window: MainWindow,
    store: Store,
    path: Path | str,
    then: Callable[[int | None], None] | None = None,
) -> None:
    """A file given on the command line (``cxdesk FILE.cxplan``): import, or merge into the
    plan it came from."""
    open_plan_file(window, store, Path(path), then)


def _as_path(entry: Any) -> Path | None:
    if isinstance(entry, QUrl):
        return Path(entry.toLocalFile()) if entry.isLocalFile() else None
    return Path(entry) if entry else None


def open_dropped_files(
    window_or_parent: Any,
    store: Store,
    paths: Iterable[Any],
    then: Callable[[list[int]], None] | None = None,
) -> None:
    """Files dropped on the window (paths, strings or QUrls): each plan file is opened in turn,
    the next once the one before is done.

    ``then`` gets the ids of the plans created or merged.
    """
    wanted: list[Path] = []
    refused: list[str] = []
    for entry in paths:
        path = _as_path(entry)
        if path is None:
            continue
        if path.suffix.lower() in C.OPEN_SUFFIXES:
            wanted.append(path)
        else:
            refused.append(path.name)
    if refused:
        names = ", ".join(f"«{n}»" for n in refused[:5]) + (" и другие" if len(refused) > 5 else "")
        msgbox.warning(
            window_or_parent,
            f"Не загружено: {names}. Перетащите в окно план в виде документа Word (.docx), "
            "книги Excel (.xlsx) или пакета cxdesk (.cxplan). Файлы .doc и .xls сначала "
            "сохраните в Word или Excel как .docx или .xlsx.",
        )
    done: list[int] = []
    queue = list(wanted)

    def next_file(plan_id: int | None = None) -> None:
        if plan_id is not None:
            done.append(plan_id)
        if not queue:
            if then is not None:
                then(done)
            return
        open_plan_file(window_or_parent, store, queue.pop(0), next_file)

    next_file()
