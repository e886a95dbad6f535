"""Exports in every printed form: the presets, the Stavropol and Tula forms, a plan's own form.

Each file is written for real (docx, xlsx, PDF) from a stored plan and read back with
python-docx, openpyxl and pdftotext: columns, heading wording and rows, numbering, title, the
approval block above the table and the signature below it, the rows repeated on every page,
footnotes and excluded items.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from cxdesk.domain import form as forms
from cxdesk.domain.form import Form, FormColumn, form_from_doc
from cxdesk.errors import UserError
from cxdesk.io.model import Column, ExportOptions, PlanDoc, Row
from cxdesk.services.documents import export_plan, plan_doc
from cxdesk.services.forms import find_form, plan_form, save_form, set_form
from cxdesk.services.importing import import_file
from cxdesk.services.plans import PlanRequest, create_plan, exclude_item
from cxdesk.storage.db import Store
from tests.core.helpers import all_answers, answer_args, run, run_json

SIGNATURE = (
    "Заместитель министра труда и социальной защиты\nнаселения Ставропольского края  Г.В. Богданова"
)
EXECUTOR = "Исп.: Петрова М.С., тел. 8 (8652) 00-00-00"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def plan_id(store: Store) -> int:
    pid = create_plan(
        store,
        PlanRequest("agency", "Министерство труда и социальной защиты Ставропольского края",
                    answers=all_answers("agency", True)),
    ).plan_id  # fmt: skip
    exclude_item(store, pid, "1.2", "Письмо АЦ № 12-3 от 05.03.2024")
    set_form(store, pid, None, SIGNATURE, EXECUTOR)
    return pid


def _text(element: Any) -> str:
    """The text of a WordprocessingML element (its ``w:t`` runs)."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _docx_text(document: Any) -> str:
    return _text(document.element.body)


def _after_table(document: Any) -> list[str]:
    """The paragraphs below the last table."""
    body = list(document.element.body)
    last = max(i for i, el in enumerate(body) if el.tag == qn("w:tbl"))
    return [_text(el) for el in body[last + 1 :] if el.tag == qn("w:p")]


