"""Screenshots of the exchange dialogs: export, import preview, merge with a conflict, mail, print.

Usage: ``python tools/shots_exchange.py OUT_DIR`` (offscreen; no display needed). The inputs are
realistic: the Tula plan from the test fixtures, and a pilot plan of a employment centre that a
colleague sent back with a status changed, a protocol attached and a conflicting responsible.
The main screenshot script can call :func:`save_exchange_shots`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_NO_OPEN", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402

from cxdesk.domain.building import PlanRequest  # noqa: E402
from cxdesk.progress import Progress  # noqa: E402
from cxdesk.services.attachments import attach_files  # noqa: E402
from cxdesk.services.importing import import_file  # noqa: E402
from cxdesk.services.items import update_item  # noqa: E402
from cxdesk.services.merge import preview_merge  # noqa: E402
from cxdesk.services.packing import pack_plan  # noqa: E402
from cxdesk.services.plans import create_plan, edit_plan  # noqa: E402
from cxdesk.services.views import get_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402

from ui import settings as S  # noqa: E402
from ui.exchange import common as C  # noqa: E402
from ui.exchange.export_dialog import ExportDialog  # noqa: E402
from ui.exchange.import_preview import ImportPreviewDialog  # noqa: E402
from ui.exchange.mail_dialog import MailDialog  # noqa: E402
from ui.exchange.merge_dialog import MergeDialog, row_titles  # noqa: E402
from ui.exchange.opening import read_for_preview  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.tasks import Tasks  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
ORG = "ГКУ ТО «Центр занятости населения Тульской области»"


class _Host(QMainWindow):
    """Stands in for the main window: the store, synchronous tasks, settings in a temp file."""

    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__()
        self.store = store
        self.tasks = Tasks(store, synchronous=True, parent=self)
        self.settings = Settings.in_file(folder / "settings.ini")


def _save(widget: QWidget, out_dir: Path, name: str, saved: list[Path]) -> None:
    for _ in range(3):
        QApplication.processEvents()
    path = out_dir / f"{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _shoot_modal(out_dir: Path, name: str, saved: list[Path], run: Callable[[], object]) -> None:
    """Runs ``run`` (which opens a modal box) and saves the box, then closes it."""

    def grab() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, grab)
            return
        _save(box, out_dir, name, saved)
        box.close()

    QTimer.singleShot(50, grab)
    run()


def _pilot(store: Store) -> int:
    plan_id = create_plan(store, PlanRequest(template_id="szn_pilot", org=ORG, answers={})).plan_id
    edit_plan(store, plan_id, approver_position="Директор", approver_name="И.И. Петров")
    return plan_id


def _colleague_package(store: Store, folder: Path) -> tuple[int, Path]:
    theirs = Store(folder / "colleague")
    try:
        their_plan = _pilot(theirs)
        first, _, _ = pack_plan(theirs, their_plan, folder / "первый.cxplan")
        ours = import_file(store, first).plan_id
        assert ours is not None
        update_item(theirs, their_plan, "1", {"status": "done", "result": "Вебинар проведён "
                    "24.03.2026, участвовали 42 сотрудника"}, "")  # fmt: skip
        update_item(theirs, their_plan, "2", {"responsible": "Иванов И. И., заместитель "
                    "директора"}, "")  # fmt: skip
        update_item(store, ours, "2", {"responsible": "Петрова А. А., начальник отдела"}, "")
        update_item(theirs, their_plan, "3", {"deadline": "15.04.2026"}, "")
        scan = folder / "Протокол вебинара 24.03.2026.pdf"
        scan.write_bytes(b"%PDF-1.4 protocol")
        attach_files(theirs, their_plan, "1", [scan])
        second, _, _ = pack_plan(theirs, their_plan, folder / "План ЦЗН от коллеги.cxplan")
        return ours, second
    finally:
        theirs.close()


def save_exchange_shots(out_dir: Path) -> list[Path]:
    """Saves a PNG of each exchange dialog; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cxdesk-shots-") as tmp:
        folder = Path(tmp)
        store = Store(folder / "data")
        host = _Host(store, folder)
        try:
            plan_id = _pilot(store)
            host.settings.set(S.EXPORT_FOLDER, str(folder))
            export = ExportDialog(host, store, plan_id, ORG)
            export.show()
            _save(export, out_dir, "exchange_01_export", saved)
            export.layout_buttons["report"].setChecked(True)
            export.format_combo.setCurrentIndex(export.format_combo.findData("xlsx"))
            _save(export, out_dir, "exchange_02_export_report", saved)
            export.close()
            path = folder / "plan.docx"
            _shoot_modal(out_dir, "exchange_03_export_done", saved,
                         lambda: C.finished(host, f"План сохранён в файл «{path.name}» (14 строк).",
                                            path, detail=f"Папка: {path.parent}"))  # fmt: skip

            incoming, existing = read_for_preview(store, FIXTURES / "tula_plan.docx", Progress())
            preview = ImportPreviewDialog(incoming, existing, host)
            preview.show()
            _save(preview, out_dir, "exchange_04_import_preview", saved)
            preview.close()
            incoming.cleanup()

            ours, package = _colleague_package(store, folder)
            incoming, existing = read_for_preview(store, package, Progress())
            preview = ImportPreviewDialog(incoming, existing, host)
            preview.show()
            _save(preview, out_dir, "exchange_05_import_known_package", saved)
            preview.close()
            incoming.cleanup()

            merge_preview = preview_merge(store, ours, package)
            plan = get_plan(store, ours)
            merge = MergeDialog(merge_preview, plan.org, row_titles(plan), host)
            merge.show()
            _save(merge, out_dir, "exchange_06_merge_conflict", saved)
            merge.close()

            mail = MailDialog(host, ORG)
            mail.show()
            _save(mail, out_dir, "exchange_07_mail", saved)
            mail.close()
            _shoot_modal(out_dir, "exchange_08_mail_draft", saved, lambda: _draft_box(host))

            if True:
                from cxdesk.services.documents import plan_doc

                from ui.exchange.printing import preview_dialog, renderer

                dialog = preview_dialog(host, plan_doc(store, plan_id), renderer())
                dialog.show()
                _save(dialog, out_dir, "exchange_09_print_preview", saved)
                dialog.close()
            _menu_shot(store, folder, plan_id, out_dir, saved)
            app.processEvents()
        finally:
            host.close()
            store.close()
    return saved


def _menu_shot(store: Store, folder: Path, plan_id: int, out_dir: Path, saved: list[Path]) -> None:
    """The main window's «Файл» menu with the exchange entries (when the window is there)."""
    try:
        from ui.mainwindow import MainWindow
    except ImportError:
        return
    from ui.exchange import install_exchange_actions

    window = MainWindow(store, Settings.in_file(folder / "window.ini"), Tasks(store, True))
    install_exchange_actions(window)
    window.reload_plans(select=plan_id)
    window.show()
    menu = window.menus["Файл"]
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    _save(menu, out_dir, "exchange_10_file_menu", saved)
    menu.close()
    window.close()


def _draft_box(host: QWidget) -> None:
    from cxdesk.services.mail import MailResult

    from ui.exchange.mail_dialog import tell_result

    folder = Path(tempfile.gettempdir())
    attachment = folder / f"{ORG} — план мероприятий 23.11.2026.cxplan"
    tell_result(host, MailResult("eml", attachment, attachment.with_suffix(".eml"), False))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tools/shots_exchange.py OUT_DIR\n")
        return 2
    for path in save_exchange_shots(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
