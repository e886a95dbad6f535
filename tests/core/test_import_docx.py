"""Reading plans from Word documents: the fixtures exactly, Word's own structures, odd content.

The fixtures are built by tests/fixtures/make_fixtures.py from the seeds; their expected values
are written by hand in tests/fixtures/expected/*.json.
"""

from __future__ import annotations

import functools
import io
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxdesk.errors import BadFile
from cxdesk.io.docx_numbering import Numbering, format_number
from cxdesk.io.docx_reader import read_docx
from cxdesk.io.model import PlanDoc, ReadResult, Row
from cxdesk.io.plan_header import apply_identity
from cxdesk.io.table_text import clean_text
from cxdesk.progress import Cancelled, Progress

from .helpers import ROUND_TRIP_FIELDS, assert_read_back, check_plan, expected, round_trip_plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("name", ["tula_plan", "szn_pilot", "agency_autonum"])
def test_fixture_imports_exactly(name: str) -> None:
    check_plan(read_docx(FIXTURES / f"{name}.docx"), expected(name))


def test_tula_plan_warnings_say_what_was_guessed() -> None:
    warnings = read_docx(FIXTURES / "tula_plan.docx").warnings
    assert any("нет номера, текст присоединён к пункту 1.1." in w for w in warnings)
    assert any("«Организационные мероприятия» нет номера; присвоен номер 1." in w for w in warnings)


