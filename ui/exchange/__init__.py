"""Exchange in the window: export, print, open a file, merge a colleague's file, package, mail.

Every command takes ``(parent, store, plan_id)`` (or a path) and works on its own, on the
window's task runner: it returns at once, and its result, if the caller wants it, goes to
``then`` (called once, at the end of the flow, with None when nothing was done). Called with
the main window alone (``export_plan(window)``), it takes the window's store and open plan, as
the window's action factory calls features. The dialogs live in the submodules and are imported
when first used.

The main window calls, once after it is built::

    install_exchange_actions(window)   # «Файл» menu entries and files dropped on the window

and, for a file given on the command line (``cxdesk FILE.cxplan``)::

    handle_startup_file(window, window.store, path)   # same as open_file(window, path)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ui.exchange.common import window_of
from ui.exchange.install import install_exchange_actions

if TYPE_CHECKING:
    from cxdesk.storage.db import Store

    from ui.mainwindow.window import MainWindow

#: A flow's continuation: called once at its end, with its result (None when nothing was done).
Then = Callable[[Any], None]

__all__ = [
    "export_plan",
    "handle_startup_file",
    "install_exchange_actions",
    "merge_with_file",
    "open_dropped_files",
    "open_file",
    "preview_plan",
    "print_plan",
    "save_package",
    "send_by_mail",
]


def _target(parent: QWidget, store: Store | None, plan_id: int | None) -> tuple[Store, int | None]:
    """The store and plan: given, else the window's (after saving a field being edited)."""
    if store is not None:
        return store, plan_id
    host = window_of(parent)
    if host is None:
        raise LookupError("no store given, and no window above the parent")
    host.commit_edits()
    return host.store, (plan_id if plan_id is not None else host.current_plan_id)


def _plan_of(
    parent: QWidget, store: Store | None, plan_id: int | None, then: Then | None, nothing: Any
) -> tuple[Store, int] | None:
    """The store and the plan a command works on; None (and ``then(nothing)``) without a plan."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        _end(then, nothing)
        return None
    return store, plan_id


def export_plan(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Экспорт…»: ``then`` gets the written file, or None."""
    target = _plan_of(parent, store, plan_id, then, None)
    if target is None:
        return
    from ui.exchange.export_dialog import run_export

    run_export(parent, *target, then)


def print_plan(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Печать…»: ``then(True)`` when the plan went to the printer."""
    _print(parent, store, plan_id, then, preview=False)


def preview_plan(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Предварительный просмотр»: ``then(True)`` once the preview is closed."""
    _print(parent, store, plan_id, then, preview=True)


def _print(
    parent: QWidget, store: Store | None, plan_id: int | None, then: Then | None, preview: bool
) -> None:
    target = _plan_of(parent, store, plan_id, then, False)
    if target is None:
        return
    from ui.exchange import printing

    (printing.preview_plan if preview else printing.print_plan)(parent, *target, then)


def open_file(window: MainWindow, path: Path | str | None = None, then: Then | None = None) -> None:
    """«Файл → Открыть файл…» (or the given file): ``then`` gets the new or merged plan's id,
    or None."""
    from ui.exchange import opening

    opening.open_file(window, path, then)


def open_dropped_files(
    window_or_parent: QWidget, store: Store, paths: Iterable[Any], then: Then | None = None
) -> None:
    """Files dropped on the window; ``then`` gets the ids of the plans created or merged."""
    from ui.exchange import opening

    opening.open_dropped_files(window_or_parent, store, paths, then)


def handle_startup_file(
    window: MainWindow, store: Store, path: Path | str, then: Then | None = None
) -> None:
    """``cxdesk FILE.cxplan``: the preview offers to load it, or to merge it into its plan."""
    from ui.exchange import opening

    opening.handle_startup_file(window, store, path, then)


def merge_with_file(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    path: Path | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Объединить с файлом коллеги…»: ``then`` gets the MergeUndo, or None."""
    target = _plan_of(parent, store, plan_id, then, None)
    if target is None:
        return
    from ui.exchange.merging import run_merge

    run_merge(parent, *target, path, then=then)


def save_package(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    out: Path | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Сохранить пакет…»: ``then`` gets the written .cxplan, or None."""
    target = _plan_of(parent, store, plan_id, then, None)
    if target is None:
        return
    from ui.exchange.saving import save_package as save

    save(parent, *target, out, then)


def send_by_mail(
    parent: QWidget,
    store: Store | None = None,
    plan_id: int | None = None,
    then: Then | None = None,
) -> None:
    """«Файл → Отправить по почте…»: ``then`` gets the mail result, or None."""
    target = _plan_of(parent, store, plan_id, then, None)
    if target is None:
        return
    from ui.exchange.mail_dialog import send_by_mail as send

    send(parent, *target, then=then)


def _end(then: Then | None, value: Any) -> None:
    if then is not None:
        then(value)
