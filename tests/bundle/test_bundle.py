"""The bundle: cxdesk.spec builds one folder whose programs run without Python installed.

The bundle is what coordinators install, so its test drives the whole product inside the built
folder, on a fresh data folder, with nothing of the build environment on PATH or PYTHONPATH and
a working folder outside the repository: every command of the command line, every export layout
read back, imports of each export and of a package, and the window, whose menus and wizard must
be those of the installed window. It also prints the highest GLIBC version the folder needs and
its size.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.bundle.conftest import FIGURES
from tests.core.helpers import all_answers, answer_args

REPO = Path(__file__).resolve().parents[2]
WINDOWS = sys.platform == "win32"
LAYOUTS = ("official", "dates", "report")
FORMATS = ("docx", "xlsx", "pdf")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ready = os.environ.get("CXDESK_TEST_BUNDLE")  # a folder built before, to test it again
    if ready:
        return Path(ready)
    if importlib.util.find_spec("PyInstaller") is None:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller is missing: CI must build and test the bundle")
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("bundle")
    res = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(REPO / "cxdesk.spec")],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    (folder,) = (work / "dist").iterdir()
    return folder


def _clean_env(data: Path) -> dict[str, str]:
    """The environment of a user's machine: no Python of ours on any path."""
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "USERPROFILE",
            "APPDATA", "LOCALAPPDATA", "XDG_RUNTIME_DIR", "CXDESK_TODAY")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k in keep}
    system_path = os.environ.get("SYSTEMROOT", "") + "\\System32" if WINDOWS else "/usr/bin:/bin"
    env.update(PATH=system_path, CXDESK_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen",
               LANG=env.get("LANG", "C.UTF-8"))  # fmt: skip
    return env


class Product:
    """The bundled console program, run as a user would in a folder of their own."""

    def __init__(self, folder: Path, home: Path) -> None:
        self.exe = folder / ("cxdesk.exe" if WINDOWS else "cxdesk")
        self.gui = folder / ("cxdesk-gui.exe" if WINDOWS else "cxdesk-gui")
        self.home = home
        self.data = home / "data"
        self.env = _clean_env(self.data)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        res = subprocess.run([str(self.exe), *args], capture_output=True, text=True,
                             env=self.env, cwd=self.home, timeout=180)  # fmt: skip
        assert "Traceback" not in res.stderr, res.stderr
        if ok:
            assert res.returncode == 0, (args, res.stdout[-2000:], res.stderr[-2000:])
        return res

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture(scope="module")
def product(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Product:
    home = tmp_path_factory.mktemp("user")
    return Product(bundle, home)


def test_every_template_makes_a_plan(product: Product) -> None:
    templates = {t["id"]: t["items"] for t in product.json("templates")}
    assert templates == {"region": 59, "agency": 76, "szn_pilot": 12}
    made = {
        "szn_pilot": product.json("new", "szn_pilot", "--org", "ЦЗН Тульской области"),
        "agency": product.json("new", "agency", "--org", "Министерство труда",
                               *answer_args(all_answers("agency", True))),
        "region": product.json("new", "region", "--org", "Тульская область",
                               *answer_args(all_answers("region", True))),
    }  # fmt: skip
    assert [m["plan"] for m in made.values()] == [1, 2, 3]
    assert made["szn_pilot"]["items"] == 12 and made["agency"]["items"] == 76
    assert made["region"]["items"] == 59


def test_tracking_set_attach_and_check(product: Product) -> None:
    product.run("set", "2", "1.1", "--status", "done", "--result", "Приказ № 5 от 01.02.2026")
    proof = product.home / "Приказ № 5 о назначении.pdf"
    proof.write_bytes(b"%PDF-1.4\n" + "подписан".encode() * 100)
    attached = product.json("attach", "2", "1.1", str(proof))
    assert attached
    listed = product.json("attachments", "2", "1.1")
    assert [a["name"] for a in listed] == [proof.name]
    history = product.json("history", "2", "1.1")
    assert any(h["field"] == "status" for h in history)
    assert product.json("check")["ok"] is True


def test_exports_in_every_format_and_layout_read_back(product: Product) -> None:
    import docx
    import openpyxl

    out = product.home / "exports"
    out.mkdir()
    for layout in LAYOUTS:
        for fmt in FORMATS:
            path = out / f"agency-{layout}.{fmt}"
            written = product.json("export", "2", "-o", str(path), "--layout", layout)
            assert written["rows"] > 70 and path.stat().st_size > 2000, (layout, fmt)
        document = docx.Document(str(out / f"agency-{layout}.docx"))
        texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
        assert any("Приказ № 5 от 01.02.2026" in t for t in texts) or layout != "official"
        book = openpyxl.load_workbook(out / f"agency-{layout}.xlsx")
        cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
        assert any("клиентоцентричности" in c for c in cells) and len(cells) > 200
        if shutil.which("pdftotext"):
            pdf = out / f"agency-{layout}.pdf"
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, timeout=60).stdout  # fmt: skip
            assert "клиентоцентричности" in text


