"""Benchmarks of cxdesk, run on demand: ``python -m tests.benchmarks.bench [NAME ...]``.

Each benchmark prints its figure, the floor measured in the same run on the same machine, the
ratio, and the target ratio (or absolute bound) from the «Speed» issue. Absolute times vary from
machine to machine; the ratios are what the targets speak of. ``--list`` names the benchmarks.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

BENCHES: dict[str, Callable[[Path], None]] = {}


def bench(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def wrap(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        BENCHES[name] = fn
        return fn

    return wrap


def best(fn: Callable[[], object], runs: int = 5) -> float:
    """The best wall time of ``runs`` calls (the least disturbed by the machine)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def best_in_turn(
    fn: Callable[[], object], floor: Callable[[], object], runs: int = 5
) -> tuple[float, float]:
    """The best wall times of ``fn`` and of its floor, run in turn, so that a slow spell of the
    machine falls on both."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn_, out in ((fn, times[0]), (floor, times[1])):
            t = time.perf_counter()
            fn_()
            out.append(time.perf_counter() - t)
    return min(times[0]), min(times[1])


def median(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def report(name: str, figure: float, floor: float | None, target: str) -> None:
    if floor:
        print(
            f"{name:<34} {figure * 1000:9.1f} ms  floor {floor * 1000:8.1f} ms  "
            f"ratio {figure / floor:5.2f}×  target {target}"
        )
    else:
        print(f"{name:<34} {figure * 1000:9.1f} ms  {'':24}  target {target}")


def _all_yes() -> list[str]:
    from tests.core.helpers import all_answers, answer_args

    return answer_args(all_answers("agency", True))


def _run_cli(data: Path, *argv: str) -> None:
    env = {**os.environ, "CXDESK_DATA_DIR": str(data)}
    subprocess.run(
        [sys.executable, "-m", "cxdesk", *argv], env=env, check=True, stdout=subprocess.DEVNULL
    )


def _store_with_plan(work: Path, items: int = 76) -> tuple[object, int]:
    from cxdesk.domain.building import PlanRequest
    from cxdesk.services.plans import create_plan
    from cxdesk.storage.db import Store
    from tests.core.helpers import all_answers

    store = Store(work / f"data-{items}")
    pid = create_plan(
        store, PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    ).plan_id
    if items > 76:
        big_plan(store, pid, items)
    return store, pid


def big_plan(store: object, pid: int, items: int) -> None:
    """Grows a plan to ``items`` items by copying its rows (for the 5,000-item figures)."""
    con = sqlite3.connect(store.db_path)  # type: ignore[attr-defined]
    rows = con.execute(
        "select depth, kind, ref, number, title, deadline, due_date, document from rows "
        "where plan_id=? order by position",
        (pid,),
    ).fetchall()
    n = con.execute("select count(*) from rows where plan_id=?", (pid,)).fetchone()[0]
    copy = 1
    have = sum(1 for r in rows if r[1] == "item")
    while have < items:
        for depth, kind, ref, number, title, deadline, due, doc in rows:
            if have >= items:
                break
            con.execute(
                "insert into rows(uid, plan_id, position, depth, kind, ref, number, title, start, "
                "deadline, due_date, responsible, result, document, materials, note, status, basis,"
                " done_date) values (hex(randomblob(16)), ?, ?, ?, ?, ?, ?, ?, '', ?, ?, "
                "'Отдел организационной работы', '', ?, '', '', 'not_started', '', '')",
                (pid, n, depth, kind, ref, f"{copy}-{number}", title, deadline, due, doc),
            )
            n += 1
            have += kind == "item"
        copy += 1
    from cxdesk.domain.building import fresh_numbers

    rows = con.execute(
        "select id, kind, depth from rows where plan_id=? order by position", (pid,)
    ).fetchall()
    numbers = fresh_numbers([(kind, depth) for _, kind, depth in rows], "dotted")
    # each copy of the template becomes a block of its own, numbered as a real plan would be
    con.executemany(
        "update rows set number=? where id=?",
        [(n, rid) for (rid, _, _), n in zip(rows, numbers, strict=True)],
    )
    con.commit()
    con.close()


@bench("cli_show_json")
def cli_show(work: Path) -> None:
    data = work / "cli"
    _run_cli(data, "new", "agency", "--org", "Министерство", *_all_yes())
    floor = best(
        lambda: subprocess.run([sys.executable, "-c", "import sqlalchemy.orm"], check=True)
    )
    fig = best(lambda: _run_cli(data, "show", "1", "--json"))
    report("cxdesk show --json (process)", fig, floor, "≤ 2.0× python -c 'import sqlalchemy.orm'")


@bench("create_plan_76")
def create_76(work: Path) -> None:
    from cxdesk.domain.building import PlanRequest
    from cxdesk.services.plans import create_plan
    from cxdesk.storage.db import Store
    from tests.core.helpers import all_answers

    store = Store(work / "create")
    req = PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    create_plan(store, req)
    fig = median(lambda: create_plan(store, req).plan_id)

    def floor_fn() -> None:
        con = sqlite3.connect(work / "floor.sqlite3")
        con.execute("pragma journal_mode=wal")
        con.execute("pragma synchronous=full")
        con.execute("create table if not exists r(a, b, c, d, e)")
        with con:
            con.executemany(
                "insert into r values (?,?,?,?,?)", [(i, "x" * 80, "y", "z", i) for i in range(92)]
            )
        con.close()

    report("create a 76-item plan", fig, median(floor_fn), "≤ 50 ms absolute")


@bench("summary_100_plans")
def summary_100(work: Path) -> None:
    """The summary of 100 bodies' agency plans against reading those plans (its floor)."""
    from cxdesk.domain.building import PlanRequest
    from cxdesk.services.plans import create_plan
    from cxdesk.services.summary import summarize
    from cxdesk.services.views import get_plan
    from cxdesk.storage.db import Store
    from tests.core.helpers import all_answers

    store = Store(work / "summary")
    req = PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    ids = [create_plan(store, req).plan_id for _ in range(100)]
    fig = best(lambda: summarize(store), runs=3)
    floor = best(lambda: [get_plan(store, i) for i in ids], runs=3)
    report("summary of 100 plans", fig, floor, "≤ 1 s absolute")


