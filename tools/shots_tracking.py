"""Screenshots of tracking in the window: an item's documents and history, the data check, views.

Usage: ``python tools/shots_tracking.py OUT_DIR`` (offscreen; no display needed). The plan is the
Tula ministry's from the test fixtures: item 1.1 went «В работе» then «Выполнено», each with a
comment, and two documents are attached to it through the panel; item 2.1 is done without a
document (the panel's hint). One stored file is then altered so that the check finds a problem.
The main screenshot script can call :func:`save_tracking_shots`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")
os.environ.setdefault("CXDESK_NO_OPEN", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from cxdesk.services.attachments import attach_files, list_attachments  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from tests.ui.helpers import agency_plan, row_id  # noqa: E402

from ui import msgbox  # noqa: E402
from ui.mainwindow import MainWindow  # noqa: E402
from ui.settings import Settings, set_application_names  # noqa: E402
from ui.tasks import Tasks  # noqa: E402
from ui.tracking.attachments_section import AttachmentsSection  # noqa: E402

SIZE = (1280, 800)
ORDER = "Приказ № 87-од от 12.03.2026 о назначении ответственного.pdf"
SCAN = "Скан листа ознакомления (подписи).jpg"
REPORT = "Отчёт о проведённом обучении.docx"


def _save(widget: QWidget, out_dir: Path, name: str, saved: list[Path]) -> None:
    for _ in range(3):
        QApplication.processEvents()
    path = out_dir / f"{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, size in ((ORDER, 184_320), (SCAN, 2_411_724), (REPORT, 45_056)):
        path = folder / name
        path.write_bytes(os.urandom(size))
        out[name] = path
    return out


def _section(window: MainWindow) -> AttachmentsSection:
    return next(s for s in window.panel.sections if isinstance(s, AttachmentsSection))


def _show_section(window: MainWindow, section: AttachmentsSection) -> None:
    """Gives the item panel room and scrolls it so that the documents are in sight."""
    if window.plan_splitter.sizes()[1] < 500:
        window.plan_splitter.setSizes([300, 500])
    for _ in range(3):
        QApplication.processEvents()
    area = next(w for w in window.panel.findChildren(QScrollArea) if w.isAncestorOf(section))
    area.ensureWidgetVisible(section.remove_button, 0, 12)


def save_tracking_shots(out_dir: Path) -> list[Path]:
    """Saves the tracking screenshots; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cxdesk-shots-") as folder, msgbox.capture():
        tmp = Path(folder)
        store = Store(tmp / "data")
        try:
            files = _files(tmp / "Документы министерства")
            plan_id = agency_plan(store)
            attach_files(store, plan_id, "1.2", [files[REPORT]])
            window = MainWindow(store, Settings.in_file(tmp / "s.ini"), Tasks(store, True))
            window.resize(*SIZE)
            window.show()
            QApplication.processEvents()
            section = _section(window)

            window.select_row(row_id(store, plan_id, "1.1"))
            section.attach_paths([files[ORDER], files[SCAN]])
            section.select_name(ORDER)
            _show_section(window, section)
            _save(window, out_dir, "tracking_01_item_documents", saved)
            _save(window.panel, out_dir, "tracking_02_item_panel", saved)

            window.select_row(row_id(store, plan_id, "2.1"))
            window.plan_splitter.setSizes([200, 600])
            _show_section(window, section)
            _save(window.panel, out_dir, "tracking_03_done_without_document", saved)

            window.show_view("no_proof")
            window.plan_splitter.setSizes([520, 280])
            _save(window, out_dir, "tracking_04_view_no_proof", saved)
            window.show_view("all")

            for name, key in (("Вид", "tracking_05_menu_view"), ("Сервис", "tracking_06_menu")):
                menu = window.menus[name]
                where = window.menuBar().actionGeometry(menu.menuAction()).bottomLeft()
                menu.popup(window.mapToGlobal(where))
                _save(menu, out_dir, key, saved)
                menu.hide()

            tracking = window.tracking  # type: ignore[attr-defined]
            tracking.check()
            dialog = window.tracking_check  # type: ignore[attr-defined]
            _save(dialog, out_dir, "tracking_07_check_passed", saved)
            dialog.close()

            blob = store.blobs.path(list_attachments(store, plan_id, "1.1")[0].sha256)
            blob.write_bytes(blob.read_bytes()[:-4] + b"\0\0\0\0")
            (report,) = list_attachments(store, plan_id, "1.2")
            store.blobs.path(report.sha256).unlink()  # and one file is gone
            tracking.check()
            dialog = window.tracking_check  # type: ignore[attr-defined]
            _save(dialog, out_dir, "tracking_08_check_problems", saved)
            dialog.close()
            window.close()
        finally:
            store.close()
    return saved


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tools/shots_tracking.py OUT_DIR\n")
        return 2
    set_application_names()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from ui.app import install_translations

        install_translations(app)  # type: ignore[arg-type]
    except ImportError:
        pass
    for path in save_tracking_shots(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