def test_imports_of_each_export_and_of_a_package(product: Product) -> None:
    out = product.home / "exports"
    for layout in LAYOUTS:
        for fmt in ("docx", "xlsx"):
            seen = product.json("import", str(out / f"agency-{layout}.{fmt}"), "--dry-run")
            assert seen["items"] == 76, (layout, fmt, seen)
    package = product.home / "agency.cxplan"
    packed = product.json("pack", "2", "-o", str(package))
    assert packed["items"] == 76 and packed["attachments"] == 1
    imported = product.json("import", str(package))
    assert imported["items"] == 76 and imported["plan"]
    from_word = product.json("import", str(out / "agency-official.docx"))
    assert from_word["items"] == 76
    plans = product.json("plans")
    assert len(plans) == 5
    fixtures = REPO / "tests" / "fixtures"
    # foreign files in every format: a Word plan typed by hand and one with Word's own numbering
    for name, items in (("stavropol_agency.ods", 69), ("stavropol_agency.csv", 69),
                        ("stavropol_agency.docx", 69), ("agency_autonum.docx", 20),
                        ("agency_typed.odt", None), ("tula_numbers.xlsx", None)):  # fmt: skip
        copy = product.home / name
        shutil.copyfile(fixtures / name, copy)
        seen = product.json("import", str(copy), "--dry-run")
        assert seen["items"] == items or (items is None and seen["items"] > 10), (name, seen)


def test_mail_report_summary_calendar_audit_backup(product: Product) -> None:
    home = product.home
    eml = home / "письмо.eml"
    product.json("mail", "2", "--to", "coordinator@example.org", "--eml", str(eml))
    assert b"X-Unsent: 1" in eml.read_bytes()
    for suffix in ("docx", "pdf"):
        report = home / f"report.{suffix}"
        product.json("report", "2", "-o", str(report))
        assert report.stat().st_size > 2000
    for suffix in ("pdf", "png"):
        chart = home / f"timeline.{suffix}"
        product.run("timeline", "3", "-o", str(chart), "--paper", "A3")
        assert chart.stat().st_size > 5000
    with_chart = home / "report-timeline.pdf"
    product.run("report", "2", "-o", str(with_chart), "--timeline")
    assert with_chart.stat().st_size > (home / "report.pdf").stat().st_size
    summary = home / "summary.xlsx"
    product.json("summary", "-o", str(summary))
    assert summary.stat().st_size > 2000
    calendar = home / "deadlines.ics"
    product.json("calendar", "2", "-o", str(calendar))
    assert calendar.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    audit = product.json("audit", "3")
    assert isinstance(audit, dict | list)
    backup = home / "backup.zip"
    product.json("backup", "-o", str(backup))
    assert backup.stat().st_size > 10000
    assert product.json("check")["ok"] is True
    helped = product.run("--help")
    assert "использование: cxdesk" in helped.stdout