def _export(fmt: str, items: int) -> Callable[[Path], None]:
    def run(work: Path) -> None:
        from cxdesk.io.model import ExportOptions
        from cxdesk.services.documents import export_plan, plan_doc

        store, pid = _store_with_plan(work, items)
        doc = plan_doc(store, pid)  # type: ignore[arg-type]
        if fmt == "docx":
            from cxdesk.io.docx_writer import write_docx as writer
        elif fmt == "xlsx":
            from cxdesk.io.xlsx_writer import write_xlsx as writer
        else:
            from cxdesk.io.pdf_render import write_pdf as writer
        out = work / f"plan-{items}.{fmt}"
        export_plan(store, pid, out)  # type: ignore[arg-type]  # warm up imports and fonts
        fig = best(lambda: writer(doc, out, ExportOptions()), 3)
        floor = None
        target = {
            ("docx", 76): "≤ 100 ms",
            ("docx", 5000): "≤ 500 ms",
            ("pdf", 76): "≤ 350 ms",
        }.get((fmt, items), "")
        if fmt == "xlsx":
            cells = [
                [r.number, r.title, r.deadline, r.responsible, r.result, r.document]
                for r in doc.rows
            ]
            floor = best(lambda: _openpyxl_floor(work, cells), 3)
            target = "≤ 1.2× openpyxl writing the same cells and styles"
        report(f"export {fmt}, {items} items (writer)", fig, floor, target)

    return run


