"""Benchmarks of the window: start to first paint, and a plan of 5,000 items.

- ``window_start``: the real ``python -m cxdesk`` on a data folder with one 76-item plan,
  from the process's start to the plan's tree painted (``CXDESK_BENCH_EXIT_AFTER_PAINT=1`` makes
  the window print ``PAINTED`` then and leave), against a minimal PySide6 process that paints a
  QTreeView of 76 rows. Both run with compiled bytecode (as the shipped bundle does) kept in the
  benchmark's own folder, after one warm-up run each. Also lists the heavy modules (python-docx,
  openpyxl, lxml, rapidfuzz, icalendar, alembic) that were imported by the first paint.
- ``window_5000_items``: in a subprocess, a 5,000-item plan: opening it, one filter applied
  (from the moment the typed text is applied to the tree repainted; the best of 3 for each of
  several changes of the text and of the status, the worst reported), and the peak memory.
"""

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
from tests.ui.helpers import agency_plan, big_plan
from ui.mainwindow import MainWindow
from ui.settings import Settings
store = Store(os.environ["CXDESK_DATA_DIR"])
small_id = agency_plan(store)
plan_id = big_plan(store, 5000)
w = MainWindow(store, Settings.in_file(os.path.join(os.environ["CXDESK_DATA_DIR"], "s.ini")))
w.resize(1280, 800)
w.show()
w.open_plan(small_id)
while w.tasks.pending or w.model.plan is None or w.model.plan.id != small_id:
    app.processEvents()
t = time.perf_counter()
w.open_plan(plan_id)
while w.model.plan is None or w.model.plan.id != plan_id:
    app.processEvents()
w.tree.viewport().repaint()
opened = time.perf_counter() - t
app.processEvents()

def apply(text):
    w.filter_bar.search.setText(text)
    t = time.perf_counter()
    w.filter_bar.flush()
    w.tree.viewport().repaint()
    spent = time.perf_counter() - t
    while w.tasks.pending:
        app.processEvents()
    app.processEvents()
    return spent

# (text before, text typed): narrowing to one item, back to all, a word in every item,
# a word in a few, typing on within a word
changes = [("", "услуге № 4321"), ("услуге № 4321", ""), ("", "оценка удовлетворенности"),
           ("оценка", "реинжиниринг"), ("реинжиниринг", ""), ("", "Иванова"),
           ("оцен", "оценка")]
figures = {}
for before, typed in changes:
    best = None
    for _ in range(3):
        apply(before)
        spent = apply(typed)
        best = spent if best is None else min(best, spent)
    figures[f"{before!r} → {typed!r}"] = best

def choose(status):
    t = time.perf_counter()
    w.filter_bar.set_status(status)  # a status applies at once, no typing pause
    w.tree.viewport().repaint()
    spent = time.perf_counter() - t
    while w.tasks.pending:
        app.processEvents()
    app.processEvents()
    return spent

apply("")
for status in ("overdue", "done"):
    best = None
    for _ in range(3):
        choose("all")
        spent = choose(status)
        best = spent if best is None else min(best, spent)
    figures[f"status → {status}"] = best
choose("all")
peak = int([ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1]) / 1024
w.close()
print(json.dumps({"open": opened, "filters": figures, "peak_mb": peak}, ensure_ascii=False))
"""

HEAVY = ("docx", "openpyxl", "lxml", "rapidfuzz", "icalendar", "alembic")


def _time_to_paint(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "PAINTED":
            elapsed = time.perf_counter() - t
            rest = proc.stdout.read()
            proc.wait(timeout=30)
            return elapsed, rest
    proc.wait(timeout=30)
    raise RuntimeError("the window did not report its first paint")


def _compiled_env(work: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: offscreen, bytecode cached in ``work``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(work / "pyc"),
           "XDG_CONFIG_HOME": str(work / "config"), **extra}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def register(benches: dict[str, Callable[[Path], None]], report: Callable[..., None],
             best: Callable[..., float]) -> None:  # fmt: skip
    """Adds the window benchmarks."""

    def start(work: Path) -> None:
        from tests.core.helpers import all_answers, answer_args

        data = work / "data"
        env = _compiled_env(work, CXDESK_DATA_DIR=str(data), CXDESK_BENCH_EXIT_AFTER_PAINT="1")
        subprocess.run([sys.executable, "-m", "cxdesk", "new", "agency", "--org", "Министерство",
                        *answer_args(all_answers("agency", True))], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=REPO)  # fmt: skip
        window = [sys.executable, "-m", "cxdesk"]
        floor_argv = [sys.executable, "-c", _FLOOR]
        _time_to_paint(window, env)  # warm-up: bytecode written, the day's backup made
        _time_to_paint(floor_argv, env)
        runs = [_time_to_paint(window, env) for _ in range(5)]
        fig = min(r[0] for r in runs)
        floor = min(_time_to_paint(floor_argv, env)[0] for _ in range(5))
        report("start to first paint, 76 items", fig, floor,
               "≤ 2.5× a minimal PySide6 tree of 76 rows")  # fmt: skip
        loaded = [m for m in runs[0][1].split() if m.split(".")[0] in HEAVY]
        print(f"{'  heavy modules at first paint':<34} {', '.join(loaded) or 'none'}"
              f"  (checked: {', '.join(HEAVY)})")  # fmt: skip

    def big(work: Path) -> None:
        env = _compiled_env(work, CXDESK_DATA_DIR=str(work / "data"))
        res = subprocess.run([sys.executable, "-c", _BIG, str(REPO)], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        data = json.loads(res.stdout.strip().splitlines()[-1])
        report("window: open a 5,000-item plan", data["open"], None, "≤ 1 s")
        worst = max(data["filters"], key=data["filters"].get)
        report("window: one filter (worst change)", data["filters"][worst], None, "≤ 50 ms")
        for change, spent in data["filters"].items():
            print(f"    {change:<44} {spent * 1000:7.1f} ms")
        print(f"{'window: peak memory, 5,000 items':<34} {data['peak_mb']:9.1f} MB"
              f"{'':28}target ≤ 300 MB")  # fmt: skip

    benches["window_start"] = start
    benches["window_5000_items"] = big
