"""Exchange in the window: export, print, open a file, merge a colleague's file, package, mail.

Every command takes ``(parent, store, plan_id)`` (or a path) and works on its own; called with
the main window alone (``export_plan(window)``), it takes the window's store and open plan, as
the window's action factory calls features. The dialogs live in the submodules and are imported
when first used.

The main window calls, once after it is built::

    install_exchange_actions(window)   # «Файл» menu entries and files dropped on the window

and, for a file given on the command line (``cxdesk FILE.cxplan``)::

    handle_startup_file(window, window.store, path)   # same as open_file(window, path)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.exchange.install import install_exchange_actions

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

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


def _target(parent: Any, store: Any, plan_id: int | None) -> tuple[Any, int | None]:
    """The store and plan: given, else the window's (after saving a field being edited)."""
    if store is not None:
        return store, plan_id
    panel = getattr(parent, "panel", None)
    if panel is not None and hasattr(panel, "commit"):
        panel.commit()
    return parent.store, (plan_id if plan_id is not None else parent.current_plan_id)


def export_plan(parent: Any, store: Any = None, plan_id: int | None = None) -> Path | None:
    """«Файл → Экспорт…»: returns the written file, or None."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return None
    from ui.exchange.export_dialog import run_export

    return run_export(parent, store, plan_id)


def print_plan(parent: Any, store: Any = None, plan_id: int | None = None) -> bool:
    """«Файл → Печать…»: True when the plan went to the printer."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return False
    from ui.exchange import printing

    return printing.print_plan(parent, store, plan_id)


def preview_plan(parent: Any, store: Any = None, plan_id: int | None = None) -> None:
    """«Файл → Предварительный просмотр»."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return
    from ui.exchange import printing

    printing.preview_plan(parent, store, plan_id)


def open_file(window: MainWindow, path: Path | str | None = None) -> int | None:
    """«Файл → Открыть файл…» (or the given file): the new or merged plan's id, or None."""
    from ui.exchange import opening

    return opening.open_file(window, path)


def open_dropped_files(window_or_parent: Any, store: Any, paths: Any) -> list[int]:
    """Files dropped on the window; returns the ids of the plans created or merged."""
    from ui.exchange import opening

    return opening.open_dropped_files(window_or_parent, store, paths)


def handle_startup_file(window: MainWindow, store: Any, path: Path | str) -> int | None:
    """``cxdesk FILE.cxplan``: the preview offers to load it, or to merge it into its plan."""
    from ui.exchange import opening

    return opening.handle_startup_file(window, store, path)


def merge_with_file(
    parent: Any, store: Any = None, plan_id: int | None = None, path: Path | None = None
) -> Any:
    """«Файл → Объединить с файлом коллеги…»: the MergeUndo of the merge, or None."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return None
    from ui.exchange.merging import run_merge

    return run_merge(parent, store, plan_id, path)


def save_package(
    parent: Any, store: Any = None, plan_id: int | None = None, out: Path | None = None
) -> Path | None:
    """«Файл → Сохранить пакет…»: the written .cxplan, or None."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return None
    from ui.exchange.saving import save_package as save

    return save(parent, store, plan_id, out)


def send_by_mail(parent: Any, store: Any = None, plan_id: int | None = None) -> Any:
    """«Файл → Отправить по почте…»: the mail result, or None."""
    store, plan_id = _target(parent, store, plan_id)
    if plan_id is None:
        return None
    from ui.exchange.mail_dialog import send_by_mail as send

    return send(parent, store, plan_id)
