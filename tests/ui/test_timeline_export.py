"""The timeline laid out from real plans, and written to PDF and PNG pages that are read back.

The PDFs are read with pdfinfo and pdftotext (poppler): the page size and count, the axis and the
names column on every page, the items not drawn on the last page. The command line is run as a
user runs it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cxdesk.domain.building import PlanRequest
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan, edit_plan
from cxdesk.services.timeline import build_timeline, export_timeline, moved_deadline
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, big_plan, region_plan

REPO = Path(__file__).resolve().parents[2]
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler")


def _pdf_text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.splitlines())}


def _line(tl, number: str):  # noqa: ANN001, ANN202 - a test's lookup
    return next(ln for ln in tl.lines if ln.number.rstrip(".") == number)


def test_bars_run_from_the_start_or_the_approval_date_to_the_deadline(store: Store) -> None:
    plan_id = agency_plan(store)
    edit_plan(store, plan_id, approval_date="15.01.2026")
    update_item(store, plan_id, "1.3", {"start": "01.03.2026"})
    tl = build_timeline(get_plan(store, plan_id))
    one = _line(tl, "1.1")  # «31.03.2026», no start: from the approval date
    assert (one.bar.start, one.bar.end, one.bar.period.kind) == (
        date(2026, 1, 15), date(2026, 3, 31), "point",
    )  # fmt: skip
    three = _line(tl, "1.3")  # its own start date
    assert (three.bar.start, three.bar.end) == (date(2026, 3, 1), date(2026, 10, 31))
    assert three.status == "overdue"  # 31.10.2026 has passed on 23.11.2026 and it is in progress
    five = _line(tl, "1.5")  # «I квартал 2027 года»: to the quarter's last day, window kept
    assert (five.bar.end, five.bar.window) == (date(2027, 3, 31), date(2027, 1, 1))
    # the template's own «31.12.2024» items come before the approval: they stand at their day
    assert tl.first == date(2024, 12, 1) and tl.last >= date(2027, 3, 31)
    early = _line(tl, "3.1.7")
    assert early.bar.start == early.bar.end == date(2024, 12, 31)
    assert tl.first <= tl.today <= tl.last
    # items with no deadline are listed apart, the blocks without a drawn item are left out
    assert {ln.number.rstrip(".") for ln in tl.apart} >= {"1.8", "2.1"}
    assert all(ln.bar for ln in tl.lines if ln.kind == "item")
    kinds = [ln.kind for ln in tl.lines]
    assert kinds[0] == "block" and kinds[-1] == "item"


def test_the_whole_period_and_the_filtered_rows(store: Store) -> None:
    plan_id = create_plan(store, PlanRequest("szn_pilot", "ЦЗН Тульской области")).plan_id
    plan = get_plan(store, plan_id)
    tl = build_timeline(plan)
    whole = [ln for ln in tl.lines if ln.bar and ln.bar.period.kind == "whole"]
    assert whole, "the pilot programme has «на протяжении всего периода проведения…»"
    latest = max(ln.bar.end for ln in tl.lines if ln.bar and ln.bar.period.kind != "whole")
    assert all(ln.bar.end == latest for ln in whole)
    assert all(ln.bar.start == tl.plan_start for ln in whole)
    some = [r for r in plan.rows if r.kind != "item" or r.deadline.startswith("до")]
    part = build_timeline(plan, some)
    assert {ln.row_id for ln in part.lines} <= {r.id for r in some}
    assert all(ln.deadline.startswith("до") for ln in part.lines if ln.kind == "item")


def test_region_template_misprint_is_listed_apart(store: Store) -> None:
    tl = build_timeline(get_plan(store, region_plan(store)))
    apart = {ln.deadline for ln in tl.apart}
    assert "VI квартал 2023 года" in apart
    assert not any(ln.deadline == "VI квартал 2023 года" for ln in tl.lines)


def test_moved_deadline_keeps_the_words() -> None:
    day = date(2026, 5, 20)
    assert moved_deadline("до 08.04.2022 г.", day) == "до 20.05.2026"
    assert moved_deadline("Не позднее I квартала 2024 года", day) == "Не позднее 20.05.2026"
    assert moved_deadline("I квартал 2024 года", day) == "20.05.2026"
    assert moved_deadline("31.12.2024", day) == "20.05.2026"


@needs_poppler
@pytest.mark.parametrize(("paper", "points"), [("A4", "842 x 595"), ("A3", "1191 x 842")])
def test_pdf_pages_repeat_the_axis_and_names(store: Store, tmp_path: Path, paper: str,
                                             points: str) -> None:  # fmt: skip
    plan_id = big_plan(store, 150)
    path, pages = export_timeline(store, plan_id, tmp_path / "t.pdf", "month", paper)
    info = _pdf_info(path)
    assert info["Pages"] == str(pages) and pages >= 4
    assert info["Page size"].startswith(points)
    assert "График реализации плана" in info["Title"]
    texts = [_pdf_text(path, n) for n in range(1, pages + 1)]
    listed = [t for t in texts if "не показанные на графике" in t]
    assert listed and texts[-len(listed) :] == listed  # the template's items without a deadline
    texts = texts[: -len(listed)]
    for n, text in enumerate(texts, 1):
        assert "Мероприятие" in text, n  # the names column's heading, on every page
        assert "год" in text, n  # the years band
        assert f"стр. {n} из" in text
        assert "Выполнено" in text and "Просрочено" in text  # the key
    months = ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.")
    assert any(m in texts[0] for m in months)
    # paged by rows: later pages begin with later items; by time: the same rows again
    assert "101.1.1." in texts[0]
    assert any("101.6." in t and "101.1.1." not in t for t in texts)


@needs_poppler
def test_pdf_lists_the_items_it_cannot_draw(store: Store, tmp_path: Path) -> None:
    plan_id = region_plan(store)
    path, pages = export_timeline(store, plan_id, tmp_path / "r.pdf")
    last = _pdf_text(path, pages)
    assert "не показанные на графике" in last
    assert "VI квартал 2023 года" in last and "срок не распознан" in last
    first = _pdf_text(path, 1)
    assert "I кв." in first and "2024 год" in first


def test_png_pages(store: Store, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    plan_id = agency_plan(store)
    path, pages = export_timeline(store, plan_id, tmp_path / "a.png", "quarter", "A3")
    files = [path] + [tmp_path / f"a-{n}.png" for n in range(2, pages + 1)]
    assert all(f.is_file() for f in files)
    img = QImage(str(path))
    assert (img.width(), img.height()) == (3174, 2245)  # A3 landscape at 192 dpi
    assert not (tmp_path / f"a-{pages + 1}.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/t.docx"], "в .pdf или .png"),
        (["-o", "{tmp}/нет/t.pdf"], "Папки"),
        (["-o", "{tmp}/t.pdf", "--zoom", "week"], "week"),  # argparse names the value
    ],
)
def test_cli_refuses_bad_input(store: Store, tmp_path: Path, args: list[str], message: str) -> None:
    plan_id = agency_plan(store)
    run = _cli(store, tmp_path, ["timeline", str(plan_id), *(a.format(tmp=tmp_path) for a in args)])
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert not list(tmp_path.glob("t.*"))


@needs_poppler
def test_cli_writes_the_timeline(store: Store, tmp_path: Path) -> None:
    plan_id = region_plan(store, "Тульская область")
    out = tmp_path / "g.pdf"
    run = _cli(store, tmp_path, ["timeline", str(plan_id), "-o", str(out), "--zoom", "year",
                                 "--paper", "A3", "--json"])  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f'"path": "{out}"' in run.stdout
    assert _pdf_info(out)["Page size"].startswith("1191 x 842")
    assert "Тульская область" in _pdf_text(out, 1)


def _cli(store: Store, tmp_path: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(REPO), "CXDESK_TODAY": "2026-11-23", "QT_QPA_PLATFORM": "offscreen",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "cxdesk", "--data-dir", str(store.data_dir), *argv],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@needs_poppler
@pytest.mark.parametrize("with_timeline", [False, True])
def test_progress_report_pdf_with_the_timeline_pages(
    store: Store, tmp_path: Path, with_timeline: bool
) -> None:
    from cxdesk.io.report_writer import write_report
    from cxdesk.services.progress_report import progress_report

    plan_id = agency_plan(store)
    data = progress_report(store, plan_id, date(2026, 11, 23), timeline=with_timeline)
    assert (data.timeline is not None) == with_timeline
    path = write_report(data, tmp_path / "отчёт.pdf")
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    sizes = [ln.split(":", 1)[1].split("pts")[0].strip() for ln in out.splitlines()
             if ln.startswith("Page") and "size" in ln]  # fmt: skip
    text = _pdf_text(path)
    assert "Отчет о ходе реализации" in text
    if not with_timeline:
        assert "График реализации плана" not in text
        assert set(sizes) == {"595 x 842"}
        return
    portrait = [s for s in sizes if s == "595 x 842"]
    landscape = [s for s in sizes if s == "842 x 595"]
    assert portrait and landscape and sizes == portrait + landscape  # the text, then the chart
    first_chart = _pdf_text(path, len(portrait) + 1)
    assert "График реализации плана" in first_chart and "Мероприятие" in first_chart
    assert "сегодня 23.11.2026" in first_chart
    assert "1 " in _pdf_text(path, 1)  # the text pages keep their numbers at the foot


def test_progress_report_docx_with_the_timeline_pictures(store: Store, tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    from cxdesk.io.report_writer import write_report
    from cxdesk.services.progress_report import progress_report

    plan_id = agency_plan(store)
    path = write_report(progress_report(store, plan_id, timeline=True), tmp_path / "о.docx")
    doc = Document(str(path))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert len(doc.inline_shapes) >= 1
    assert doc.inline_shapes[0].width > doc.inline_shapes[0].height  # a landscape picture
    plain = write_report(progress_report(store, plan_id), tmp_path / "п.docx")
    assert len(Document(str(plain)).inline_shapes) == 0


def test_cli_report_with_timeline(store: Store, tmp_path: Path) -> None:
    plan_id = agency_plan(store)
    out = tmp_path / "r.pdf"
    run = _cli(store, tmp_path, ["report", str(plan_id), "-o", str(out), "--timeline"])
    assert run.returncode == 0, run.stderr
    assert "График реализации плана" in _pdf_text(out)


@needs_poppler
def test_pdf_draws_every_text_in_the_bundled_font(store: Store, tmp_path: Path) -> None:
    """Footnote marks and other characters the bundled font lacks (in names and in the body's
    name) come out as raised digits and look-alikes in the bundled font, not the system's."""
    plan_id = agency_plan(store)
    edit_plan(store, plan_id, org="Минтруд ‒ отдел №⁴")
    update_item(store, plan_id, "1.1", {"title": "Сноска⁴ H₂O ‒ 😀"})
    update_item(store, plan_id, "2.1", {"deadline": "", "title": "Без срока¹⁰ ‟х”"})
    path, pages = export_timeline(store, plan_id, tmp_path / "t.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]  # fmt: skip
    assert fonts and all(line.startswith("LiberationSerif") for line in fonts), fonts
    first, last = _pdf_text(path, 1), _pdf_text(path, pages)
    assert "Минтруд – отдел №4" in first
    assert "Сноска4 H2O – ?" in first
    assert "Без срока10 “х”" in last
