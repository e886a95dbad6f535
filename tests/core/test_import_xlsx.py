"""Reading plans from Excel workbooks: the fixtures exactly, merged cells, dates, odd sheets."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from cxdesk.errors import BadFile
from cxdesk.io.xlsx_reader import cell_text, read_xlsx

from .helpers import ROUND_TRIP_FIELDS, assert_read_back, check_plan, expected, round_trip_plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEAD = ["№ п/п", "Мероприятие", "Срок реализации", "Ответственный", "Результат", "Вид документа"]


@pytest.mark.parametrize("name", ["tula_plan", "region_reordered"])
def test_fixture_imports_exactly(name: str) -> None:
    check_plan(read_xlsx(FIXTURES / f"{name}.xlsx"), expected(name))


def save(workbook: Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def test_two_row_header_under_a_merged_heading(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["№", "Мероприятие", "Срок реализации", None, "Ответственный"])
    ws.append([None, None, "Дата начала", "Дата окончания", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:E2")
    ws.append(["1.", "Первое", dt.datetime(2024, 1, 10), dt.datetime(2024, 3, 31), "Отдел"])
    result = read_xlsx(save(wb, tmp_path / "dates.xlsx"))
    assert [c.key for c in result.plan.columns] == [
        "number",
        "title",
        "start",
        "deadline",
        "responsible",
    ]
    row = result.plan.rows[0]
    assert (row.start, row.deadline, row.responsible) == ("10.01.2024", "31.03.2024", "Отдел")


def test_vertical_merge_gives_every_item_its_responsible(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for i in range(1, 5):
        ws.append([f"1.{i}.", f"Пункт {i}", "2024", "Отдел кадров" if i == 1 else None, "", ""])
    ws.merge_cells("D2:D4")
    rows = read_xlsx(save(wb, tmp_path / "merged.xlsx")).plan.rows
    assert [r.responsible for r in rows] == ["Отдел кадров"] * 3 + [""]


def test_number_turned_into_a_date_by_excel(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["1.", "Блок"])
    ws.merge_cells("B2:F2")
    ws.append([dt.datetime(2024, 1, 1), "Первое", "2024", "Отдел", "", ""])
    ws.append([dt.datetime(2024, 10, 1), "Десятое", "2024", "Отдел", "", ""])
    result = read_xlsx(save(wb, tmp_path / "numbers.xlsx"))
    assert [r.number for r in result.plan.rows] == ["1.", "1.1", "1.10"]
    assert any("Excel превратил в дату" in w for w in result.warnings)


def test_control_characters_escaped_in_the_sheet_are_stripped(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["1.", "PLACEHOLDER", "31.12.2024", "Отдел", "", ""])
    path = save(wb, tmp_path / "control.xlsx")
    with zipfile.ZipFile(path) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    escaped = "Утвер_x0001_ждён_x001F_ порядок_x0007_".encode()
    for name, data in parts.items():
        if b"PLACEHOLDER" in data:
            parts[name] = data.replace(b"PLACEHOLDER", escaped)
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert read_xlsx(path).plan.rows[0].title == "Утверждён порядок"


def test_plan_sheet_is_chosen_among_several(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Справочник"
    wb.active.append(["Фамилия", "Телефон"])
    for title in ("План 2024", "План 2025"):
        ws = wb.create_sheet(title)
        ws.append(HEAD)
        ws.append(["1.", f"Пункт листа {title}", "2024", "Отдел", "", ""])
    hidden = wb.create_sheet("Скрытый")
    hidden.sheet_state = "hidden"
    hidden.append(HEAD)
    result = read_xlsx(save(wb, tmp_path / "sheets.xlsx"))
    assert result.plan.rows[0].title == "Пункт листа План 2024"
    assert any("несколько листов" in w and "«План 2025»" in w for w in result.warnings)


def test_workbook_without_plan_table(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Фамилия", "Телефон"])
    with pytest.raises(BadFile, match="ни на одном листе"):
        read_xlsx(save(wb, tmp_path / "phones.xlsx"))


def test_report_layout_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD + ["Статус", "Отметка о выполнении"])
    ws.append(["1.1.", "Первое", "2024", "Отдел", "", "", "Выполнено", "Выполнено 01.03.2024"])
    ws.append(["1.2.", "Второе", "2024", "Отдел", "", "", "В работе", ""])
    ws.append(["1.3.", "Третье", "2024", "Отдел", "", "", "Непонятно", ""])
    result = read_xlsx(save(wb, tmp_path / "report.xlsx"))
    first, second, third = result.plan.rows
    assert (first.status, first.done_date) == ("done", "01.03.2024")
    assert second.status == "in_progress"
    assert third.status == ""
    assert any("статус «Непонятно» не распознан" in w for w in result.warnings)


def test_cell_text_renders_values_as_shown() -> None:
    assert cell_text(dt.datetime(2024, 12, 31)) == "31.12.2024"
    assert cell_text(dt.date(2024, 1, 5)) == "05.01.2024"
    assert cell_text(dt.time(9, 30)) == "09:30"
    assert cell_text(3.0) == "3"
    assert cell_text(1.1) == "1.1"
    assert cell_text(1.1, "0.00") == "1.10"
    assert cell_text(2024) == "2024"
    assert cell_text(None) == ""


def test_ten_thousand_rows_are_all_read(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("План")
    ws.append(HEAD)
    for b in range(1, 101):
        ws.append([f"{b}.", f"Блок {b}"])
        for i in range(1, 100):
            ws.append(
                [
                    f"{b}.{i}.",
                    f"Мероприятие {i} блока {b}",
                    dt.datetime(2024, 12, 31),
                    "Отдел\nУправление",
                    "Отчёт",
                    "Приказ",
                ]
            )
    path = save(wb, tmp_path / "long.xlsx")
    result = read_xlsx(path)  # its speed is measured in tests/benchmarks, not here
    assert len(result.plan.rows) == 10_000
    assert Counter(r.kind for r in result.plan.rows) == {"block": 100, "item": 9_900}
    assert result.plan.rows[-1].deadline == "31.12.2024"


def test_own_export_identity_sheet(tmp_path: Path) -> None:
    identity = pytest.importorskip("cxdesk.io.identity")
    wb = Workbook()
    ws = wb.active
    ws.title = "План"
    ws.append(HEAD)
    ws.append(["1.", "Блок"])
    ws.append(["1.1.", "Первое", "2024", "Отдел", "", ""])
    identity.embed_xlsx(
        wb,
        {
            "format": 1,
            "plan": {"uid": "P", "template_id": "agency", "answers": {}},
            "rows": [
                {"uid": "b", "ref": "agency:1", "kind": "block", "number": "1."},
                {
                    "uid": "i",
                    "ref": "agency:1.1",
                    "kind": "item",
                    "number": "1.1.",
                    "status": "in_progress",
                },
            ],
        },
    )
    plan = read_xlsx(save(wb, tmp_path / "own.xlsx")).plan
    assert plan.uid == "P"
    assert [(r.uid, r.ref, r.status) for r in plan.rows] == [
        ("b", "agency:1", ""),
        ("i", "agency:1.1", "in_progress"),
    ]


def test_own_export_round_trip(tmp_path: Path) -> None:
    writer = pytest.importorskip("cxdesk.io.xlsx_writer")
    pytest.importorskip("cxdesk.io.identity")
    from cxdesk.io.model import ExportOptions

    plan = round_trip_plan(start="01.02.2024")
    for layout in ("official", "dates", "report"):
        path = tmp_path / f"{layout}.xlsx"
        writer.write_xlsx(plan, path, ExportOptions(layout=layout))
        assert_read_back(read_xlsx(path).plan, plan, layout, ("start", *ROUND_TRIP_FIELDS))