def _describe(command: list[str], env: dict[str, str], folder: Path) -> dict[str, Any]:
    out = folder / "window.json"
    env = {**env, "CXDESK_DATA_DIR": str(folder / "data"), "CXDESK_DESCRIBE_WINDOW": str(out)}
    res = subprocess.run(command, capture_output=True, text=True, env=env, cwd=folder,
                         timeout=120)  # fmt: skip
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_bundled_window_holds_what_the_installed_window_holds(
    product: Product, tmp_path: Path
) -> None:
    (tmp_path / "bundled").mkdir()
    (tmp_path / "installed").mkdir()
    bundled = _describe([str(product.gui)], product.env, tmp_path / "bundled")
    installed_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    installed = _describe([sys.executable, "-m", "ui"], installed_env, tmp_path / "installed")
    assert bundled == installed
    assert len(bundled["menus"]["Файл"]) >= 12 and "Экспорт…" in bundled["menus"]["Файл"]
    assert len(bundled["wizard_pages"]) == 8
    assert bundled["welcome"] is True and bundled["painted_before_store"] is False
    # a folder with a plan: painted from the light read, then the store opens behind the window
    for name in ("bundled", "installed"):
        env = {**product.env, "CXDESK_DATA_DIR": str(tmp_path / name / "data")}
        subprocess.run([str(product.exe), "new", "szn_pilot", "--org", "ЦЗН"], env=env,
                       check=True, capture_output=True, timeout=120)  # fmt: skip
    bundled = _describe([str(product.gui)], product.env, tmp_path / "bundled")
    installed = _describe([sys.executable, "-m", "ui"], installed_env, tmp_path / "installed")
    assert bundled == installed
    assert bundled["plan_shown"] is True and bundled["painted_before_store"] is True
    everything, found, items = bundled["tree"]  # the tree, walked as Qt walks it, and filtered
    assert everything > found > 0 and 0 < items <= found
    assert "Экспорт…" in bundled["menus"]["Файл"]  # the features came in with the store


def _glibc_needed(folder: Path) -> tuple[str, str]:
    """The highest GLIBC_x.y symbol version any file of the folder needs, and which file."""
    best, where = (0, 0), ""
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        dump = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True,
                              timeout=60).stdout  # fmt: skip
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", dump):
            version = (int(major), int(minor))
            if version > best:
                best, where = version, str(path.relative_to(folder))
    return f"{best[0]}.{best[1]}", where


@pytest.mark.skipif(WINDOWS or shutil.which("objdump") is None, reason="ELF files and objdump")
def test_glibc_needed_and_size_are_reported(bundle: Path) -> None:
    version, where = _glibc_needed(bundle)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    FIGURES.append(
        f"bundle: highest GLIBC needed {version} (by {where}); size {size / 2**20:.0f} MB"
    )
    assert tuple(int(x) for x in version.split(".")) >= (2, 17)


def test_bundled_programs_work_on_a_shared_database(
    product: Product, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The PostgreSQL driver and its migrations are in the bundle (skips without a server)."""
    url = request.getfixturevalue("pg_url")  # a fresh database on the test server
    shared = Product(product.exe.parent, tmp_path)
    shared.env["CXDESK_DB"] = url
    made = shared.json("new", "szn_pilot", "--org", "ЦЗН (общая база)")
    assert made["items"] == 12
    shown = shared.json("show", str(made["plan"]))
    assert shown["org"] == "ЦЗН (общая база)"
    shared.run("set", str(made["plan"]), "1", "--status", "in_progress")
    assert shared.json("check")["ok"] is True
    window = _describe([str(product.gui)], shared.env, tmp_path)
    assert "Подключение к общей базе…" in window["menus"]["Файл"]


def test_data_files_the_libraries_read_are_in_the_bundle(bundle: Path) -> None:
    """python-docx's templates (and the folder they are found through) and pyphen's Russian
    dictionary, which the PDF renderer would otherwise do without in silence."""
    inside = bundle / "_internal"
    assert (inside / "docx" / "templates" / "default-header.xml").is_file()
    assert (inside / "docx" / "parts").is_dir()
    assert (inside / "pyphen" / "dictionaries" / "hyph_ru_RU.dic").is_file()