def _rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _pdftotext(path: Path, *mode: str) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    return subprocess.run([tool, *mode, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def _export(store: Store, pid: int, path: Path, form: Form | None = None, **kw: Any) -> Path:
    export_plan(store, pid, path, options=ExportOptions(form=form, **kw))
    return path


@pytest.mark.parametrize("name", forms.preset_names())
def test_every_preset_in_docx(store: Store, plan_id: int, tmp_path: Path, name: str) -> None:
    form = forms.preset(name)
    document = Document(str(_export(store, plan_id, tmp_path / "план.docx", form)))
    doc = plan_doc(store, plan_id)
    columns = form.columns or [FormColumn(c.key, c.heading) for c in doc.columns]
    headings = [c.heading for c in columns]
    if form.report:
        headings += ["Статус", "Отметка о выполнении"]
    tables = document.tables
    rows = [r for t in tables for r in _rows(t)]
    heading_row = rows[1] if form.two_rows else rows[0]
    assert heading_row == headings
    numbers = rows[2] if form.two_rows else rows[1]
    assert numbers == [str(n) for n in range(1, len(headings) + 1)]
    text = _docx_text(document)
    first = _text(document.element.body[0])
    assert (first == "УТВЕРЖДАЮ") == form.approval
    below = _after_table(document)
    assert (SIGNATURE.split("\n")[0] in below) == form.signature
    assert (EXECUTOR in below) == form.signature
    assert ("Письмо АЦ № 12-3" in text) == form.excluded
    # the rows that repeat on every page: all the heading rows, or only the number row
    table = tables[-1]
    repeated = [r for r in table.rows if r._tr.trPr is not None
                and r._tr.trPr.find(qn("w:tblHeader")) is not None]  # fmt: skip
    if form.repeat == "numbers":
        assert len(tables) == 2 and [[c.text for c in r.cells] for r in repeated] == [numbers]
    else:
        assert len(tables) == 1 and len(repeated) == (3 if form.two_rows else 2)
    notes = [line for line in below if line and line[0] in "¹²³⁴⁵⁶⁷⁸⁹"]
    assert notes == (["¹⁰ Опционально."] + notes[1:] if form.footnotes else [])


def test_stavropol_form_numbers_flat_with_roman_blocks(store: Store, plan_id: int,
                                                       tmp_path: Path) -> None:  # fmt: skip
    document = Document(
        str(_export(store, plan_id, tmp_path / "с.docx", forms.preset("stavropol")))
    )
    table = document.tables[-1]
    body = _rows(table)[1:]
    spans = [r[0] for r in body if len(set(r)) == 1]
    blocks = [s.split()[0] for s in spans if s.split()[0].rstrip(".") in ("I", "II", "III")]
    assert blocks == ["I.", "II.", "III."]
    assert spans[0] == "I. Общеорганизационные мероприятия"
    sections = [s for s in spans if s.split()[0] not in blocks]
    assert sections and all(s[0].isalpha() for s in sections)  # sections unnumbered
    items = [r[0] for r in body if len(set(r)) > 1]
    assert items == [f"{n}." for n in range(1, len(items) + 1)]
    title_share = table.columns[1].width / sum(c.width for c in table.columns)
    assert title_share >= 0.33  # the title column gets the room (37 % in the original)


def test_dates_form_keeps_the_start_of_a_day_range(store: Store, tmp_path: Path) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН г. Тулы")).plan_id
    path = _export(store, pid, tmp_path / "даты.docx", forms.preset("dates"))
    rows = _rows(Document(str(path)).tables[0])
    webinar = next(r for r in rows if r[1].startswith("Организация и проведение итогового"))
    assert webinar[2:4] == ["20.06.2022", "30.06.2022"]


def test_pilot_footnotes_under_the_table(store: Store, tmp_path: Path) -> None:
    pid = create_plan(store, PlanRequest("szn_pilot", "ЦЗН г. Тулы")).plan_id
    document = Document(str(_export(store, pid, tmp_path / "п.docx")))
    below = _after_table(document)
    assert [line[0] for line in below if line and line[0] in "¹²³⁴"] == ["¹", "²", "³", "⁴"]
    assert below[0] == "¹ Типовые «дорожные карты» представлены в Приложении 1"
    materials = [r[-1] for r in _rows(document.tables[0])]
    assert "Типовая «дорожная карта» ¹" in materials
    pdf = _export(store, pid, tmp_path / "п.pdf")
    assert "¹ Типовые «дорожные карты» представлены в Приложении 1" in _pdftotext(pdf, "-raw")


@pytest.mark.parametrize("name", ["typical", "dates", "report", "stavropol"])
def test_presets_in_xlsx(store: Store, plan_id: int, tmp_path: Path, name: str) -> None:
    form = forms.preset(name)
    path = _export(store, plan_id, tmp_path / "план.xlsx", form)
    sheet = openpyxl.load_workbook(path)["План"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    first, last = (int(x.lstrip("$")) for x in sheet.print_title_rows.split(":"))
    numbers = [str(n) for n in range(1, sheet.max_column + 1)]
    assert values[last - 1] == numbers  # the number row ends the repeated rows
    assert (first == last) == (form.repeat == "numbers")
    assert (values[0][-1] == "УТВЕРЖДАЮ" or "УТВЕРЖДАЮ" in values[0]) == form.approval
    flat = [v for row in values for v in row if isinstance(v, str)]
    assert (EXECUTOR in flat) == form.signature
    assert any("Письмо АЦ № 12-3" in v for v in flat) == form.excluded
    assert sheet.print_area.endswith(f"{sheet.max_row}")
    if form.two_rows:
        assert values[first - 1][2] == "Срок реализации" and values[first][2:4] == [
            "Дата начала", "Дата окончания"
        ]  # fmt: skip


def _pages(path: Path) -> list[str]:
    return _pdftotext(path, "-layout").split("\f")[:-1]


def test_stavropol_pdf_repeats_only_the_number_row_and_signs_below(
    store: Store, plan_id: int, tmp_path: Path
) -> None:
    pages = _pages(_export(store, plan_id, tmp_path / "с.pdf", forms.preset("stavropol")))
    assert len(pages) > 3
    assert "УТВЕРЖДАЮ" not in pages[0] and "Наименование мероприятия" in pages[0]
    for page in pages[1:]:
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        assert "1 2 3 4 5" in lines[:3]
        assert "Наименование мероприятия" not in page
    assert "Г.В. Богданова" in pages[-1] and EXECUTOR in " ".join(pages[-1].split())


def test_tall_rows_break_across_pages(store: Store, plan_id: int, tmp_path: Path) -> None:
    """A row taller than the rest of a page goes on on the next (as Word breaks it), so no page
    is left mostly empty."""
    import re

    from cxdesk.services.items import update_item

    long = "\n".join(f"Отдел {n}" for n in range(60))
    update_item(store, plan_id, "1.3", {"responsible": long})
    pages = _pages(_export(store, plan_id, tmp_path / "t.pdf", forms.preset("dates")))

    def shown(page: str) -> set[int]:
        return {int(n) for n in re.findall(r"Отдел (\d+)\b", page)}

    assert 0 in shown(pages[0])  # the tall row starts on page 1, right after item 1.2
    assert 59 not in shown(pages[0]) and 59 in shown(pages[1] + pages[2])
    assert shown(pages[0]) | shown(pages[1]) | shown(pages[2]) == set(range(60))


def test_hyphenation_in_narrow_columns(store: Store, plan_id: int, tmp_path: Path) -> None:
    from cxdesk.io.pdf_render import hyphenate

    assert hyphenate("Аналитический") == "Ана\u00adли\u00adти\u00adче\u00adский"
    assert hyphenate("Просрочено").replace("\u00ad", "") == "Просрочено"
    path = _export(store, plan_id, tmp_path / "о.docx", layout="report")
    with zipfile.ZipFile(path) as archive:
        assert b"<w:autoHyphenation" in archive.read("word/settings.xml")


def test_libreoffice_page_count_is_close(store: Store, plan_id: int, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    ours: dict[str, int] = {}
    docs = []
    for name in ("typical", "dates", "report", "stavropol"):
        pdf = _export(store, plan_id, tmp_path / f"{name}.pdf", forms.preset(name))
        ours[name] = len(_pages(pdf))
        docs.append(str(_export(store, plan_id, tmp_path / f"{name}.docx", forms.preset(name))))
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), *docs],
                   capture_output=True, check=True, timeout=600)  # fmt: skip
    for name, count in ours.items():
        theirs = len(_pages(out / f"{name}.pdf"))
        assert abs(count - theirs) <= 1, (name, count, theirs)


def test_a_huge_cell_is_refused_quickly(store: Store, plan_id: int, tmp_path: Path) -> None:
    import time

    from cxdesk.services.items import update_item

    update_item(store, plan_id, "1.1", {"result": "слово-" * 200_000})
    for fmt in ("docx", "xlsx", "pdf"):
        started = time.perf_counter()
        with pytest.raises(
            UserError, match="графа «Результат» содержит 1 200 000 знаков — больше 32 767"
        ):
            _export(store, plan_id, tmp_path / f"x.{fmt}")
        assert time.perf_counter() - started < 10
        assert not (tmp_path / f"x.{fmt}").exists()


# -- the form kept with the plan, and an imported plan's form -----------------------------------


def test_form_kept_with_the_plan_drives_every_export(store: Store, plan_id: int,
                                                     tmp_path: Path) -> None:  # fmt: skip
    form = forms.preset("stavropol")
    form.title = "II. План мероприятий по внедрению стандартов клиентоцентричности"
    set_form(store, plan_id, form)
    got = plan_form(store, plan_id)
    assert got.own and got.form == form and got.signature == SIGNATURE
    document = Document(str(_export(store, plan_id, tmp_path / "с.docx")))
    assert _text(document.element.body[0]) == form.title
    outcome = import_file(store, tmp_path / "с.docx")  # our own export: its form comes back
    back = plan_form(store, outcome.plan_id)
    assert back.form == form and back.signature == SIGNATURE and back.executor == EXECUTOR
    assert len(plan_doc(store, outcome.plan_id).rows) == len(plan_doc(store, plan_id).rows)


def test_saved_forms_and_files(store: Store, plan_id: int, tmp_path: Path) -> None:
    saved = save_form(store, "мой-вид", forms.preset("dates"))
    assert saved.parent == store.data_dir / "forms"
    assert find_form(store, "мой-вид").columns == forms.preset("dates").columns
    assert find_form(store, str(saved)).name == "мой-вид"
    with pytest.raises(UserError, match="занято встроенной формой"):
        save_form(store, "dates", forms.preset("dates"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"numbering": "по-своему"}', "utf-8")
    with pytest.raises(UserError, match="numbering"):
        find_form(store, str(bad))
    with pytest.raises(UserError, match="Формы «нет-такой» нет"):
        find_form(store, "нет-такой")


def test_form_json_is_checked() -> None:
    form = forms.preset("dates")
    assert forms.from_json(form.to_json()) == form
    assert forms.from_json("") is None
    for data, words in (
        ({"columns": [{"key": "wide", "heading": "x"}]}, "Графы «wide» нет"),
        ({"columns": [{"key": "number", "heading": "№"}]}, "нет графы «title»"),
        ({"approval": "да"}, "true или false"),
        ({"colour": 1}, "неизвестные поля"),
        ([], "объектом JSON"),
    ):
        with pytest.raises(UserError, match=words):
            forms.from_dict(data)


def test_numbering_styles() -> None:
    rows = ["block", "section", "item", "item", "section", "item", "block", "item"]

    def numbers(form: Form) -> list[str]:
        numberer = forms.Numberer(form)
        return [numberer.number(kind, "x") for kind in rows]

    assert numbers(Form(numbering="hierarchical")) == [
        "1.", "1.1.", "1.1.1.", "1.1.2.", "1.2.", "1.2.1.", "2.", "2.1."
    ]  # fmt: skip
    assert numbers(Form(numbering="flat", blocks="roman", sections=False)) == [
        "I.", "", "1.", "2.", "", "3.", "II.", "4."
    ]  # fmt: skip
    assert numbers(Form(numbering="flat", blocks="none")) == [
        "", "1.", "1.", "2.", "2.", "3.", "", "4."
    ]  # fmt: skip
    assert numbers(Form()) == ["x"] * len(rows)
    assert forms.roman(14) == "XIV"


def test_form_from_a_read_file() -> None:
    doc = PlanDoc(
        title="План",
        columns=[Column("number", "№"), Column("title", "Мероприятие"),
                 Column("start", "Дата начала"), Column("deadline", "Дата окончания"),
                 Column("responsible", "Ответственный")],
        header_rows=[["№", "Мероприятие", "Срок реализации", "Срок реализации", "Ответственный"],
                     ["№", "Мероприятие", "Дата начала", "Дата окончания", "Ответственный"]],
        rows=[Row("block", "I.", "Блок"), Row("section", "", "Раздел"), Row("item", "1.", "А"),
              Row("item", "2.", "Б")],
        has_approval=False,
        signature="Заместитель министра",
    )  # fmt: skip
    form = form_from_doc(doc)
    assert [(c.key, c.heading, c.group) for c in form.columns][2:4] == [
        ("start", "Дата начала", "Срок реализации"),
        ("deadline", "Дата окончания", "Срок реализации"),
    ]
    assert form.columns[0].group == "" and form.columns[0].heading == "№"
    assert (form.approval, form.signature, form.numbering, form.blocks, form.sections) == (
        False, True, "source", "roman", False,
    )  # fmt: skip


def _without_identity(path: Path, out: Path) -> Path:
    """A copy of our docx without its hidden identity: it reads as another body's file."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("customXml/item2") or "itemProps2" in item.filename:
                continue
            if item.filename == "word/_rels/document.xml.rels":
                text = data.decode()
                import re

                text = re.sub(r'<Relationship [^>]*Target="[./]*customXml/item2\.xml"/>', "", text)
                data = text.encode()
            dst.writestr(item, data)
    return out


def _table_of(path: Path) -> tuple[list[str], list[tuple[str, str]], list[list[str]]]:
    """What a reader finds in a file: headings, (kind, number) of the rows, heading rows."""
    from cxdesk.io.docx_reader import read_docx

    plan = read_docx(path).plan
    rows = [(r.kind, r.number) for r in plan.rows]
    return [c.heading for c in plan.columns], rows, plan.header_rows


@pytest.mark.parametrize("source", ["tula", "stavropol"])
def test_an_imported_plan_exports_in_its_own_form(store: Store, plan_id: int, tmp_path: Path,
                                                  source: str) -> None:  # fmt: skip
    if source == "tula":
        original = FIXTURES / "tula_plan.docx"
    else:
        ours = _export(store, plan_id, tmp_path / "ours.docx", forms.preset("stavropol"))
        original = _without_identity(ours, tmp_path / "Ставрополь.docx")
    outcome = import_file(store, original)
    again = _export(store, outcome.plan_id, tmp_path / "again.docx")
    foreign = _without_identity(again, tmp_path / "again-foreign.docx")
    assert _table_of(foreign) == _table_of(original)
    stored = plan_form(store, outcome.plan_id)
    assert stored.own and [c.heading for c in stored.form.columns] == _table_of(original)[0]


def test_command_line_form_and_export(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                      tmp_path: Path) -> None:  # fmt: skip

    args = [
        "new",
        "agency",
        "--org",
        "Министерство труда",
        *answer_args(all_answers("agency", True)),
    ]
    assert run(capsys, *args)[0] == 0
    shown = run_json(capsys, "form", "1")
    assert shown["plan"] == "1" and shown["form"]["approval"] is True and not shown["own"]
    run_json(capsys, "form", "1", "--preset", "stavropol", "--set", "title=II. План",
             "--set", "signature_text=Заместитель министра\\nГ.В. Богданова")  # fmt: skip
    shown = run_json(capsys, "form", "show", "1")
    assert shown["form"]["numbering"] == "flat" and shown["form"]["title"] == "II. План"
    assert shown["signature"] == "Заместитель министра\nГ.В. Богданова"
    run_json(capsys, "form", "set", "1", "--approval", "yes", "--columns",
             "number=№,title=Мероприятие,start=Срок/Начало,deadline=Срок/Окончание")  # fmt: skip
    form = run_json(capsys, "form", "1")["form"]
    assert form["approval"] is True and [c["group"] for c in form["columns"]] == [
        "",
        "",
        "Срок",
        "Срок",
    ]
    assert run(capsys, "form", "save", "1", "мой")[0] == 0
    names = [f["name"] for f in run_json(capsys, "forms")]
    assert {"typical", "dates", "report", "stavropol", "typical:agency", "мой"} <= set(names)
    out = run_json(capsys, "export", "1", "-o", str(tmp_path / "п.pdf"), "--form", "dates")
    assert out["pages"] >= 2 and out["rows"] > 50
    out = run_json(capsys, "export", "1", "-o", str(tmp_path / "п.docx"), "--form", "мой")
    assert out["pages"] is None
    rows = _rows(Document(str(tmp_path / "п.docx")).tables[0])
    assert rows[0][2:4] == ["Срок", "Срок"] and rows[1][2:4] == ["Начало", "Окончание"]
    code, _, err = run(capsys, "form", "1", "--set", "numbering=по-своему")
    assert code == 2 and err.startswith("cxdesk: error:") and "numbering" in err
    code, _, err = run(capsys, "export", "1", "-o", str(tmp_path / "x.docx"), "--form", "нет")
    assert code == 2 and "Формы «нет» нет" in err and not (tmp_path / "x.docx").exists()


def test_default_title_names_the_body() -> None:
    base = "План мероприятий по внедрению Стандартов клиентоцентричности"
    assert forms.plan_title(base, "Министерство труда Тульской области") == (
        f"{base} в Министерстве труда Тульской области"
    )
    assert forms.plan_title(base, "комитет по делам молодёжи") == (
        f"{base} в комитете по делам молодёжи"
    )
    assert forms.plan_title(base, "ГКУ ЦЗН  г. Тулы") == f"{base} (ГКУ ЦЗН г. Тулы)"
    assert forms.plan_title(base, "") == base


def test_a_package_carries_the_form(store: Store, plan_id: int, tmp_path: Path) -> None:
    from cxdesk.services.packing import pack_plan

    form = forms.preset("stavropol")
    set_form(store, plan_id, form)
    path, _, _ = pack_plan(store, plan_id, tmp_path / "план.cxplan")
    outcome = import_file(store, path)
    got = plan_form(store, outcome.plan_id)
    assert got.form == form and got.signature == SIGNATURE and got.executor == EXECUTOR


def test_printing_follows_the_plans_form(store: Store, plan_id: int, tmp_path: Path) -> None:
    """The window prints and previews through render_to_printer with the stored plan: any form
    the plan has prints."""
    from PySide6.QtGui import QPdfWriter

    from cxdesk.io.pdf_render import ensure_app, render_to_printer

    set_form(store, plan_id, forms.preset("stavropol"))
    ensure_app()
    printed = tmp_path / "печать.pdf"
    device = QPdfWriter(str(printed))
    pages = render_to_printer(plan_doc(store, plan_id), ExportOptions(), device)
    del device
    text = _pdftotext(printed, "-layout")
    assert pages == len(text.split("\f")[:-1])
    assert "УТВЕРЖДАЮ" not in text and "Наименование мероприятия" in text
    assert "Г.В. Богданова" in text.split("\f")[pages - 1]


def test_a_foreign_plan_prints_no_template_footnotes(store: Store, tmp_path: Path) -> None:
    """A plan read from another body's file keeps that file's form: the template's footnotes,
    which the file did not print, are not added under its table."""
    outcome = import_file(store, FIXTURES / "stavropol_agency.docx")
    assert plan_form(store, outcome.plan_id).form.footnotes is False
    document = Document(str(_export(store, outcome.plan_id, tmp_path / "ставрополь.docx")))
    below = [p.text for p in document.paragraphs if p.text.strip()]
    assert not any(text.startswith(("¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹")) for text in below)
    assert any("Богданова" in text for text in below)
