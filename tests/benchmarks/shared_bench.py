"""Benchmarks of a shared database, on demand: ``python -m tests.benchmarks.shared_bench``.

On each engine (SQLite in a data folder; PostgreSQL when ``CXDESK_TEST_PG`` names a server, as
``.ci/pg-start`` sets it) it times: the summary of 100 bodies' plans, 20 simultaneous status
changes on one plan (20 threads, each its own item), and on PostgreSQL how soon an open window's
probe hears of another person's commit (LISTEN/NOTIFY). Figures vary by machine; the point is
that the two engines stay of one order and nothing waits on a poll interval.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("CXDESK_TODAY", "2026-11-23")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cxdesk.domain.building import PlanRequest  # noqa: E402
from cxdesk.services.items import update_item  # noqa: E402
from cxdesk.services.plans import create_plan  # noqa: E402
from cxdesk.services.summary import summarize  # noqa: E402
from cxdesk.services.views import get_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from tests.benchmarks.bench import best  # noqa: E402
from tests.core.helpers import all_answers  # noqa: E402

PLANS = 100
WRITERS = 20


def _fresh_pg(server: str) -> tuple[str, object]:
    from sqlalchemy import create_engine, text

    admin = create_engine(server.replace("postgresql:", "postgresql+psycopg:", 1),
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    name = f"cxdesk_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as con:
        con.execute(text(f"CREATE DATABASE {name}"))
    return server.rsplit("/", 1)[0] + "/" + name, (admin, name)


def _drop_pg(handle: object) -> None:
    from sqlalchemy import text

    admin, name = handle  # type: ignore[misc]
    with admin.connect() as con:
        con.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def run(store: Store, label: str) -> None:
    for n in range(PLANS - 1):
        create_plan(store, PlanRequest("szn_pilot", f"Орган № {n + 1}"))
    pid = create_plan(
        store, PlanRequest("agency", "Министерство", answers=all_answers("agency", True))
    ).plan_id
    took = best(lambda: summarize(store), runs=3)
    print(f"{label:<11} summary of {PLANS} plans          {took * 1000:9.1f} ms")

    items = [r for r in get_plan(store, pid).rows if r.kind == "item"]
    numbers = [r.number for r in items[:WRITERS]]
    gate = threading.Barrier(len(numbers) + 1)
    errors: list[BaseException] = []

    def writer(number: str) -> None:
        gate.wait()
        try:
            update_item(store, pid, number, {"status": "in_progress"})
        except BaseException as exc:  # noqa: BLE001 - counted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    gate.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    print(f"{label:<11} {len(numbers)} simultaneous status changes {took * 1000:9.1f} ms"
          f"  errors {len(errors)}")  # fmt: skip

    if store.kind == "postgresql":
        probe = store.probe()
        probe.read(None)
        waits = []
        for n in range(10):
            update_item(store, pid, numbers[0], {"note": f"заметка {n}"})
            t0 = time.perf_counter()
            while not probe.pending():
                time.sleep(0.001)
            waits.append(time.perf_counter() - t0)
        probe.close()
        print(
            f"{label:<11} notification after commit       {max(waits) * 1000:9.1f} ms (worst of 10)"
        )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cxdesk-shared-bench-") as tmp:
        store = Store(Path(tmp) / "sqlite")
        try:
            run(store, "SQLite")
        finally:
            store.close()
        server = os.environ.get("CXDESK_TEST_PG", "")
        if not server:
            print('PostgreSQL  skipped: CXDESK_TEST_PG is not set (eval "$(.ci/pg-start)")')
            return 0
        url, handle = _fresh_pg(server)
        try:
            store = Store(Path(tmp) / "pg", url=url)
            try:
                run(store, "PostgreSQL")
            finally:
                store.close()
        finally:
            _drop_pg(handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
