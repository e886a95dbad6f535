"""The Word export: read back with python-docx and checked against the layout rules."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from cxdesk.domain.form import Form
from cxdesk.io import identity
from cxdesk.io.docx_writer import write_docx
from cxdesk.io.layout import approval_lines, plan_columns, prepare
from cxdesk.io.model import ExportOptions, PlanDoc
from cxdesk.progress import Cancelled, Progress

from .export_samples import (
    AGENCY_TITLE,
    EXCLUSION_BASIS,
    FORMULA_RESULT,
    PILOT_TITLE,
    agency_plan,
    pilot_plan,
)

OFFICIAL = [
    "№ п/п",
    "Мероприятие",
    "Срок реализации",
    "Ответственный",
    "Результат",
    "Вид документа",
]


def _printed(plan: PlanDoc) -> list[Any]:
    """The rows the official form prints: every row but the excluded items."""
    return [r for r in plan.rows if r.status != "excluded"]


def _unmarked(text: str) -> str:
    """A cell's text without the footnote marks (¹ ²…) the template's footnotes add."""
    return text.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹ ")


def _write(tmp_path: Path, plan: PlanDoc, **options: Any) -> tuple[Path, Any]:
    path = tmp_path / "план.docx"
    rows = write_docx(plan, path, ExportOptions(**options))
    assert rows == len(plan.rows)
    return path, Document(str(path))


def _tcs(row: Any) -> list[Any]:
    """The cells (``w:tc``) of a table row, a merged cell once."""
    return list(row._tr.iter(qn("w:tc")))


def _paras(tc: Any) -> list[Paragraph]:
    """The paragraphs of a cell: one per line of its text."""
    return [Paragraph(p, tc) for p in tc.iter(qn("w:p"))]


def _before_table(document: Any) -> list[Paragraph]:
    """The paragraphs above the table: the approval block and the title."""
    out = []
    for child in document.element.body:
        if child.tag == qn("w:tbl"):
            break
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document.part))
    return out


def test_page_is_a4_landscape_with_gost_margins(tmp_path: Path) -> None:
    _, document = _write(tmp_path, agency_plan())
    (section,) = document.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Mm(297)) < Mm(0.1)
    assert abs(section.page_height - Mm(210)) < Mm(0.1)
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    for margin, mm in zip(margins, (20, 10, 20, 20), strict=True):
        assert abs(margin - Mm(mm)) < Mm(0.1)


def test_margins_and_font_come_from_the_options(tmp_path: Path) -> None:
    _, document = _write(tmp_path, pilot_plan(), margin_left_mm=30, font_size=14)
    assert abs(document.sections[0].left_margin - Mm(30)) < Mm(0.1)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:cs")) == "Times New Roman"
    size = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    assert size.get(qn("w:val")) == "28"


def test_page_numbers_from_the_second_page(tmp_path: Path) -> None:
    _, document = _write(tmp_path, agency_plan())
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    instructions = [t.text for t in header.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    first = section.first_page_header._element
    assert not list(first.iter(qn("w:instrText")))


def test_approval_block_and_title(tmp_path: Path) -> None:
    plan = agency_plan()
    _, document = _write(tmp_path, plan)
    paragraphs = _before_table(document)
    texts = [p.text for p in paragraphs]
    approval = approval_lines(plan)
    assert texts[: len(approval)] == approval
    assert texts[0] == "УТВЕРЖДАЮ"
    assert texts[1:3] == ["Заместитель председателя", "Правительства Тульской области"]
    assert texts[4].endswith(" Г.В. Лаврухин") and texts[4].startswith("____")
    assert texts[5] == "«___» ______________ 20___ г."
    indent = paragraphs[0].paragraph_format.left_indent
    assert indent is not None and indent > Mm(150)  # top right
    title = [p for p in paragraphs if p.text == AGENCY_TITLE]
    assert len(title) == 1
    assert title[0].alignment == 1  # centre
    assert all(run.bold for run in title[0].runs)


def test_empty_approval_fields_print_blank_lines_and_a_known_date(tmp_path: Path) -> None:
    plan = pilot_plan()
    texts = [p.text for p in _before_table(_write(tmp_path, plan)[1])]
    assert texts[0] == "УТВЕРЖДАЮ"
    assert set(texts[1]) == {"_"} and set(texts[2]) == {"_"}
    assert set(texts[4].replace(" ", "")) == {"_"}
    assert texts[5] == "«___» ______________ 20___ г."
    plan.approval_date = "15.03.2024"
    plan.approver_name = "И.И. Иванов"
    texts = [p.text for p in _before_table(_write(tmp_path, plan)[1])]
    assert "15.03.2024" in texts and texts[4].endswith("И.И. Иванов")
    assert PILOT_TITLE in texts


def test_headings_number_row_and_repeated_header(tmp_path: Path) -> None:
    _, document = _write(tmp_path, agency_plan())
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == OFFICIAL
    assert [c.text for c in table.rows[1].cells] == ["1", "2", "3", "4", "5", "6"]
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    for row in table.rows[2:]:
        trpr = row._tr.trPr
        assert trpr is None or trpr.find(qn("w:tblHeader")) is None
    assert not list(document.element.body.iter(qn("w:cantSplit")))
    assert not list(document.element.body.iter(qn("w:numPr")))  # no Word auto-numbering


def test_block_and_section_rows_span_the_width_in_bold(tmp_path: Path) -> None:
    plan = agency_plan()
    _, document = _write(tmp_path, plan)
    rows = document.tables[0].rows[2:]
    assert len(rows) == len(_printed(plan))
    for row, source in zip(rows, _printed(plan), strict=True):
        tcs = _tcs(row)
        if source.kind == "item":
            assert len(tcs) == 6
            continue
        assert len(tcs) == 1
        assert tcs[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "6"
        paragraph = _paras(tcs[0])[0]
        assert paragraph.text == f"{source.number} {source.title}"
        assert all(run.bold for run in paragraph.runs)


def test_item_text_is_complete(tmp_path: Path) -> None:
    plan = agency_plan()
    _, document = _write(tmp_path, plan)
    rows = document.tables[0].rows[2:]
    for row, source in zip(rows, _printed(plan), strict=True):
        if source.kind != "item":
            continue
        texts = ["\n".join(p.text for p in _paras(tc)) for tc in _tcs(row)]
        assert texts[:4] == [source.number, source.title, source.deadline, source.responsible]
        assert _unmarked(texts[5]) == source.document
        assert texts[4] == source.result
    text = "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    assert EXCLUSION_BASIS not in text  # the excluded item is not in the official table
    _, shown = _write(tmp_path, plan, form=Form(excluded=True))
    rows = shown.tables[0].rows[2:]
    assert len(rows) == len(plan.rows)
    for row, source in zip(rows, plan.rows, strict=True):
        if source.status == "excluded":
            assert _paras(_tcs(row)[4])[-1].text == f"Исключено: {EXCLUSION_BASIS}"
    items = [r for r in rows if len(_tcs(r)) == 6]
    formula = [r for r in items if _paras(_tcs(r)[4])[0].text == FORMULA_RESULT]
    assert len(formula) == 1
    multi = [tc for r in rows for tc in _tcs(r) if len(_paras(tc)) == 3]
    assert multi  # three responsible units stay three lines


def test_dates_layout_has_start_and_end_columns(tmp_path: Path) -> None:
    plan = agency_plan()
    _, document = _write(tmp_path, plan, layout="dates")
    table = document.tables[0]
    top = [c.text for c in table.rows[0].cells]
    assert top == ["№", "Мероприятие", "Срок реализации", "Срок реализации", "Ответственный",
                   "Результат"]  # fmt: skip
    assert [c.text for c in table.rows[1].cells] == [
        "№", "Мероприятие", "Дата начала", "Дата окончания", "Ответственный", "Результат",
    ]  # fmt: skip
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in _tcs(table.rows[0])]
    assert [int(s.get(qn("w:val"))) if s is not None else 1 for s in spans] == [1, 1, 2, 1, 1]
    assert [c.text for c in table.rows[2].cells] == ["1", "2", "3", "4", "5", "6"]
    for tr in table.rows[:3]:
        assert tr._tr.trPr.find(qn("w:tblHeader")) is not None  # all three repeat
    item = table.rows[4]
    assert [c.text for c in item.cells][2:4] == ["01.02.2024", "31.12.2024"]


def test_report_layout_shows_status_and_mark(tmp_path: Path) -> None:
    plan = agency_plan()
    _, document = _write(tmp_path, plan, layout="report")
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][-2:] == ["Статус", "Отметка о выполнении"]
    assert [c.text for c in table.rows[1].cells][-1] == "8"
    by_number = {
        source.number: ["\n".join(p.text for p in _paras(tc)) for tc in _tcs(row)]
        for row, source in zip(table.rows[2:], plan.rows, strict=True)
        if source.kind == "item"
    }
    done = next(r for r in plan.rows if r.status == "done")
    assert by_number[done.number][-2] == "Выполнено"
    mark = by_number[done.number][-1].split("\n")
    assert mark[0] == f"Выполнено {done.done_date}"
    assert done.attachments[0].name in mark
    excluded = next(r for r in plan.rows if r.status == "excluded")
    assert by_number[excluded.number][-2] == "Исключено"
    assert by_number[excluded.number][-1] == f"Исключено: {EXCLUSION_BASIS}"
    waiting = [r for r in plan.rows if r.status in ("not_started", "in_progress")]
    on_time = next(r for r in waiting if r.deadline == "31.12.2024")
    late = next(r for r in waiting if r.deadline.startswith("Не позднее I квартала 2024"))
    assert by_number[on_time.number][-2] in ("Не начато", "В работе")  # as of 01.06.2024
    assert by_number[late.number][-2] == "Просрочено"


def test_pilot_plan_numbers_and_materials(tmp_path: Path) -> None:
    _, document = _write(tmp_path, pilot_plan())
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "Дополнительные материалы"
    assert [r.cells[0].text for r in table.rows[2:]] == [str(n) for n in range(1, 13)]


def test_identity_round_trips(tmp_path: Path) -> None:
    plan = agency_plan()
    path, _ = _write(tmp_path, plan)
    sheet = prepare(plan, ExportOptions())
    expected = identity.build_payload(plan, "official", plan_columns(plan, "official"), sheet)
    assert identity.read_docx(path) == json.loads(json.dumps(expected))
    with zipfile.ZipFile(path) as archive:
        payload = identity.read_docx(archive)
        assert payload is not None
        assert [r["uid"] for r in payload["rows"]] == [r.uid for r in plan.rows]
        omitted = [r["uid"] for r in payload["rows"] if r.get("printed") is False]
        assert omitted == [r.uid for r in plan.rows if r.status == "excluded"]
        assert payload["form"] == Form(name="typical").to_dict()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        assert rels.count("relationships/customXml") == 2  # the template's and ours
        names = archive.namelist()
    assert "customXml/item2.xml" in names and "customXml/itemProps2.xml" in names
    assert "docProps/thumbnail.jpeg" not in names


def test_identity_keeps_what_xml_cannot_hold(tmp_path: Path) -> None:
    """A lone surrogate or U+FFFE in a field is escaped in the payload, and read back as is."""
    plan = agency_plan()
    plan.rows[1].note = "до\ud800после\ufffe"
    plan.rows[2].note = "обычный текст"
    path, _ = _write(tmp_path, plan)
    payload = identity.read_docx(path)
    assert payload is not None
    notes = {r["uid"]: r["note"] for r in payload["rows"]}
    assert notes[plan.rows[1].uid] == "до\ud800после\ufffe"
    assert notes[plan.rows[2].uid] == "обычный текст"


def test_identity_reader_is_defensive(tmp_path: Path) -> None:
    path, _ = _write(tmp_path, pilot_plan())
    broken = tmp_path / "сломанный.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "customXml/item2.xml":
                data = data.replace(b'"format":1', b'"format":"x"')
            target.writestr(info, data)
    assert identity.read_docx(broken) is None
    not_zip = tmp_path / "не-документ.docx"
    not_zip.write_bytes(b"not a zip at all")
    assert identity.read_docx(not_zip) is None
    assert identity.read_docx(tmp_path / "нет такого.docx") is None
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w") as target:
        target.writestr("customXml/item1.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    assert identity.read_docx(bomb) is None


def test_existing_file_is_replaced_whole_and_kept_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "план.docx"
    path.write_bytes(b"old")
    write_docx(pilot_plan(), path, ExportOptions())
    assert zipfile.is_zipfile(path)
    before = path.read_bytes()

    class Stop(Progress):
        def report(self) -> None:
            if self.value > 0:
                self.request_cancel()

    big = agency_plan()
    big.rows = big.rows * 10
    with pytest.raises(Cancelled):
        write_docx(big, path, ExportOptions(), Stop())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["план.docx"]


def test_bad_options_are_refused_in_russian(tmp_path: Path) -> None:
    from cxdesk.errors import UserError

    with pytest.raises(UserError, match="вид таблицы"):
        write_docx(pilot_plan(), tmp_path / "x.docx", ExportOptions(layout="wide"))
    with pytest.raises(UserError, match="шрифта"):
        write_docx(pilot_plan(), tmp_path / "x.docx", ExportOptions(font_size=3))
    assert not list(tmp_path.iterdir())
