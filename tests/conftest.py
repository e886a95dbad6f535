"""Shared fixtures: a migrated template database copied per test, and offscreen Qt."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")

from cxdesk.paths import DB_NAME  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


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
def store(data_dir: Path) -> Iterator[Store]:
    s = Store(data_dir)
    yield s
    s.close()
