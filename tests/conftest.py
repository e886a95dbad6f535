"""Shared fixtures: a migrated template database copied per test, and offscreen Qt.

The ``store`` of a test module marked ``pytest.mark.both_engines`` runs on each engine: SQLite in
the data folder, and a fresh PostgreSQL database per test (copied from a migrated template
database) on the server named by ``CXDESK_TEST_PG`` (``.ci/pg-start`` starts one; without it the
PostgreSQL variants are skipped, saying so). On PostgreSQL ``CXDESK_DB`` is set too, so that the
command line run by the test uses the same database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")

from cxdesk.paths import DB_NAME  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ENGINES = ("sqlite", "postgresql")
PG_SKIP = "PostgreSQL не задан: CXDESK_TEST_PG не установлена (её задаёт .ci/pg-start)"
SEEDS = REPO.parent / "shared" / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_engines: the store runs on SQLite and PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_engines"
    ):
        metafunc.parametrize("engine_name", ENGINES, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "qtbot" in names or "qapp" in names:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template-db")
    Store(folder).close()
    return folder / DB_NAME


@pytest.fixture
def data_dir(tmp_path: Path, _template_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, migrated data folder of its own for each test (also set as CXDESK_DATA_DIR)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(_template_db, folder / DB_NAME)
    monkeypatch.setenv("CXDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine of this test's store: ``sqlite`` unless the module runs on both."""
    return str(getattr(request, "param", "sqlite"))


class PgServer:
    """The test server: a migrated template database, and fresh copies of it per test."""

    def __init__(self, url: str, work: Path) -> None:
        from sqlalchemy import create_engine

        self.base = url.rsplit("/", 1)[0]
        self.admin = create_engine(
            url.replace("postgresql:", "postgresql+psycopg:", 1), isolation_level="AUTOCOMMIT"
        )
        self.template = f"cxdesk_tpl_{uuid.uuid4().hex[:10]}"
        self.execute(f"CREATE DATABASE {self.template}")
        Store(work, url=self.url(self.template)).close()
        self.made: list[str] = [self.template]

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as con:
            con.execute(text(sql))

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def fresh(self) -> str:
        """A new migrated database; returns its URL."""
        name = f"cxdesk_t_{uuid.uuid4().hex[:12]}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        self.made.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    """The PostgreSQL server of CXDESK_TEST_PG (skips when it is not set)."""
    url = os.environ.get("CXDESK_TEST_PG", "")
    if not url:
        pytest.skip(PG_SKIP)
    server = PgServer(url, tmp_path_factory.mktemp("pg-template"))
    yield server
    server.close()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh migrated PostgreSQL database of this test (also set as CXDESK_DB)."""
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.fresh()
    monkeypatch.setenv("CXDESK_DB", url)
    yield url
    server.drop(url)


@pytest.fixture
def store(data_dir: Path, engine_name: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """The test's store: SQLite in ``data_dir``, or (``both_engines``) a PostgreSQL database."""
    url = request.getfixturevalue("pg_url") if engine_name == "postgresql" else None
    s = Store(data_dir, url=url)
    yield s
    s.close()