def _openpyxl_floor(work: Path, cells: list[list[str]]) -> None:
    """openpyxl writing the same cells with the same styles (font, border, wrap), nothing else."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(cells, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border, cell.font, cell.alignment = border, font, wrap
    wb.save(work / "floor.xlsx")


for _fmt, _n in (("docx", 76), ("docx", 5000), ("xlsx", 76), ("xlsx", 5000), ("pdf", 76)):
    BENCHES[f"export_{_fmt}_{_n}"] = _export(_fmt, _n)


@bench("export_docx_10000_memory")
def docx_memory(work: Path) -> None:
    """Peak memory (max RSS) of a process that exports 10,000 items to docx, against the same
    process that only loads the plan."""
    store, pid = _store_with_plan(work, 10000)
    store.close()  # type: ignore[attr-defined]
    code = (
        "import resource, sys; from pathlib import Path; from cxdesk.storage.db import Store; "
        "from cxdesk.services.documents import plan_doc; "
        "from cxdesk.io.model import ExportOptions; "
        "store = Store(Path(sys.argv[1])); doc = plan_doc(store, int(sys.argv[2])); "
        "import cxdesk.io.docx_writer as w; "
        "w.write_docx(doc, Path(sys.argv[1]) / 'p.docx', ExportOptions()) if sys.argv[3] == '1' "
        "else None; print(peak())"
    )
    # VmHWM is this process's own peak; ru_maxrss would also count the benchmark process
    # that forked it (Linux keeps the larger of the two across exec)
    code = (
        "def peak():\n"
        "    import os, resource\n"
        "    if os.path.exists('/proc/self/status'):\n"
        "        for line in open('/proc/self/status'):\n"
        "            if line.startswith('VmHWM'):\n"
        "                return int(line.split()[1])\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    ) + code
    figures = []
    for export in ("0", "1"):
        out = subprocess.run(
            [sys.executable, "-c", code, str(work / "data-10000"), str(pid), export],
            capture_output=True, text=True, check=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        figures.append(int(out.stdout.split()[-1]) / 1024)
    print(f"{'export docx, 10000 items, peak RSS':<34} {figures[1]:8.0f} MB  "
          f"(plan loaded: {figures[0]:.0f} MB)  target ≤ 200 MB")  # fmt: skip


@bench("export_pdf_vs_soffice")
def pdf_vs_soffice(work: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    data = work / "pdf"
    _run_cli(data, "new", "agency", "--org", "Министерство", *_all_yes())
    _run_cli(data, "export", "1", "-o", str(work / "p.docx"))
    fig = best(lambda: _run_cli(data, "export", "1", "-o", str(work / "p.pdf")), 3)
    if not soffice:
        report("cxdesk export -o plan.pdf", fig, None, "≥ 3× faster than soffice (absent)")
        return
    conv = lambda: subprocess.run(  # noqa: E731
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "so"),
            str(work / "p.docx"),
        ],
        check=True,
        capture_output=True,
    )
    conv()
    floor = best(conv, 3)
    report("cxdesk export pdf vs soffice", fig, floor, "ratio ≤ 0.33 (3× faster)")


def _import(fmt: str, items: int) -> Callable[[Path], None]:
    def run(work: Path) -> None:
        from cxdesk.services.documents import export_plan
        from cxdesk.services.importing import import_file

        store, pid = _store_with_plan(work, items)
        src = work / f"src-{items}.{fmt}"
        export_plan(store, pid, src)  # type: ignore[arg-type]
        fig = best(lambda: import_file(store, src, dry_run=True), 3)  # type: ignore[arg-type]
        target = "≤ 150 ms" if items <= 76 else "≤ 1.5 s"
        report(f"import {fmt}, {items} rows (read)", fig, None, target)

    return run


for _fmt, _n in (("docx", 76), ("xlsx", 76), ("docx", 5000), ("xlsx", 5000)):
    BENCHES[f"import_{_fmt}_{_n}"] = _import(_fmt, _n)


def _foreign_rows(items: int) -> list[list[str]]:
    """A foreign plan of ``items`` items: template wording (some reworded), numbered flat from 1
    (so numbers pass 1000), blocks as merged rows, with no cxdesk identity."""
    from cxdesk.domain.templates import get_template

    nodes = [n for n in get_template("agency").walk() if n.kind == "item"]
    rows: list[list[str]] = [["№ п/п", "Мероприятие", "Срок реализации", "Ответственный",
                              "Вид документа"]]  # fmt: skip
    for i in range(items):
        if i % 100 == 0:
            rows.append(["", f"Раздел {i // 100 + 1}. Мероприятия этапа", "", "", ""])
        node = nodes[i % len(nodes)]
        title = node.title if i % 7 else f"{node.title} (этап {i // len(nodes) + 1})"
        rows.append([f"{i + 1}.", title, "31.12.2025", "Отдел развития", "Приказ"])
    return rows


def _foreign_import(fmt: str, items: int) -> Callable[[Path], None]:
    def run(work: Path) -> None:
        from cxdesk.services.importing import import_file
        from cxdesk.storage.db import Store

        rows = _foreign_rows(items)
        src = work / f"foreign-{items}.{fmt}"
        if fmt == "xlsx":
            import openpyxl

            wb = openpyxl.Workbook()
            for values in rows:
                wb.active.append(values)
            wb.save(src)
        else:
            import docx

            document = docx.Document()
            table = document.add_table(rows=len(rows), cols=5)
            for tr, values in zip(table._tbl.tr_lst, rows, strict=True):
                for tc, value in zip(tr.tc_lst, values, strict=True):
                    tc.p_lst[0].add_r().text = value
            document.save(src)
        store = Store(work / f"data-{fmt}")
        outcome = import_file(store, src, dry_run=True)
        assert outcome.items == items, outcome.items
        fig, floor = best_in_turn(
            lambda: import_file(store, src, dry_run=True), lambda: _read_floor(src)
        )
        goal = "≤ 2.5× the floor" if fmt == "xlsx" else "≤ 4× the floor"
        report(f"import foreign {fmt}, {items} rows", fig, floor, goal)

    return run


def _read_floor(src: Path) -> None:
    """Reading the same cells and nothing else: openpyxl read-only, lxml iterparse of w:t."""
    if src.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
        for row in wb.active.iter_rows(values_only=True):
            for value in row:
                str(value)
        wb.close()
        return
    import zipfile

    from lxml import etree

    tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    with zipfile.ZipFile(src) as z, z.open("word/document.xml") as fh:
        for _, el in etree.iterparse(fh, tag=tag):
            str(el.text)
            el.clear()


for _fmt in ("xlsx", "docx"):
    BENCHES[f"import_foreign_{_fmt}_5000"] = _foreign_import(_fmt, 5000)


@bench("check_1000_files_1gb")
def check_big_store(work: Path) -> None:
    """`check` of 1,000 attachments (1 GB): time against hashing the same files, and memory."""
    import hashlib

    from cxdesk.services.attachments import attach_files

    store, pid = _store_with_plan(work, 76)
    src = work / "src"
    src.mkdir()
    block = os.urandom(1 << 20)
    items = [
        r.number
        for r in __import__("cxdesk.services.views", fromlist=["get_plan"])
        .get_plan(store, pid)
        .items()
    ]
    for i in range(1000):
        f = src / f"Приказ № {i}.pdf"
        f.write_bytes(block[i:] + block[:i])
        attach_files(store, pid, items[i % len(items)], [f])  # type: ignore[arg-type]
        f.unlink()

    def floor_fn() -> None:
        for blob in sorted((store.data_dir / "store").rglob("*")):  # type: ignore[attr-defined]
            if blob.is_file() and len(blob.name) == 64:
                h = hashlib.sha256()
                with blob.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)

    floor = best(floor_fn, 1)
    code = (
        "import sys; from cxdesk.cli import main; rc = main(['check', '--json']); "
        # VmHWM: this process's own peak (ru_maxrss would carry the parent's over fork+exec)
        "sys.stderr.write('MAXRSS=%d' % int([ln for ln in open('/proc/self/status') "
        "if ln.startswith('VmHWM')][0].split()[1]))"
    )
    env = {**os.environ, "CXDESK_DATA_DIR": str(store.data_dir)}  # type: ignore[attr-defined]
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    fig = time.perf_counter() - t
    rss = int(res.stderr.rsplit("MAXRSS=", 1)[1]) // 1024
    report("check, 1,000 files (1 GB)", fig, floor, f"flat memory: peak {rss} MB")


def main(argv: list[str]) -> int:
    from tests.benchmarks import gui_bench, timeline_bench

    gui_bench.register(BENCHES, report, best)
    timeline_bench.register(BENCHES, report, best)
    if "--list" in argv:
        print("\n".join(BENCHES))
        return 0
    names = [a for a in argv if not a.startswith("-")] or list(BENCHES)
    for name in names:
        with tempfile.TemporaryDirectory(prefix="cxbench-") as tmp:
            try:
                BENCHES[name](Path(tmp))
            except Exception as exc:  # noqa: BLE001 - a benchmark that fails says so and goes on
                print(f"{name:<34} FAILED: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
