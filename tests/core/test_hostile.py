"""Hostile and broken files through the real command line: each is refused with a clear message
(exit 2) or read safely, and the data folder's plans, items and store stay as they were."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tests.hostile.make_corpus import READ, REFUSE, build

from .helpers import run

SECRET = "СЕКРЕТ-НЕ-ДОЛЖЕН-УТЕЧЬ"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return folder, build(folder, secret)


def snapshot(data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The database's content (as SQL) and every stored file with its hash."""
    con = sqlite3.connect(data_dir / "cxdesk.sqlite3")
    dump = list(con.iterdump())
    con.close()
    files = {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((data_dir / "store").rglob("*"))
        if p.is_file()
    } if (data_dir / "store").exists() else {}  # fmt: skip
    return dump, files


CASES = [
    "xxe.docx", "billion_laughs.docx", "zip_bomb.docx", "random.docx", "random.xlsx",
    "empty.docx", "empty.xlsx", "truncated.docx", "png_named.xlsx", "ole_named.docx",
    "encrypted.docx", "legacy.doc", "legacy.xls", "no_table.docx", "control_chars.xlsx",
    "ten_thousand_rows.docx",
]  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_hostile_file(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    corpus: tuple[Path, dict[str, str]],
    name: str,
) -> None:
    folder, expect = corpus
    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")  # something to keep, and the day's backup
    before = snapshot(data_dir)
    code, out, err = run(capsys, "import", str(folder / name), "--json")
    assert "Traceback" not in err
    if expect[name] == REFUSE:
        assert code == 2, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("cxdesk: error:"), err
        assert len(lines[0]) > 40  # says what is wrong and what to do
        assert snapshot(data_dir) == before
    else:
        assert expect[name] == READ
        assert code in (0, 2), err
        if code == 2:
            assert snapshot(data_dir) == before
    _, shown, _ = run(capsys, "show", "2", "--json")
    assert SECRET not in out + err + shown
    tmp = data_dir / "store" / "tmp"
    assert not tmp.exists() or not any(tmp.iterdir())


def test_legacy_files_say_how_to_convert(
    capsys: pytest.CaptureFixture[str], data_dir: Path, corpus: tuple[Path, dict[str, str]]
) -> None:
    folder, _ = corpus
    for name in ("legacy.doc", "legacy.xls", "ole_named.docx"):
        _, _, err = run(capsys, "import", str(folder / name))
        assert ".docx" in err or ".xlsx" in err
    _, _, err = run(capsys, "import", str(folder / "encrypted.docx"))
    assert "парол" in err.lower()
