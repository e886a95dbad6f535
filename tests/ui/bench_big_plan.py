"""How fast the window handles a plan of 5,000 items (a measurement to read, not a test).

Usage: ``python tests/ui/bench_big_plan.py [ITEMS]`` (offscreen). Prints the time of each step:
reading the plan, building the model, opening it in the window (tree expanded, people listed),
painting the first screen, scrolling to the end, filtering by text and by status, and one edit
through the item panel's path (service, reload of the changed row, redraw).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cxdesk.services.views import get_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from tests.ui.helpers import big_plan  # noqa: E402

from ui.mainwindow import MainWindow  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.tasks import Tasks  # noqa: E402


def timed(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    QApplication.processEvents()
    print(f"{label:<48} {1000 * (time.perf_counter() - start):8.1f} ms")
    return result


def main(items: int) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store = Store(tmp / "data")
        plan_id = timed(f"make a plan of {items} items (setup)", lambda: big_plan(store, items))
        plan = get_plan(store, plan_id)
        print(f"rows in the plan: {len(plan.rows)}, items: {len(plan.items())}")
        timed("get_plan (one query, RowViews)", lambda: get_plan(store, plan_id))
        w = MainWindow(store, Settings.in_file(tmp / "s.ini"), Tasks(store, True))
        w.resize(1280, 800)
        w.show()
        app.processEvents()
        timed("open the plan in the window (read+model+tree)", lambda: w.open_plan(plan_id))
        timed("paint the first screen", lambda: w.grab())
        bar = w.tree.verticalScrollBar()
        timed("scroll to the end and paint", lambda: (bar.setValue(bar.maximum()), w.grab()))
        timed("scroll page by page x20", lambda: [
            (bar.setValue(bar.value() - bar.pageStep()), w.tree.viewport().repaint())
            for _ in range(20)
        ])  # fmt: skip
        w.filter_bar.search.setText("услуге № 4321")
        timed("filter by text (one match) and paint", lambda: (w.filter_bar.flush(), w.grab()))
        w.filter_bar.search.setText("оценка")
        timed("filter by text (all match) and paint", lambda: (w.filter_bar.flush(), w.grab()))
        w.filter_bar.clear()
        timed("filter by status «Просрочено» and paint", lambda: (
            w.filter_bar.set_status("overdue"), w.grab()))  # fmt: skip
        timed("clear the filter and paint", lambda: (w.filter_bar.clear(), w.grab()))
        row = plan.items()[2500]
        timed("select an item in the middle (jump)", lambda: (w.select_row(row.id), w.grab()))
        w.tree.setFocus()
        timed("End key (jump to the last row)", lambda: (
            QTest.keyClick(w.tree, Qt.Key.Key_End), w.grab()))  # fmt: skip
        timed("Home key (back to the first row)", lambda: (
            QTest.keyClick(w.tree, Qt.Key.Key_Home), w.grab()))  # fmt: skip
        timed("Page Down x20", lambda: [
            (QTest.keyClick(w.tree, Qt.Key.Key_PageDown), w.tree.viewport().repaint())
            for _ in range(20)
        ])  # fmt: skip
        w.set_wrap(False)
        timed("open again, text wrapping off", lambda: (w.open_plan(plan_id), w.grab()))
        w.set_wrap(True)
        w.select_row(row.id)
        timed("one edit: service + reload row + redraw", lambda: (
            w.edit_item(row.id, {"result": "Приказ № 1"}, ""), w.grab()))  # fmt: skip
        timed("undo it", lambda: (w.undo_group.undo(), w.grab()))
        w.close()
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
