"""The light read of the store (stdlib sqlite3, no SQLAlchemy) and the PDF export through it.

The light reader reads the models' own columns (a column added to the models and not to the
reader fails here); it gives the same document as the normal path; a database it should not
read (older or newer, damaged, missing, a plan it does not know) sends the caller to the normal
path, which migrates, recovers or explains as before.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.io.model import PlanDoc
from cxdesk.paths import DB_NAME
from cxdesk.services.attachments import attach_files, remove_attachment
from cxdesk.services.documents import plan_doc
from cxdesk.services.plan_docs import light_plan_doc
from cxdesk.services.plans import create_plan
from cxdesk.storage import light
from cxdesk.storage.db import Store
from cxdesk.storage.models import Base

from .helpers import all_answers, exit_probe

ON = date(2026, 11, 23)


def _plan_with_files(store: Store, tmp_path: Path) -> int:
    pid = create_plan(
        store, PlanRequest("agency", "Минтруд", answers=all_answers("agency", True))
    ).plan_id
    proofs = []
    for name in ("приказ.txt", "отчёт.txt", "снят.txt"):
        proofs.append(tmp_path / name)
        proofs[-1].write_text(name, encoding="utf-8")
    attach_files(store, pid, "1.1", proofs[:2])
    removed = attach_files(store, pid, "1.2", proofs[2:]).files
    remove_attachment(store, removed[0].id)
    return pid


def test_reader_columns_are_the_models_columns() -> None:
    for table, names in light.COLUMNS.items():
        model = [c.name for c in Base.metadata.tables[table].columns]
        same = sorted(names) == sorted(model) and len(set(names)) == len(names)
        assert same, f"light reader's columns of «{table}» differ from the model"  # by name


def test_a_column_missing_from_the_reader_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    shorter = {**light.COLUMNS, "rows": light.COLUMNS["rows"][:-1]}
    monkeypatch.setattr(light, "COLUMNS", shorter)
    with pytest.raises(AssertionError, match="«rows» differ"):
        test_reader_columns_are_the_models_columns()


def _light_doc(db: Path, token: str | int, on: date = ON) -> object:
    reader = light.open_reader(db)
    if reader is None:
        return None
    with reader:
        return light_plan_doc(reader, token, on)


def test_light_document_is_the_normal_one(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    pid = _plan_with_files(store, tmp_path)
    normal = plan_doc(store, pid, ON)
    store.close()
    doc = _light_doc(data_dir / DB_NAME, pid, ON)
    assert isinstance(doc, PlanDoc)
    assert doc == normal
    assert sum(r.kind == "item" for r in doc.rows) == 76
    files = {r.number: [a.name for a in r.attachments] for r in doc.rows if r.attachments}
    assert files == {"1.1.": ["приказ.txt", "отчёт.txt"]}  # the removed one is not listed
    assert _light_doc(data_dir / DB_NAME, doc.uid, ON) == normal  # by uid as well


def test_unknown_plan_missing_or_other_revision_take_the_normal_path(data_dir: Path) -> None:
    store = Store(data_dir)
    pid = create_plan(
        store, PlanRequest("agency", "Минтруд", answers=all_answers("agency", True))
    ).plan_id
    store.close()
    db = data_dir / DB_NAME
    assert _light_doc(db, pid + 1) is None
    assert _light_doc(db, "нет-такого") is None
    assert _light_doc(data_dir / "нет.sqlite3", pid) is None
    for revision in ("0002", "9999"):  # older (to migrate) or newer than this version
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.close()
        assert light.open_reader(db) is None
        assert _light_doc(db, pid) is None


def test_damaged_or_empty_database_takes_the_normal_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    no_schema = tmp_path / "new.sqlite3"
    sqlite3.connect(no_schema).close()
    for db in (empty, damaged, no_schema):
        assert light.open_reader(db) is None


_EXPORT = exit_probe('print("SQLALCHEMY" if "sqlalchemy" in sys.modules else "LIGHT")')


def _export(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CXDESK_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8",
           "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    env.pop("CXDESK_DB", None)
    argv = [sys.executable, "-c", _EXPORT, "export", *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)  # fmt: skip


def test_pdf_export_reads_lightly_and_others_normally(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    pid = create_plan(
        store, PlanRequest("agency", "Минтруд", answers=all_answers("agency", True))
    ).plan_id
    store.close()
    out = tmp_path / "план.pdf"
    res = _export(data_dir, str(pid), "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1] == "LIGHT"
    assert out.read_bytes().startswith(b"%PDF") and "стр." in res.stdout
    assert (data_dir / "backups").is_dir()  # the day's backup made, as on the normal path
    assert res.stderr.endswith("left at once\n")  # the interpreter's teardown skipped
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(DB_NAME)) == [DB_NAME]
    docx = _export(data_dir, str(pid), "-o", str(tmp_path / "план.docx"))
    assert docx.returncode == 0 and docx.stdout.splitlines()[-1] == "SQLALCHEMY"
    missing = _export(data_dir, "99", "-o", str(out))  # said by the normal path, as before
    assert missing.returncode == 2 and "Нет плана «99»" in missing.stderr


def test_pdf_export_of_an_older_database_migrates_first(data_dir: Path, tmp_path: Path) -> None:
    store = Store(data_dir)
    pid = create_plan(
        store, PlanRequest("agency", "Минтруд", answers=all_answers("agency", True))
    ).plan_id
    store.close()
    with sqlite3.connect(data_dir / DB_NAME) as conn:  # a newer version's database
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    res = _export(data_dir, str(pid), "-o", str(tmp_path / "план.pdf"))
    assert res.stdout.splitlines()[-1] == "SQLALCHEMY"  # the normal path's check said its word
    assert "Traceback" not in res.stderr


def test_damaged_database_export_is_explained(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / DB_NAME).write_bytes(b"not a database at all" * 1000)
    res = _export(data_dir, "1", "-o", str(tmp_path / "план.pdf"))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr and "cxdesk: error: " in res.stderr
    assert res.stdout.splitlines()[-1] == "SQLALCHEMY"
