"""The progress report «Отчет о ходе реализации плана»: its data, the docx and the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from cxdesk.domain.building import PlanRequest
from cxdesk.services.attachments import attach_files
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.progress_report import export_progress_report, progress_report
from cxdesk.storage.db import Store

from .helpers import all_answers, run, run_json

pytestmark = pytest.mark.both_engines

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def plan_id(store: Store, tmp_path: Path) -> int:
    pid = create_plan(
        store,
        PlanRequest("agency", "Министерство труда", answers=all_answers("agency", False)),
    ).plan_id
    update_item(store, pid, "1.1", {"status": "done", "result": "Приказ от 10.02.2026 № 15"})
    proof = tmp_path / "Приказ № 15.pdf"
    proof.write_bytes(b"order")
    attach_files(store, pid, "1.1", [proof])
    update_item(store, pid, "1.2", {"status": "in_progress", "deadline": "01.06.2026",
                                    "responsible": "Кузнецова А.Б."})  # fmt: skip
    update_item(store, pid, "1.3", {"status": "done", "done_date": "05.03.2026"})
    return pid


def test_report_data(store: Store, plan_id: int) -> None:
    data = progress_report(store, plan_id)
    assert data.as_of == date(2026, 11, 23) and data.org == "Министерство труда"
    assert data.total.done == 2 and data.total.in_progress == 0
    overdue = {o.number: o for o in data.overdue}
    late = overdue["1.2."]
    assert (late.deadline, late.responsible, late.days_late) == (
        "01.06.2026",
        "Кузнецова А.Б.",
        175,
    )
    assert late.status == "in_progress"
    done = {d.number: d for d in data.done}
    assert done["1.1."].files == [("Приказ № 15.pdf", "23.11.2026")]
    assert done["1.3."].done_date == "05.03.2026" and done["1.3."].files == []
    assert sum(b.items for b in data.blocks) == data.total.items
    assert (
        data.total.done + data.total.in_progress + data.total.overdue + data.total.not_started
        == data.total.items
    )


def test_report_as_of_an_earlier_date(store: Store, plan_id: int) -> None:
    data = progress_report(store, plan_id, date(2024, 1, 10))
    assert data.done == [] and data.total.done == 0
    assert all(o.days_late > 0 for o in data.overdue)
    assert "1.2." not in {o.number for o in data.overdue}  # due 01.06.2026


def test_report_docx(
    store: Store, plan_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "отчет.docx"
    assert run_json(capsys, "report", str(plan_id), "-o", str(out)) == {"path": str(out)}
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("Отчет о ходе реализации плана мероприятий")
    assert "по состоянию на 23.11.2026" in text and "Министерство труда" in text
    assert doc.styles["Normal"].font.name == "Times New Roman"
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    blocks, overdue, done = tables
    assert blocks[0][:3] == ["Блок", "Всего", "Выполнено"] and blocks[-1][0] == "Итого"
    assert overdue[0] == ["№", "Мероприятие", "Срок", "Ответственный", "Просрочено, дней"]
    row = next(r for r in overdue if r[0] == "1.2.")
    assert row[2:] == ["01.06.2026", "Кузнецова А.Б.", "175"]
    assert done[0] == ["№", "Мероприятие", "Результат", "Документы", "Дата выполнения"]
    first = next(r for r in done if r[0] == "1.1.")
    assert first[2] == "Приказ от 10.02.2026 № 15"
    assert first[3] == "Приказ № 15.pdf (от 23.11.2026)" and first[4] == "23.11.2026"
    third = next(r for r in done if r[0] == "1.3.")
    assert third[3] == "документ не прикреплён" and third[4] == "05.03.2026"

    earlier = tmp_path / "на дату.docx"
    run_json(capsys, "report", str(plan_id), "-o", str(earlier), "--as-of", "10.01.2024")
    assert "по состоянию на 10.01.2024" in Document(str(earlier)).paragraphs[2].text
    code, _out, err = run(capsys, "report", str(plan_id), "-o", str(out), "--as-of", "31.02.2024")
    assert code == 2 and "не дата" in err


def test_report_pdf_in_a_separate_process(store: Store, plan_id: int, tmp_path: Path) -> None:
    out = tmp_path / "отчет.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "cxdesk.cli", "--data-dir", str(store.data_dir),
         "report", str(plan_id), "-o", str(out), "--json"],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Просроченные мероприятия" in text and "Кузнецова А.Б." in text
        assert "Приказ № 15.pdf" in text


def test_the_window_and_the_command_line_write_the_same_report(
    store: Store, plan_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = export_progress_report(
        store, plan_id, tmp_path / "из окна", date(2026, 3, 1), fmt="docx"
    )
    assert path == tmp_path / "из окна" and data.as_of == date(2026, 3, 1)
    run_json(capsys, "report", str(plan_id), "-o", str(tmp_path / "cli.docx"), "--as-of",
             "01.03.2026")  # fmt: skip

    def text(p: Path) -> list[str]:
        doc = Document(str(p))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return [par.text for par in doc.paragraphs] + cells

    assert text(path) == text(tmp_path / "cli.docx")
    assert "по состоянию на 01.03.2026" in text(path)


def _poppler(*args: str) -> str:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} (poppler-utils) is not installed")
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_report_pdf_pages_fonts_and_repeated_headings(
    store: Store, plan_id: int, tmp_path: Path
) -> None:
    """The PDF is drawn by the plans' engine: A4 portrait, only the bundled fonts (a footnote
    mark «⁴» in a name raised in them), numbered at the foot, and a table longer than a page
    repeats its heading row on every page it goes on to."""
    from cxdesk.io.report_writer import write_report

    update_item(store, plan_id, "1.3", {"title": "Мероприятие со сноской⁴ ‒ и тире"})
    data = progress_report(store, plan_id)
    data.overdue = data.overdue * 12  # a table of several pages
    path = write_report(data, tmp_path / "отчёт.pdf")
    info = _poppler("pdfinfo", str(path))
    pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
    assert pages >= 4 and "595 x 842" in info
    fonts = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.startswith("LiberationSerif") for line in fonts), fonts
    assert all(line.split()[-5] == "yes" for line in fonts)
    texts = _poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]
    assert len(texts) == pages
    assert texts[0].lstrip().startswith("Отчет о ходе реализации плана мероприятий")
    assert "Министерство труда" in texts[0] and "по состоянию на 23.11.2026" in texts[0]
    for n, text in enumerate(texts, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[-1] == str(n)  # the number at the foot
    overdue = [n for n, t in enumerate(texts) if "Кузнецова А.Б." in t]
    assert len(overdue) >= 3
    for n in overdue:
        heads = [line.split()[:3] for line in texts[n].splitlines()]
        assert ["№", "Мероприятие", "Срок"] in heads, n
    flat = "".join(_poppler("pdftotext", "-raw", str(path), "-").split())
    assert "4.Выполненныемероприятия" in flat and f"Итого{data.total.items}" in flat
    assert "Мероприятиесосноской4–итире" in flat
    assert "Приказ№15.pdf(от23.11.2026)" in flat
