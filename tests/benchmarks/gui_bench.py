"""Benchmarks of the window: start to first paint, and a plan of 5,000 items."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_FLOOR = """
import sys
from PySide6.QtWidgets import QApplication, QTreeView
from PySide6.QtGui import QStandardItemModel, QStandardItem
app = QApplication(sys.argv)
model = QStandardItemModel()
model.setHorizontalHeaderLabels(["№", "Мероприятие", "Срок", "Ответственный", "Статус",
                                 "Результат", "Вид документа"])
for i in range(76):
    model.appendRow([QStandardItem(f"{i}. пункт плана мероприятий {i}") for _ in range(7)])
view = QTreeView()
view.setModel(model)
view.resize(1280, 800)
view.show()
app.processEvents()
view.viewport().repaint()
print("PAINTED", flush=True)
"""

_BIG = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication([])
from cxdesk.storage.db import Store
from tests.ui.helpers import big_plan
from ui.mainwindow import MainWindow
from ui.settings import Settings
from ui.tasks import Tasks
store = Store(os.environ["CXDESK_DATA_DIR"])
plan_id = big_plan(store, 5000)
w = MainWindow(store, Settings.in_file(os.path.join(os.environ["CXDESK_DATA_DIR"], "s.ini")),
               Tasks(store, True))
w.resize(1280, 800)
w.show()
app.processEvents()
t = time.perf_counter()
w.open_plan(plan_id)
w.tree.viewport().repaint()
opened = time.perf_counter() - t
times = []
for text in ("услуге № 4321", "оценка удовлетворенности", "реинжиниринг", "", "отчет"):
    w.filter_bar.search.setText(text)
    t = time.perf_counter()
    w.filter_bar.flush()
    w.tree.viewport().repaint()
    times.append(time.perf_counter() - t)
peak = int([ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1]) / 1024
print(json.dumps({"open": opened, "filter": max(times), "filters": times, "peak_mb": peak}))
"""


def _time_to_paint(argv: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "PAINTED":
            elapsed = time.perf_counter() - t
            proc.wait(timeout=30)
            return elapsed
    proc.wait(timeout=30)
    raise RuntimeError("the window did not report its first paint")


def register(benches: dict[str, Callable[[Path], None]], report: Callable[..., None],
             best: Callable[..., float]) -> None:  # fmt: skip
    """Adds the window benchmarks."""

    def start(work: Path) -> None:
        from tests.core.helpers import all_answers, answer_args

        data = work / "data"
        env = {**os.environ, "CXDESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
               "CXDESK_BENCH_EXIT_AFTER_PAINT": "1"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "cxdesk", "new", "agency", "--org", "Министерство",
                        *answer_args(all_answers("agency", True))], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        fig = min(_time_to_paint([sys.executable, "-m", "cxdesk"], env) for _ in range(3))
        floor = min(_time_to_paint([sys.executable, "-c", _FLOOR], env) for _ in range(3))
        report("start to first paint, 76 items", fig, floor,
               "≤ 2.5× a minimal PySide6 tree of 76 rows")  # fmt: skip

    def big(work: Path) -> None:
        env = {**os.environ, "CXDESK_DATA_DIR": str(work / "data"), "QT_QPA_PLATFORM": "offscreen"}
        res = subprocess.run([sys.executable, "-c", _BIG, str(REPO)], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        data = json.loads(res.stdout.strip().splitlines()[-1])
        report("window: open a 5,000-item plan", data["open"], None, "≤ 1 s")
        report("window: one filter keystroke (worst)", data["filter"], None, "≤ 50 ms")
        print(f"{'window: peak memory, 5,000 items':<34} {data['peak_mb']:9.1f} MB"
              f"{'':28}target ≤ 300 MB")  # fmt: skip

    benches["window_start"] = start
    benches["window_5000_items"] = big
