"""«Файл → Сохранить пакет…»: the plan with its answers, history and attachments in one
.cxplan file, to send to a colleague, who loads it in cxdesk and sends it back to merge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from cxdesk.services.documents import suggest_file_name
from cxdesk.services.packing import pack_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.text import plural

from ui import settings as S
from ui.exchange import common as C
from ui.tasks import tasks_of

PACKAGE_FILTER = "Пакет cxdesk (*.cxplan)"


def ask_package_path(parent: QWidget | None, org: str) -> Path | None:
    folder = C.remembered_folder(parent, S.PACKAGE_FOLDER)
    proposed = folder / suggest_file_name(org or "План", "cxplan")
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Сохранить пакет плана", str(proposed), PACKAGE_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".cxplan":
        path = path.with_name(path.name + ".cxplan")
    return path


def save_package(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    out: Path | None = None,
    then: Callable[[Path | None], None] | None = None,
) -> None:
    """Asks for the file (unless ``out`` is given), writes the package; ``then`` gets its path,
    or None."""
    done = then or C.nothing
    if out is not None:
        _write(parent, plan_id, Path(out), done)
        return

    def ask(plan: Any) -> None:
        chosen = ask_package_path(parent, plan.org or plan.title)
        if chosen is None:
            done(None)
            return
        _write(parent, plan_id, chosen, done)

    tasks_of(parent).run(
        lambda st: get_plan(st, plan_id), parent=parent, success=ask, failure=C.ends_with(done)
    )


def _write(
    parent: QWidget | None, plan_id: int, target: Path, done: Callable[[Path | None], None]
) -> None:
    def work(st: Store, progress: Any) -> tuple[Path, int, int]:
        return pack_plan(st, plan_id, target, progress)

    def written(got: tuple[Path, int, int] | None) -> None:
        if got is None:
            done(None)
            return
        path, items, files = got
        attached = plural(
            files, "вложенный документ", "вложенных документа", "вложенных документов"
        )
        C.remember_folder(parent, S.PACKAGE_FOLDER, path)
        C.finished(
            parent,
            f"Пакет сохранён: «{path.name}» — {plural(items, 'пункт', 'пункта', 'пунктов')}, "
            f"{attached}.",
            path,
            can_open=False,
            detail="Отправьте этот файл коллеге: он откроет его в cxdesk (Файл → Открыть файл…), "
            "а изменённый пакет вы перенесёте в свой план командой «Объединить с файлом коллеги…».",
        )
        done(path)

    tasks_of(parent).run(
        C.unless_cancelled(work),
        parent=parent,
        success=written,
        failure=C.ends_with(done),
        label=f"Сборка пакета «{target.name}»…",
        progress=True,
    )
