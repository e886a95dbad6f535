"""Screenshots of the main window, to look at before a release.

Usage: ``python tools/screenshots.py OUT_DIR`` (offscreen; no display needed). Saves PNGs of
the welcome view, the window with a realistic plan of a regional body, the filter in use, the
item panel with a history, an excluded item, the region plan with its unreadable deadlines and
the window with text wrapping off; then, when the wizard provides ``save_wizard_shots``, its pages.
The date is fixed (CXDESK_TODAY, default 2026-11-23) so that overdue marks are the same each run.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from cxdesk.services.items import update_item  # noqa: E402
from cxdesk.services.views import get_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from tests.ui.helpers import agency_plan, region_plan, row_id  # noqa: E402

from ui import msgbox  # noqa: E402
from ui.app import install_translations  # noqa: E402
from ui.mainwindow import MainWindow  # noqa: E402
from ui.mainwindow.plan_dialog import PlanPropertiesDialog  # noqa: E402
from ui.settings import Settings, set_application_names  # noqa: E402
from ui.tasks import Tasks  # noqa: E402

SIZE = (1280, 800)


def _save(widget: QWidget, out_dir: Path, name: str, saved: list[Path]) -> None:
    for _ in range(3):
        QApplication.processEvents()
    path = out_dir / f"{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _window(store: Store, tmp: Path, name: str) -> MainWindow:
    window = MainWindow(store, Settings.in_file(tmp / f"{name}.ini"), Tasks(store, True))
    window.resize(*SIZE)
    window.show()
    QApplication.processEvents()
    return window


def main_window_shots(out_dir: Path) -> list[Path]:
    """The window's screenshots; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cxdesk-shots-") as folder, msgbox.capture():
        tmp = Path(folder)
        store = Store(tmp / "data")
        try:
            w = _window(store, tmp, "empty")
            _save(w, out_dir, "main_01_welcome", saved)
            w.close()

            agency = agency_plan(store)
            region = region_plan(store)
            update_item(store, region, "1.1", {"status": "done", "result": "Приказ № 5"})
            w = _window(store, tmp, "full")
            w.open_plan(agency)
            w.select_row(row_id(store, agency, "1.1"))
            _save(w, out_dir, "main_02_plan", saved)

            w.select_row(row_id(store, agency, "1.3"))
            w.panel.comment.setText("")
            _save(w, out_dir, "main_03_overdue_item", saved)

            w.select_row(row_id(store, agency, "1.8"))
            _save(w, out_dir, "main_04_excluded_item", saved)

            w.filter_bar.search.setText("реестр")
            w.filter_bar.flush()
            _save(w, out_dir, "main_05_filter_text", saved)
            w.filter_bar.clear()
            w.show_view("overdue")
            _save(w, out_dir, "main_06_filter_overdue", saved)
            w.filter_bar.clear()
            w.filter_bar.responsible.setCurrentIndex(
                w.filter_bar.responsible.findData("Иванова Е. А.")
            )
            _save(w, out_dir, "main_07_filter_person", saved)
            w.filter_bar.clear()
            w.filter_bar.search.setText("нет такого текста")
            w.filter_bar.flush()
            _save(w, out_dir, "main_07b_filter_nothing", saved)
            w.filter_bar.clear()

            w.select_row(row_id(store, agency, "1.4"))
            w.panel.deadline.setText("VI квартал 2026 года")
            w.panel.commit()
            _save(w, out_dir, "main_08_invalid_deadline", saved)
            w.panel.show_row(w.model.plan, None)

            w.open_plan(region)
            w.select_row(row_id(store, region, "2.1"))
            _save(w, out_dir, "main_09_region_unreadable", saved)

            w.set_wrap(False)
            w.open_plan(agency)
            _save(w, out_dir, "main_10_no_wrap", saved)
            w.set_wrap(True)

            w.select_row(row_id(store, agency, "2.3"))
            w.panel.note.setFocus()
            w.panel.note.setText("Согласовать с кадровой службой")
            w.tree.setFocus()
            for n, name in enumerate(w.menus):
                menu = w.menus[name]
                menu.popup(
                    w.mapToGlobal(w.menuBar().actionGeometry(menu.menuAction()).bottomLeft())
                )
                _save(menu, out_dir, f"main_11_menu_{n + 1}", saved)
                menu.hide()

            dialog = PlanPropertiesDialog(get_plan(store, agency), w)
            dialog.show()
            _save(dialog, out_dir, "main_12_plan_properties", saved)
            dialog.close()
            w.close()
        finally:
            store.close()
    return saved


def wizard_shots(out_dir: Path) -> list[Path]:
    """The wizard's own screenshots, if it provides them."""
    for module in ("ui.wizard", "tools.shots_wizard"):
        try:
            found = importlib.import_module(module)
        except ImportError:
            continue
        save = getattr(found, "save_wizard_shots", None)
        if save is not None:
            return list(save(out_dir))
    return []


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tools/screenshots.py OUT_DIR\n")
        return 2
    set_application_names()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app)  # type: ignore[arg-type]
    out_dir = Path(argv[0])
    for path in main_window_shots(out_dir) + wizard_shots(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