def test_word_numbering_levels_restarts_and_formats() -> None:
    numbering = _xml(
        '<w:numbering xmlns:w="{ns}">'
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/>'
        '<w:lvlText w:val="%1.%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="russianLower"/>'
        '<w:lvlRestart w:val="0"/><w:lvlText w:val="%3)"/></w:lvl>'
        "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="5"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )
    lists = Numbering(numbering)
    shown = [
        lists.label(_para(num, lvl))
        for num, lvl in [
            (1, 0),
            (1, 1),
            (1, 1),
            (1, 2),
            (1, 2),
            (1, 0),
            (1, 1),
            (1, 2),
            (3, 0),
            (2, 0),
            (2, 1),
            (1, 0),
            (0, 0),
        ]
    ]
    assert shown == [
        "I.",
        "1.1.",
        "1.2.",
        "а)",
        "б)",
        "II.",
        "2.1.",
        "в)",
        "",
        "VII.",
        "7.1.",
        "VIII.",
        "",
    ]
    assert [format_number(n, "russianUpper") for n in (1, 28, 29)] == ["А", "Я", "АА"]
    assert format_number(4, "lowerRoman") == "iv"
    assert format_number(3, "decimalZero") == "03"


def _xml(text: str) -> Any:
    from lxml import etree

    return etree.fromstring(text.format(ns=W_NS).encode())


def _para(num: int, level: int) -> Any:
    return _xml(
        '<w:p xmlns:w="{ns}"><w:pPr><w:numPr>'
        f'<w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr></w:p>'
    )


# -- hand-made Word XML ------------------------------------------------------------------------
def make_docx(path: Path, body_xml: str) -> Path:
    """A document whose body is ``body_xml`` (python-docx's package, our XML)."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    fragment = _xml(f'<w:body xmlns:w="{{ns}}">{body_xml}</w:body>')
    for index, child in enumerate(fragment):
        body.insert(index, child)
    document.save(path)
    return path


def tc(text: str = "", props: str = "") -> str:
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in text.split("|")
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs or '<w:p/>'}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


HEADER = tr(tc("№ п/п"), tc("Наименование мероприятия"), tc("Срок"), tc("Ответственные"))
#: The header and a block «1.» across the other columns.
BLOCK_ONE = HEADER + tr(tc("1."), tc("Блок", '<w:gridSpan w:val="3"/>'))


def test_word_structures(tmp_path: Path) -> None:
    rows = BLOCK_ONE + "".join(
        [
            # a deleted revision, an insertion, a field code, hidden text, a line break, a tab
            "<w:tr>"
            + tc("1.1.")
            + (
                "<w:tc><w:p><w:r><w:t>Утверждён </w:t></w:r><w:del><w:r><w:delText>старый "
                "</w:delText></w:r></w:del><w:ins><w:r><w:t>новый</w:t></w:r></w:ins>"
                "<w:r><w:rPr><w:vanish/></w:rPr><w:t>скрытый</w:t></w:r>"
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                "<w:r><w:instrText> PAGE </w:instrText></w:r>"
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t> порядок</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:br/><w:t>вторая</w:t>'
                "<w:tab/><w:t>строка</w:t></w:r></w:p></w:tc>"
            )
            + tc("31.12.2024")
            + tc("Иванов И.И.", '<w:vMerge w:val="restart"/>')
            + "</w:tr>",
            # a content control around a row, a vertically merged cell continued
            "<w:sdt><w:sdtContent>"
            + tr(tc("1.2."), tc("Второй"), tc("2025"), tc("", "<w:vMerge/>"))
            + "</w:sdtContent></w:sdt>",
            # a row that starts one grid column later
            tr(
                tc("Третий"),
                tc("2026"),
                tc("Петров П.П.|Сидоров С.С."),
                props='<w:gridBefore w:val="1"/>',
            ),
        ]
    )
    path = make_docx(tmp_path / "structures.docx", f"<w:tbl>{rows}</w:tbl>")
    result = read_docx(path)
    plan = result.plan
    assert [(r.kind, r.number) for r in plan.rows] == [
        ("block", "1."),
        ("item", "1.1."),
        ("item", "1.2."),
        ("item", ""),
    ]
    assert plan.rows[1].title == "Утверждён новый порядок\nвторая строка"
    assert plan.rows[2].responsible == "Иванов И.И."
    assert plan.rows[3].title == "Третий"
    assert plan.rows[3].responsible == "Петров П.П.\nСидоров С.С."
    assert any("пункт без номера" in w for w in result.warnings)


def test_a_row_of_footnote_marks_is_no_row_of_column_numbers(tmp_path: Path) -> None:
    """«¹ ² ³» are digits to Python but no numbers: the row is read as text, not refused."""
    rows = BLOCK_ONE + tr(tc("1.1."), tc("Назначен ответственный"), tc("2025"), tc("Иванов"))
    rows += tr(tc("¹"), tc("²"), tc("³"), tc("⁴"))
    path = make_docx(tmp_path / "marks.docx", f"<w:tbl>{rows}</w:tbl>")
    plan = read_docx(path).plan
    assert [r.number for r in plan.rows][:2] == ["1.", "1.1."]
    assert "²" in "".join(r.title + r.number for r in plan.rows[2:])


def test_word_structures_left_out_or_nested(tmp_path: Path) -> None:
    """What Word does not show stays out; a table inside a cell and wrapped rows are read."""
    textbox = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>надпись</w:t></w:r></w:p>"
        "</w:txbxContent></w:drawing></mc:Choice></mc:AlternateContent>"
    )
    nested = "<w:tbl>" + tr(tc("Отдел А"), tc("Отдел Б")) + tr(tc("Отдел В"), tc("")) + "</w:tbl>"
    rows = BLOCK_ONE + "".join(
        [
            # tab stops of the paragraph's properties are no text; a page break neither
            "<w:tr>"
            + tc("1.1.")
            + (
                '<w:tc><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
                '<w:r><w:t>Первый</w:t></w:r><w:r><w:br w:type="page"/></w:r>'
                "<w:hyperlink><w:r><w:rPr><w:vanish/></w:rPr><w:t> скрытый</w:t></w:r>"
                f"<w:r><w:t> пункт</w:t></w:r></w:hyperlink><w:r>{textbox}</w:r></w:p></w:tc>"
            )
            + tc("2025")
            + f"<w:tc><w:p><w:r><w:t>Сводно:</w:t></w:r></w:p>{nested}<w:p/></w:tc>"
            + "</w:tr>",
            # a deleted row, whose cells hold a table too
            tr(
                tc("1.9."),
                tc("Удалённый"),
                tc("2025"),
                f"<w:tc>{nested}<w:p/></w:tc>",
                props='<w:del w:id="1" w:author="a"/>',
            ),
            # a row inside custom XML
            "<w:customXml>"
            + tr(tc("1.2."), tc("Второй"), tc("2026"), tc("Отдел Г"))
            + "</w:customXml>",
        ]
    )
    path = make_docx(
        tmp_path / "left-out.docx",
        f"<w:p><w:r><w:t>УТВЕРЖДАЮ</w:t></w:r></w:p><w:tbl>{rows}</w:tbl>"
        "<w:p><w:r><w:t>Исполнитель: Иванов</w:t></w:r></w:p>",
    )
    result = read_docx(path)
    plan = result.plan
    assert [(r.kind, r.number, r.title) for r in plan.rows] == [
        ("block", "1.", "Блок"),
        ("item", "1.1.", "Первый пункт"),
        ("item", "1.2.", "Второй"),
    ]
    assert plan.rows[1].responsible.split("\n") == ["Сводно:", "Отдел А", "Отдел Б", "Отдел В"]
    assert plan.rows[2].responsible == "Отдел Г"


def test_numbers_from_a_paragraph_style(tmp_path: Path) -> None:
    """The № column numbered by Word through a list style («Нумерованный список»: the style
    carries the list, the paragraphs only name the style): the styles are read when asked."""
    numbered = '<w:tc><w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr></w:p></w:tc>'
    rows = HEADER + "".join(
        tr(numbered, tc(f"Мероприятие {i}"), tc("2025"), tc("Отдел")) for i in (1, 2, 3)
    )
    plan = read_docx(make_docx(tmp_path / "styled.docx", f"<w:tbl>{rows}</w:tbl>")).plan
    assert [(r.number, r.title) for r in plan.rows] == [
        ("1.", "Мероприятие 1"),
        ("2.", "Мероприятие 2"),
        ("3.", "Мероприятие 3"),
    ]


def test_properties_out_of_place_are_ignored(tmp_path: Path) -> None:
    """A cell's, a row's or a list's properties where they do not belong (a damaged or hostile
    file) change nothing: the text around them is read as it stands."""
    odd_cell = (
        '<w:tc><w:p><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>'
        "<w:r><w:t>Первый</w:t></w:r></w:p></w:tc>"
    )
    odd_row = (
        '<w:tc><w:tcPr><w:gridBefore w:val="3"/></w:tcPr><w:p><w:trPr><w:del w:id="1"/></w:trPr>'
        '<w:r><w:t>Второй</w:t></w:r></w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr></w:tc>'
    )
    rows = BLOCK_ONE + tr(tc("1.1."), odd_cell, tc("2025"), tc("Отдел А"))
    rows += tr(tc("1.2."), odd_row, tc("2026"), tc("Отдел Б"))
    plan = read_docx(make_docx(tmp_path / "odd-props.docx", f"<w:tbl>{rows}</w:tbl>")).plan
    assert [(r.number, r.title, r.deadline, r.responsible) for r in plan.rows[1:]] == [
        ("1.1.", "Первый", "2025", "Отдел А"),
        ("1.2.", "Второй", "2026", "Отдел Б"),
    ]


_LEAVES = st.sampled_from(
    [
        "<w:t>текст</w:t>", "<w:t xml:space='preserve'> и </w:t>", "<w:tab/>", "<w:br/>",
        "<w:br w:type='page'/>", "<w:cr/>", "<w:noBreakHyphen/>", "<w:gridSpan w:val='2'/>",
        "<w:gridSpan w:val='x'/>", "<w:vMerge/>", "<w:vMerge w:val='restart'/>",
        "<w:gridBefore w:val='1'/>", "<w:del w:id='1'/>", "<w:pStyle w:val='ListNumber'/>",
        "<w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr>", "<w:p/>", "<w:tc/>",
    ]
)  # fmt: skip
_HOLDERS = ["p", "r", "tbl", "tr", "tc", "pPr", "tcPr", "trPr", "tabs", "sdt", "sdtContent",
            "customXml", "ins", "hyperlink", "body"]  # fmt: skip
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.tuples(st.sampled_from(_HOLDERS), st.lists(inner, max_size=4)).map(
        lambda made: f"<w:{made[0]}>{''.join(made[1])}</w:{made[0]}>"
    ),
    max_leaves=30,
)


@given(inside=_TREES, after=_TREES)
def test_any_nesting_of_word_elements_reads_or_is_refused(inside: str, after: str) -> None:
    """Word's elements nested in any order, inside a cell of a plan and after its table (a
    damaged or hostile file): the plan above is read, and nothing fails but a clear refusal."""
    rows = BLOCK_ONE + tr(tc("1.1."), f"<w:tc>{inside}</w:tc>", tc("2025"), tc("Отдел"))
    body = f"<w:tbl>{rows}</w:tbl>{after}"
    xml = _BASE_DOCUMENT.replace("<w:body>", f"<w:body>{body}", 1)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zout:
        for name, part in _base_parts().items():
            zout.writestr(name, xml if name == "word/document.xml" else part)
    path = Path(tempfile.mkdtemp()) / "nested.docx"
    path.write_bytes(data.getvalue())
    try:
        plan = read_docx(path).plan
    except BadFile:
        return
    finally:
        shutil.rmtree(path.parent)
    assert (plan.rows[0].kind, plan.rows[0].number, plan.rows[0].title) == ("block", "1.", "Блок")


_BASE_DOCUMENT = f'<w:document xmlns:w="{W_NS}"><w:body><w:sectPr/></w:body></w:document>'


@functools.cache
def _base_parts() -> dict[str, bytes]:
    """The parts of an empty document as python-docx writes it."""
    data = io.BytesIO()
    docx.Document().save(data)
    with zipfile.ZipFile(data) as zin:
        return {info.filename: zin.read(info) for info in zin.infolist()}


def test_headings_worded_and_split_differently(tmp_path: Path) -> None:
    rows = "".join(
        [
            tr(
                tc("No|п/п"),
                tc("Содержание мероприятия"),
                tc("Ответствен-|ный исполнитель"),
                tc("Срок реализации мероприятия"),
                tc("Примечание 2"),
                tc("Результат"),
            ),
            tr(*(tc(str(n)) for n in range(1, 7))),
            tr(tc("1"), tc("Первое"), tc("Отдел"), tc("2024"), tc("x"), tc("Отчёт")),
        ]
    )
    result = read_docx(make_docx(tmp_path / "headings.docx", f"<w:tbl>{rows}</w:tbl>"))
    assert [c.key for c in result.plan.columns] == [
        "number",
        "title",
        "responsible",
        "deadline",
        "result",
    ]
    assert "Столбец «Примечание 2» не распознан и пропущен." in result.warnings
    row = result.plan.rows[0]
    assert (row.number, row.title, row.responsible, row.deadline, row.result) == (
        "1",
        "Первое",
        "Отдел",
        "2024",
        "Отчёт",
    )


def test_document_without_plan_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Служебная записка")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Фамилия"
    table.cell(0, 1).text = "Телефон"
    document.save(tmp_path / "memo.docx")
    with pytest.raises(BadFile, match="не найдена таблица плана"):
        read_docx(tmp_path / "memo.docx")
    empty = docx.Document()
    empty.add_paragraph("Текст без таблиц")
    empty.save(tmp_path / "text.docx")
    with pytest.raises(BadFile, match="нет ни одной таблицы"):
        read_docx(tmp_path / "text.docx")


def test_control_and_invisible_characters_are_stripped(tmp_path: Path) -> None:
    odd = "\x7fУтвер\u00adждён\u200b\ufeff пор\x85ядок\u00a0\u00a0ведения\x9f &amp;nbsp;&lt;p&gt;"
    rows = HEADER + tr(tc("1."), tc(odd), tc("2024"), tc("Отдел"))
    result = read_docx(make_docx(tmp_path / "odd.docx", f"<w:tbl>{rows}</w:tbl>"))
    assert result.plan.rows[0].title == "Утверждён порядок ведения"


def test_ten_thousand_rows_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    make_docx(path, "<w:tbl>" + HEADER + "</w:tbl>")
    row = (
        "<w:tr><w:tc><w:p><w:r><w:t>{b}.{i}.</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>"
        "Мероприятие номер {i} блока {b}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>31.12.2024"
        "</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Отдел {i}</w:t></w:r></w:p></w:tc></w:tr>"
    )
    rows = "".join(row.format(b=b, i=i) for b in range(1, 101) for i in range(1, 101))
    _replace_part(path, "word/document.xml", lambda xml: xml.replace("</w:tbl>", rows + "</w:tbl>"))
    result = read_docx(path)  # its speed is measured in tests/benchmarks
    assert len(result.plan.rows) == 10_000
    assert result.plan.rows[-1].number == "100.100."


def _replace_part(path: Path, name: str, change: Any) -> None:
    with zipfile.ZipFile(path) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for part, data in parts.items():
            zout.writestr(part, data)


def test_cancel_stops_reading() -> None:
    progress = Progress()
    progress.request_cancel()
    with pytest.raises(Cancelled):
        read_docx(FIXTURES / "tula_plan.docx", progress)


def test_identity_payload_is_laid_over_rows() -> None:
    plan = PlanDoc(
        title="План",
        rows=[
            Row("block", "1.", "Блок"),
            Row("item", "1.1.", "Первое", result="Приказ\nИсключено: письмо"),
            Row("item", "1.2.", "Добавлено вручную"),
        ],
    )
    result = ReadResult(plan=plan)
    apply_identity(
        result,
        {
            "format": 1,
            "plan": {
                "uid": "P",
                "template_id": "agency",
                "template_version": "2",
                "answers": {"a": 1},
                "title": "План",
                "org": "Министерство",
            },
            "rows": [
                {"uid": "b", "ref": "agency:1", "kind": "block", "number": "1."},
                {
                    "uid": "i",
                    "ref": "agency:1.1",
                    "kind": "item",
                    "number": "1.1.",
                    "status": "excluded",
                    "basis": "письмо",
                    "start": "01.01.2024",
                    "attachments": [
                        {"name": "приказ.pdf", "size": 10, "sha256": "ab", "added": ""}
                    ],
                },
            ],
        },
    )
    assert (plan.uid, plan.template_id, plan.org, plan.answers) == (
        "P",
        "agency",
        "Министерство",
        {"a": True},
    )
    first, second, extra = plan.rows
    assert (first.uid, first.ref, second.uid, second.status, second.basis) == (
        "b",
        "agency:1",
        "i",
        "excluded",
        "письмо",
    )
    assert second.result == "Приказ"
    assert second.start == "01.01.2024"
    assert second.attachments[0].name == "приказ.pdf"
    assert extra.uid == ""
    assert any("1.2." in w for w in result.warnings)


def test_own_export_round_trip(tmp_path: Path) -> None:
    writer = pytest.importorskip("cxdesk.io.docx_writer")
    pytest.importorskip("cxdesk.io.identity")
    from cxdesk.io.model import ExportOptions

    plan = round_trip_plan()
    for layout in ("official", "dates", "report"):
        path = tmp_path / f"{layout}.docx"
        writer.write_docx(plan, path, ExportOptions(layout=layout))
        assert_read_back(read_docx(path).plan, plan, layout, ROUND_TRIP_FIELDS)


def test_plan_split_into_tables_and_approval_in_a_borderless_table(tmp_path: Path) -> None:
    approval = tr(
        tc(""), tc("УТВЕРЖДАЮ|Руководитель департамента|______ П.П. Петров|«01» февраля 2024 г.")
    )
    first = HEADER + tr(tc("1."), tc("Первое"), tc("2024"), tc("Отдел"))
    second = HEADER + tr(tc("2."), tc("Второе"), tc("2025"), tc("Отдел"))
    other = tr(tc("Должность"), tc("Подпись")) + tr(tc("Министр"), tc(""))
    title = (
        "<w:p><w:r><w:t>План мероприятий по внедрению Стандартов клиентоцентричности в "
        "департаменте информатизации Тульской области</w:t></w:r></w:p>"
    )
    xml = (
        f"<w:tbl>{approval}</w:tbl>{title}<w:tbl>{first}</w:tbl><w:p/>"
        f"<w:tbl>{second}</w:tbl><w:tbl>{other}</w:tbl>"
    )
    result = read_docx(make_docx(tmp_path / "split.docx", xml))
    plan = result.plan
    assert [r.number for r in plan.rows] == ["1.", "2."]
    assert (plan.approver_position, plan.approver_name, plan.approval_date) == (
        "Руководитель департамента",
        "П.П. Петров",
        "«01» февраля 2024 г.",
    )
    assert plan.org == "департамент информатизации Тульской области"
    assert any("продолжена отдельной таблицей" in w for w in result.warnings)


@given(st.text(max_size=300))
def test_clean_text_leaves_no_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    for line in cleaned.split("\n") if cleaned else []:
        assert line == line.strip() and line
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in line)
