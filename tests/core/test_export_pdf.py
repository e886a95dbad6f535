"""The PDF export: read back with poppler's pdftotext, pdfinfo and pdffonts.

Uses QtGui on the offscreen platform (no widgets); the poppler checks are skipped where the tools
are not installed.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from cxdesk.io.model import ExportOptions, PlanDoc  # noqa: E402
from cxdesk.io.pdf_render import render_to_printer, write_pdf  # noqa: E402
from cxdesk.io.pdf_text import printable  # noqa: E402
from cxdesk.paths import resources_dir  # noqa: E402

from .export_samples import (  # noqa: E402
    AGENCY_TITLE,
    EXCLUSION_BASIS,
    FORMULA_RESULT,
    PILOT_TITLE,
    agency_plan,
    pilot_plan,
)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(path: Path) -> list[str]:
    """The text of every page, laid out as printed."""
    text = _run(_tool("pdftotext"), "-layout", str(path), "-")
    return text.split("\f")[:-1]


def _stream(path: Path) -> str:
    """All the text in the order it was drawn (cell after cell), without any white space, so
    that a cell's text reads as one piece however its lines were wrapped."""
    return _bare(_run(_tool("pdftotext"), "-raw", str(path), "-"))


def _present(text: str, everything: str) -> bool:
    """Whether ``text`` is in the drawn text whole, or in two pieces (a row broken across pages
    is drawn cell by cell on each page)."""
    if _bare(text) in everything:
        return True
    words = text.split()
    return any(
        _bare(" ".join(words[:i])) in everything and _bare(" ".join(words[i:])) in everything
        for i in range(1, len(words))
    )


def _bare(text: str) -> str:
    """The text without white space and hyphens (words in narrow columns are hyphenated)."""
    return "".join(text.split()).replace("-", "").replace("\u00ad", "")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _write(tmp_path: Path, plan: PlanDoc, **options: object) -> Path:
    path = tmp_path / "план.pdf"
    assert write_pdf(plan, path, ExportOptions(**options)) == len(plan.rows)  # type: ignore[arg-type]
    return path


def test_a4_landscape_with_embedded_fonts(tmp_path: Path) -> None:
    path = _write(tmp_path, agency_plan())
    info = _run(_tool("pdfinfo"), str(path))
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts|Page size:\s+842 x 595 pts", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 3  # type: ignore[union-attr]
    fonts = _run(_tool("pdffonts"), str(path)).splitlines()[2:]
    assert fonts and all("LiberationSerif" in line for line in fonts)
    for line in fonts:
        assert line.split()[-5] == "yes"  # emb


def test_text_is_extractable_and_complete(tmp_path: Path) -> None:
    plan = agency_plan()
    path = _write(tmp_path, plan)
    everything = _stream(path)
    assert _bare(AGENCY_TITLE) in everything
    assert _bare(EXCLUSION_BASIS) not in everything  # the official form leaves excluded items out
    assert _bare(FORMULA_RESULT) in everything
    for row in [r for r in plan.rows if r.status != "excluded"]:
        texts = [f"{row.number} {row.title}"]
        if row.kind == "item":
            texts = [row.title, row.responsible, row.document, row.result]
        for text in texts:
            assert _present(text, everything), text
    pages = _pages(path)
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[:3] == ["УТВЕРЖДАЮ", "Заместитель председателя", "Правительства Тульской области"]
    assert first[3].endswith("Г.В. Лаврухин")
    assert first[4] == "«___» ______________ 20___ г."


def test_headings_and_numbers_on_every_page(tmp_path: Path) -> None:
    pages = _pages(_write(tmp_path, agency_plan()))
    for number, page in enumerate(pages, start=1):
        lines = [_flat(line) for line in page.splitlines() if line.strip()]
        if number > 1:
            assert lines[0] == str(number)  # the page number, top centre
        assert any(line.startswith("№ п/п Мероприятие") for line in lines)
        assert "Ответственный" in page and "Вид документа" in page
        assert "1 2 3 4 5 6" in lines
    assert not pages[0].strip().startswith("1\n")


def test_pilot_and_report_layouts(tmp_path: Path) -> None:
    plan = pilot_plan()
    path = _write(tmp_path, plan)
    text = " ".join(_pages(path))
    assert _flat(PILOT_TITLE) in _flat(text)
    assert "Дополнительные" in text and "материалы" in text
    for row in plan.rows:
        first_word = re.escape(row.title.split()[0])
        assert re.search(rf"(?m)^\s*{row.number}\s+{first_word}", text)
    assert _bare("Список участников вебинара Презентационные материалы") in _stream(path)
    path = _write(tmp_path, agency_plan(), layout="report")
    text = _stream(path)
    for words in ("Отчёт о выполнении по состоянию на 01.06.2024", "Статус", "Просрочено"):
        assert _bare(words) in text
    assert _bare("Выполнено 15.03.2024 Документы: Приказ 2-осн.pdf") in text


