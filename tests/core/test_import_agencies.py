"""Plans as agencies really send them (issue 15): each class of input through the real readers.

Fixtures are built by tests/fixtures/make_agency_fixtures.py (and make_fixtures.py) from the
seeds' real plans; what is expected of them is written here and in tests/fixtures/expected by
hand. The classes and the fixtures that cover them:

- text under the table → signature and executor: stavropol_agency.docx (paragraphs, tabs),
  agency_typed.odt (a borderless table, the executor over two lines), tula_numbers.xlsx and
  stavropol_agency.csv (rows below the table after empty ones);
- a Word plan in several tables: stavropol_agency.docx (the second table starts with the
  column-number row, the third with no header); a table not taken: built in
  test_table_not_taken_is_named;
- unnumbered section rows inside a block: stavropol_agency.docx/.csv/.ods;
- Roman block numbers with items 1, 2, 3…: stavropol_agency.*; numbers typed into the text with
  the № column empty: agency_typed.odt; 4.10 arriving as 4.1: tula_numbers.xlsx;
- hidden rows and columns: tula_numbers.xlsx (a row and a column), stavropol_agency.ods (a row);
- other formats: .odt, .ods, .csv (Windows-1251, «;») above; .doc/.xls/.rtf through LibreOffice
  (a stand-in converter, and the message when there is none);
- what was read of the plan itself: every fixture's title, approval, signature, executor, and
  `show --json` after the import;
- reworded items: stavropol_agency.docx (items 2 and 12 reworded) audited as wording_changed.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest

from cxdesk.errors import BadFile
from cxdesk.io.csv_reader import read_csv
from cxdesk.io.docx_reader import read_docx
from cxdesk.io.model import ReadResult
from cxdesk.io.odf_reader import read_ods, read_odt
from cxdesk.io.table_text import parse_number
from cxdesk.io.xlsx_reader import read_xlsx

from .helpers import run, run_json
from .test_import_docx import check_plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_agency_fixtures import stavropol_rows  # noqa: E402

FIELDS = ("title", "start", "deadline", "responsible", "result", "document", "materials", "note")
STAVROPOL_TITLE = (
    "План мероприятий («дорожная карта») по внедрению Стандартов клиентоцентричности "
    "в министерстве экономического развития Ставропольского края на 2024–2025 годы"
)
STAVROPOL_ORG = "министерство экономического развития Ставропольского края"
STAVROPOL_COLUMNS = ["number", "title", "deadline", "responsible", "document"]
#: (index in the plan, kind, number) of every heading of the Stavropol plan, by hand.
STAVROPOL_HEADINGS = [
    (0, "block", "I."), (10, "block", "II."), (15, "block", "III."), (16, "section", ""),
    (24, "section", ""), (32, "section", ""), (40, "section", ""), (48, "section", ""),
    (56, "section", ""), (64, "section", ""), (72, "section", ""),
]  # fmt: skip
_SVC = "Структурные подразделения министерства,\nотдел развития клиентоцентричности"
#: Items of the Stavropol plan written out by hand: the first, the reworded one, the last of the
#: first table, the first of the second (after its column-number row), the first of the third
#: (no header at all) and the last, above the signature.
STAVROPOL_ITEMS = {
    "1.": {
        "title": "Назначен ответственный за внедрение клиентоцентричности в должности не ниже "
        "заместителя руководителя органа исполнительной власти субъекта Российской Федерации",
        "deadline": "IV квартал 2025 года",
        "responsible": "Первый заместитель министра экономического развития Ставропольского края",
        "document": "Приказ (распоряжение, иной ненормативный правовой акт) органа исполнительной "
        "власти субъекта Российской Федерации о назначении ответственного за внедрение "
        "клиентоцентричности в ведомстве",
    },
    "2.": {
        "title": "Утверждена модель внедрения клиентоцентричности в министерстве экономического "
        "развития Ставропольского края",
    },
    "22.": {
        "title": "Проведена сегментация клиентов по всем мерам государственной поддержки",
        "deadline": "IV квартал 2025 года",
        "responsible": _SVC,
        "document": "Отчет о проведенной сегментации клиентов по всем мерам государственной "
        "поддержки с приложением профилей клиентских сегментов",
    },
    "23.": {
        "title": "Проведена оценка удовлетворенности по всем мерам государственной поддержки",
        "deadline": "IV квартал 2025 года",
        "responsible": _SVC,
        "document": "Отчет об уровне удовлетворенности по всем мерам государственной поддержки",
    },
    "69.": {
        "title": "Проведен реинжиниринг процессов взаимодействия с внутренним клиентом по "
        "вопросам ведения бухгалтерского учета",
        "deadline": "IV квартал 2025 года",
        "responsible": _SVC,
        "document": "Отчет о реинжиниринге процессов взаимодействия с внутренним клиентом по "
        "вопросам ведения бухгалтерского учета",
    },
}
SIGNATURE_DOCX = "Заместитель министра экономического развития\nСтавропольского края Г.В. Богданова"
EXECUTOR = "Исп.: Петрова М.С., тел. 8 (8652) 35-10-21"


def expected(name: str) -> dict[str, Any]:
    with (FIXTURES / "expected" / f"{name}.json").open(encoding="utf-8") as fh:
        return dict(json.load(fh))


def check_stavropol(result: ReadResult) -> None:
    plan = result.plan
    assert plan.title in (STAVROPOL_TITLE, "")
    assert [c.key for c in plan.columns] == STAVROPOL_COLUMNS
    assert Counter(r.kind for r in plan.rows) == {"block": 3, "section": 8, "item": 69}
    headings = [(i, r.kind, r.number) for i, r in enumerate(plan.rows) if r.kind != "item"]
    assert headings == STAVROPOL_HEADINGS
    items = [r for r in plan.rows if r.kind == "item"]
    assert [r.number for r in items] == [f"{n}." for n in range(1, 70)]
    for number, fields in STAVROPOL_ITEMS.items():
        row = next(r for r in items if r.number == number)
        for name, value in fields.items():
            assert getattr(row, name) == value, (number, name)
    # and every row as the generator wrote it, field for field
    for row, (kind, number, title, deadline, responsible, document) in zip(
        plan.rows, stavropol_rows(), strict=True
    ):
        assert (row.kind, row.number, row.title) == (kind, number, title)
        assert (row.deadline, row.responsible, row.document) == (deadline, responsible, document)
        assert (row.start, row.result, row.materials, row.note) == ("", "", "", "")
    assert not [w for w in result.warnings if "присоединён" in w or "без номера" in w]


# -- the Stavropol-like agency plan -------------------------------------------------------------
def test_word_plan_in_three_tables_with_signature_below() -> None:
    result = read_docx(FIXTURES / "stavropol_agency.docx")
    check_stavropol(result)
    plan = result.plan
    assert (plan.title, plan.org) == (STAVROPOL_TITLE, STAVROPOL_ORG)
    assert plan.has_approval is False
    assert (plan.approver_position, plan.approver_name, plan.approval_date) == ("", "", "")
    assert plan.signature == SIGNATURE_DOCX
    assert plan.executor == EXECUTOR
    assert plan.header_rows == [
        ["№ п/п", "Наименование мероприятия", "Срок реализации мероприятия",
         "Ответственный исполнитель мероприятия", "Вид документа"]
    ]  # fmt: skip
    joined = [w for w in result.warnings if "продолжена отдельной таблицей без заголовка" in w]
    assert len(joined) == 2
    assert "таблица 2, 29 строк" in joined[0] and "таблица 3, 25 строк" in joined[1]
    assert len(result.warnings) == 2, result.warnings


def test_csv_from_a_document_system_reads_the_same_plan() -> None:
    result = read_csv(FIXTURES / "stavropol_agency.csv")
    check_stavropol(result)
    assert result.plan.signature == (
        "Заместитель министра экономического развития Ставропольского края Г.В. Богданова"
    )
    assert result.plan.executor == EXECUTOR
    assert result.warnings == []


def test_ods_sheet_leaves_its_hidden_draft_row_out() -> None:
    result = read_ods(FIXTURES / "stavropol_agency.ods")
    check_stavropol(result)
    assert result.plan.title == STAVROPOL_TITLE
    hidden = [w for w in result.warnings if "скрыты" in w]
    assert hidden == [
        "На листе «Дорожная карта» скрыты строки 10 (1): они не прочитаны. Если в них есть "
        "пункты плана, покажите их в Excel и загрузите файл снова."
    ]
    assert not any("Черновик" in r.title for r in result.plan.rows)


# -- the agency plan typed in LibreOffice Writer -----------------------------------------------
def test_odt_numbers_typed_into_the_text() -> None:
    result = read_odt(FIXTURES / "agency_typed.odt")
    check_plan(result, expected("agency_autonum"))  # the same plan, numbered by Word there
    plan = result.plan
    assert plan.signature == "Министр экономического развития Тульской области\nА.С. Иванова"
    assert plan.executor == "Исп.: Сидорова Е.В.\nтел. (4872) 24-52-10"
    assert result.warnings == [
        "Столбец «№ п/п» пуст, номера пунктов набраны в начале текста мероприятия; они "
        "прочитаны оттуда (20 строк)."
    ]


# -- the Tula plan with № typed as numbers in Excel --------------------------------------------
def test_excel_numbers_hidden_rows_and_the_signature() -> None:
    result = read_xlsx(FIXTURES / "tula_numbers.xlsx")
    want = expected("tula_plan")
    plan = result.plan
    for name in ("title", "approver_position", "approver_name"):
        assert getattr(plan, name) == want[name], name
    assert len(plan.rows) == len(want["rows"])
    for row, wanted in zip(plan.rows, want["rows"], strict=True):
        # Excel keeps «1.1.» typed as a number 1.1: the same item without its final dot
        number = wanted["number"].rstrip(".")
        assert (row.kind, row.number.rstrip(".")) == (wanted["kind"], number), number
        for name in FIELDS:
            assert getattr(row, name) == wanted.get(name, ""), f"{number}: {name}"
    assert [r.number for r in plan.rows if r.number.startswith("4.1")] == [
        "4.1",
        "4.10",
        "4.11",
        "4.12",
    ]
    assert plan.signature == "Заместитель председателя Правительства Тульской области Г.В. Лаврухин"
    assert plan.executor == "Исп.: Кузнецова А.А., тел. (4872) 24-51-90"
    warnings = result.warnings
    assert (
        "Строка 52: номер «4.1» стоит после 4.9; прочитан как 4.10 (Excel хранит номер как число "
        "и отбрасывает ноль на конце)." in warnings
    )
    assert (
        "На листе «План» скрыты строки 17 (1) и столбцы G (1): они не прочитаны. Если в них есть "
        "пункты плана, покажите их в Excel и загрузите файл снова." in warnings
    )
    assert "Лист «Справочно» (заполненных строк: 3) не прочитан: на нём нет таблицы плана." in (
        warnings
    )
    assert not any("Черновик" in r.title or "Петрова" in r.note for r in plan.rows)
    assert len([w for w in warnings if "присоединён" in w]) == want["joined_rows"]


# -- more of each class, built here ------------------------------------------------------------
def _table(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


HEAD4 = ["№ п/п", "Мероприятие", "Срок реализации", "Ответственный"]


def test_table_not_taken_is_named(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("План мероприятий по внедрению клиентоцентричности")
    _table(document, [HEAD4, ["1.", "Первое", "31.12.2025", "Отдел"]])
    _table(document, [["Код", "Показатель", "2024"], ["01", "Охват", "10"], ["02", "Доля", "5"]])
    _table(document, [["2.", "Второе", "31.12.2025", "Отдел"]])
    path = tmp_path / "split.docx"
    document.save(path)
    result = read_docx(path)
    assert [r.number for r in result.plan.rows] == ["1.", "2."]
    assert (
        "Таблица 2 (3 строки) не прочитана: в ней 3 столбцов, а в таблице плана 4. Если это "
        "часть плана, перенесите её строки в таблицу плана." in result.warnings
    )


def test_text_under_the_table_is_never_item_text(tmp_path: Path) -> None:
    document = docx.Document()
    _table(document, [HEAD4, ["1.", "Первое", "31.12.2025", "Отдел"],
                      ["2.", "Второе", "31.12.2025", "Отдел кадров"], ["", "", "", ""],
                      ["", "Первый заместитель министра", "", "И.И. Петров"]])  # fmt: skip
    document.add_paragraph("")
    document.add_paragraph("Исполнитель: Смирнова О.Н.")
    document.add_paragraph("8 (800) 100-20-30")
    path = tmp_path / "tail.docx"
    document.save(path)
    result = read_docx(path)
    last = result.plan.rows[-1]
    assert (last.number, last.title, last.responsible) == ("2.", "Второе", "Отдел кадров")
    assert result.plan.signature == "Первый заместитель министра И.И. Петров"
    assert result.plan.executor == "Исполнитель: Смирнова О.Н.\n8 (800) 100-20-30"
    assert not [w for w in result.warnings if "присоединён" in w]


def test_item_numbers_past_999_are_numbers() -> None:
    assert parse_number("1000.") == "1000."
    assert parse_number("12.1005") == "12.1005"


# -- formats through LibreOffice ---------------------------------------------------------------
def test_old_formats_without_libreoffice_say_how_to_convert(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("CXDESK_SOFFICE", str(tmp_path / "нет-такой-программы"))
    for name, target in (("plan.rtf", ".docx"), ("plan.doc", ".docx"), ("plan.xls", ".xlsx")):
        (tmp_path / name).write_bytes(b"{\\rtf1 x}")
        code, _, err = run(capsys, "import", str(tmp_path / name))
        assert code == 2
        assert "LibreOffice на этом компьютере не найден" in err and target in err, err
        assert "Сохранить как" in err


def test_old_formats_are_converted_and_checked(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # a stand-in for soffice: «converts» by copying the fixture, as LibreOffice names its output
    fake = tmp_path / "soffice"
    source = FIXTURES / "stavropol_agency.docx"
    fake.write_text(
        "#!/bin/sh\n"
        'for a; do out="$prev_out"; [ "$prev" = "--outdir" ] && dir="$a"; prev="$a"; done\n'
        f'case "$*" in *-env:UserInstallation=file://*) ;; *) exit 3;; esac\n'
        f'cp "{source}" "$dir/plan.docx"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("CXDESK_SOFFICE", str(fake))
    (tmp_path / "plan.rtf").write_bytes(b"{\\rtf1 plan}")
    data = run_json(capsys, "import", str(tmp_path / "plan.rtf"))
    assert data["items"] == 69
    assert data["warnings"][0] == "Файл «plan.rtf» преобразован через LibreOffice в .docx."
    tmp = data_dir / "store" / "tmp"
    assert not tmp.exists() or not any(tmp.iterdir())
    # what LibreOffice makes of it is checked like any incoming file
    letter = docx.Document()
    letter.add_paragraph("Письмо без таблицы плана")
    letter.save(tmp_path / "letter.docx")
    fake.write_text(fake.read_text().replace(str(source), str(tmp_path / "letter.docx")))
    code, _, err = run(capsys, "import", str(tmp_path / "plan.rtf"))
    assert code == 2 and "не найдена таблица плана" in err, err
    assert "«plan.rtf» был преобразован LibreOffice в .docx" in err
    # a converter that writes nothing: refused, nothing stored
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\n")
    code, _, err = run(capsys, "import", str(tmp_path / "plan.rtf"))
    assert code == 2 and "не смог преобразовать" in err and "source file" in err, err
    assert len(run_json(capsys, "plans")) == 1


def test_broken_odf_and_csv_are_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.odt").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BadFile):
        read_odt(tmp_path / "plan.odt")
    docx_as_odt = tmp_path / "word.odt"
    docx_as_odt.write_bytes((FIXTURES / "tula_plan.docx").read_bytes())
    with pytest.raises(BadFile, match="нет содержимого OpenDocument"):
        read_odt(docx_as_odt)
    ods_as_odt = tmp_path / "sheet.odt"
    ods_as_odt.write_bytes((FIXTURES / "stavropol_agency.ods").read_bytes())
    with pytest.raises(BadFile, match="на .ods"):
        read_odt(ods_as_odt)
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(BadFile, match="не текстовый файл CSV"):
        read_csv(tmp_path / "bin.csv")


# -- through the command line: dry run, import, show, audit ------------------------------------
def test_import_dry_run_show_and_audit_agree(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    path = str(FIXTURES / "stavropol_agency.docx")
    dry = run_json(capsys, "import", path, "--dry-run")
    done = run_json(capsys, "import", path)
    assert dry["warnings"] == done["warnings"] and dry["items"] == done["items"] == 69
    assert not [w for w in done["warnings"] if "Не сопоставлены" in w], done["warnings"]
    shown = run_json(capsys, "show", str(done["plan"]))
    assert shown["org"] == STAVROPOL_ORG and shown["title"] == STAVROPOL_TITLE
    assert (shown["signature"], shown["executor"]) == (SIGNATURE_DOCX, EXECUTOR)
    assert (shown["approver_position"], shown["approver_name"]) == ("", "")
    assert not any("Богданова" in r["title"] + r["document"] for r in shown["rows"])
    findings = run_json(capsys, "audit", str(done["plan"]))
    by_item = {(f["item"], f["problem"]) for f in findings}
    assert ("2.", "wording_changed") in by_item and ("12.", "wording_changed") in by_item
    missing = [f for f in findings if f["problem"] == "missing"]
    assert not [f for f in missing if "Утверждена модель" in f["detail"]], missing


def test_import_with_a_corrected_organisation(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    path = str(FIXTURES / "stavropol_agency.csv")
    done = run_json(capsys, "import", path, "--org", "  Минэкономразвития   Ставропольского края ")
    assert not [w for w in done["warnings"] if "организация" in w]
    assert run_json(capsys, "show", str(done["plan"]))["org"] == (
        "Минэкономразвития Ставропольского края"
    )
    plain = run_json(capsys, "import", path)
    assert run_json(capsys, "show", str(plain["plan"]))["org"] == "stavropol agency"


def test_fixture_files_are_what_the_script_writes(tmp_path: Path) -> None:
    """The committed fixtures are reproducible: the script writes the same cell content."""
    import make_agency_fixtures as m

    m.stavropol_csv(tmp_path / "s.csv")
    assert (tmp_path / "s.csv").read_bytes() == (FIXTURES / "stavropol_agency.csv").read_bytes()
    assert os.path.getsize(FIXTURES / "stavropol_agency.docx") > 0


def test_signature_and_executor_edited_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    done = run_json(capsys, "import", str(FIXTURES / "agency_typed.odt"))
    plan = str(done["plan"])
    code, _, err = run(capsys, "edit", plan, "--signature", r"Министр\nА.С. Иванова",
                       "--executor", "Исп.: Орлова Т.В.")  # fmt: skip
    assert code == 0, err
    shown = run_json(capsys, "show", plan)
    assert (shown["signature"], shown["executor"]) == ("Министр\nА.С. Иванова", "Исп.: Орлова Т.В.")
    assert shown["approver_name"] == "А.С. Иванова"
    assert shown["approval_date"] == "«15» марта 2024 г."


def test_text_between_and_below_the_tables_is_named(tmp_path: Path) -> None:
    document = docx.Document()
    _table(document, [HEAD4, ["1.", "Первое", "31.12.2025", "Отдел"]])
    for line in ("Продолжение таблицы", "2", "Примечание: пункт 2 согласован с АЦ"):
        document.add_paragraph(line)
    _table(document, [["1", "2", "3", "4"], ["2.", "Второе", "31.12.2025", "Отдел"]])
    document.add_paragraph("* Сроки уточняются ежеквартально по итогам мониторинга " * 5)
    document.add_paragraph("Министр А.Б. Сидоров")
    path = tmp_path / "notes.docx"
    document.save(path)
    result = read_docx(path)
    assert [r.number for r in result.plan.rows] == ["1.", "2."]
    assert result.plan.signature == "Министр А.Б. Сидоров"
    assert (
        "Между частями таблицы плана не прочитан текст (1 строка): «Примечание: пункт 2 "
        "согласован с АЦ»." in result.warnings
    )
    below = [w for w in result.warnings if w.startswith("Под таблицей плана не прочитан текст")]
    assert len(below) == 1 and "(1 строка)" in below[0], result.warnings


def test_signature_typed_into_the_last_row_keeps_its_lines(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=0, cols=4)
    for values in (HEAD4, ["1.", "Первое", "31.12.2025", "Отдел"], ["", "", "", ""]):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    cells = table.add_row().cells
    position = cells[0].merge(cells[2])
    position.text = "Заместитель министра"
    position.add_paragraph("экономического развития края")
    cells[3].text = "Г.В. Богданова"
    path = tmp_path / "in_table.docx"
    document.save(path)
    result = read_docx(path)
    assert [r.number for r in result.plan.rows] == ["1."]
    assert result.plan.signature == (
        "Заместитель министра\nэкономического развития края Г.В. Богданова"
    )


def test_numbers_typed_without_a_space_and_without_a_number_column(tmp_path: Path) -> None:
    document = docx.Document()
    rows = [["Мероприятие", "Срок реализации", "Ответственный"]]
    rows += [[f"{n}.Мероприятие номер {n}", "31.12.2025", "Отдел"] for n in range(1, 5)]
    _table(document, rows)
    path = tmp_path / "no_number_column.docx"
    document.save(path)
    result = read_docx(path)
    assert [(r.number, r.title) for r in result.plan.rows] == [
        (f"{n}.", f"Мероприятие номер {n}") for n in range(1, 5)
    ]
    assert any(w.startswith("В таблице нет столбца «№ п/п»") for w in result.warnings)


def test_excel_drops_every_trailing_zero(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEAD4)
    ws.append(["2.", "Блок"])
    for n in range(1, 102):
        ws.append([float(f"2.{n}"), f"Мероприятие {n}", "31.12.2025", "Отдел"])
    path = tmp_path / "hundred.xlsx"
    wb.save(path)
    result = read_xlsx(path)
    numbers = [r.number for r in result.plan.rows[1:]]
    assert numbers == [f"2.{n}" for n in range(1, 102)]
    fixed = [w for w in result.warnings if "отбрасывает ноль" in w]
    assert len(fixed) == 10  # 2.10, 2.20 … 2.90 and 2.100
    assert not [w for w in result.warnings if "встречается" in w]