def test_printer_path_draws_the_same_pages(tmp_path: Path) -> None:
    from PySide6.QtGui import QPdfWriter

    plan = pilot_plan()
    direct = _write(tmp_path, plan)
    printed = tmp_path / "печать.pdf"
    device = QPdfWriter(str(printed))
    pages = render_to_printer(plan, ExportOptions(), device)
    del device
    assert pages == len(_pages(direct))
    raw = [_run(_tool("pdftotext"), "-raw", str(p), "-").split("\f") for p in (printed, direct)]
    assert raw[0] == raw[1]


def test_a_failed_export_keeps_the_old_file(tmp_path: Path) -> None:
    from cxdesk.progress import Cancelled, Progress

    path = _write(tmp_path, pilot_plan())
    before = path.read_bytes()
    progress = Progress()
    progress.request_cancel()
    big = agency_plan()
    big.rows = big.rows * 4
    with pytest.raises(Cancelled):
        write_pdf(big, path, ExportOptions(), progress)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["план.pdf"]


def test_the_renderer_needs_no_widgets(tmp_path: Path) -> None:
    code = (
        "import sys; from cxdesk.io.pdf_render import write_pdf;"
        "from cxdesk.io.model import ExportOptions;"
        "from tests.core.export_samples import pilot_plan;"
        f"write_pdf(pilot_plan(), {str(tmp_path / 'x.pdf')!r}, ExportOptions());"
        "assert 'PySide6.QtWidgets' not in sys.modules, 'QtWidgets imported'"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)
    assert (tmp_path / "x.pdf").stat().st_size > 1000


#: Characters the bundled font lacks, as user text or imported files bring them: footnote marks,
#: a subscript, look-alike dashes and quotes, a digraph, a letter with a mark, a pictograph.
ODD_TEXT = "сноска⁴ и ещё одна¹⁰, H₂O ‒ ‟цитата” ǆem ệ 😀"
#: What pdftotext reads back for them, drawn in the bundled font.
ODD_READ = "сноска4 и ещё одна10, H2O – “цитата” džem e ?"


def _only_bundled_fonts(path: Path) -> None:
    """Every font of the PDF is a bundled Liberation Serif face, embedded."""
    fonts = _run(_tool("pdffonts"), str(path)).splitlines()[2:]
    assert fonts and all(line.startswith("LiberationSerif") for line in fonts), fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts


def _font_characters() -> set[int]:
    """The characters of the bundled regular face, as fontconfig reads its file."""
    out = _run(
        _tool_or_skip("fc-query"),
        "--format=%{charset}",
        str(resources_dir() / "fonts" / "LiberationSerif-Regular.ttf"),
    )
    chars: set[int] = set()
    for part in out.split():
        first, _, last = part.partition("-")
        chars.update(range(int(first, 16), int(last or first, 16) + 1))
    return chars


def _tool_or_skip(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_every_character_of_the_resources_is_drawn_from_the_bundled_font() -> None:
    """What the templates and guidance print (titles, footnotes with marks such as «⁴») is drawn
    from the bundled font, so the PDF looks the same whatever fonts the machine has."""
    from cxdesk.io.pdf_text import ensure_app

    ensure_app()
    chars = _font_characters()
    texts = [p.read_text(encoding="utf-8") for p in sorted(resources_dir().rglob("*.json"))]
    assert len(texts) >= 5
    shown = "".join(printable(text).text for text in texts)
    missing = {c for c in set(shown) if not c.isspace() and ord(c) not in chars}
    assert not missing, sorted(missing)
    assert "⁴" in "".join(texts)  # the pilot template's footnote mark is among them


def test_printable_maps_what_the_font_lacks() -> None:
    from cxdesk.io.pdf_text import ensure_app

    ensure_app()
    assert printable("x⁴¹") == ("x41", (1, 2), ())
    assert printable("H₂O") == ("H2O", (), (1,))
    assert printable("¹ Сноска, ²³") == ("¹ Сноска, ²³", (), ())  # the font has ¹²³
    assert printable("ǆ⁴") == ("dž4", (2,), ())  # positions count a stand-in's length
    assert printable("План № 1 «Тула» — 2024…").text == "План № 1 «Тула» — 2024…"
    assert printable(ODD_TEXT).text == ODD_READ


def test_footnote_marks_are_raised_digits_in_the_bundled_font(tmp_path: Path) -> None:
    plan = agency_plan()
    plan.rows[1].title = f"Мероприятие: {ODD_TEXT}"
    path = _write(tmp_path, plan)
    _only_bundled_fonts(path)
    assert _bare(f"Мероприятие: {ODD_READ}") in _stream(path)


def test_pilot_template_footnotes_in_the_bundled_font(tmp_path: Path) -> None:
    """The pilot plan's footnote marks (⁴ among them) print in the bundled font on the page, and
    pdftotext reads the marks back as digits after the text they mark."""
    plan = pilot_plan()
    plan.rows[-1].title += "⁴"
    path = _write(tmp_path, plan)
    _only_bundled_fonts(path)
    assert _bare(plan.rows[-1].title.replace("⁴", "4")) in _stream(path)
