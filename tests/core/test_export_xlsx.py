"""The Excel export: read back with openpyxl and checked against the layout rules."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cxdesk.io import identity
from cxdesk.io.layout import approval_lines, plan_columns, prepare
from cxdesk.io.model import AttachmentInfo, ExportOptions, PlanDoc
from cxdesk.io.xlsx_writer import SHEET_TITLE, write_xlsx

from .export_samples import (
    AGENCY_TITLE,
    FORMULA_RESULT,
    agency_plan,
    pilot_plan,
)


def _write(tmp_path: Path, plan: PlanDoc, **options: Any) -> tuple[Path, Any]:
    path = tmp_path / "план.xlsx"
    assert write_xlsx(plan, path, ExportOptions(**options)) == len(plan.rows)
    return path, openpyxl.load_workbook(path)


def _head(sheet: Any) -> int:
    """The row of the headings: the first row of the print titles."""
    return int(sheet.print_title_rows.split(":")[0].lstrip("$"))


def _values(sheet: Any, row: int, count: int) -> list[Any]:
    return [sheet.cell(row=row, column=c).value for c in range(1, count + 1)]


def test_sheets_page_setup_and_margins(tmp_path: Path) -> None:
    _, book = _write(tmp_path, agency_plan())
    assert book.sheetnames == [SHEET_TITLE, identity.SHEET_NAME]
    assert book[identity.SHEET_NAME].sheet_state == "veryHidden"
    sheet = book[SHEET_TITLE]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    margins = sheet.page_margins
    for value, mm in zip(
        (margins.left, margins.right, margins.top, margins.bottom), (20, 10, 20, 20), strict=True
    ):
        assert value == pytest.approx(mm / 25.4)


def test_header_repeats_freezes_and_page_numbers(tmp_path: Path) -> None:
    _, book = _write(tmp_path, agency_plan())
    sheet = book[SHEET_TITLE]
    head = _head(sheet)
    assert sheet.print_title_rows.replace("$", "") == f"{head}:{head + 1}"
    assert sheet.freeze_panes == f"A{head + 2}"
    assert _values(sheet, head, 6) == [
        "№ п/п",
        "Мероприятие",
        "Срок реализации",
        "Ответственный",
        "Результат",
        "Вид документа",
    ]
    assert _values(sheet, head + 1, 6) == ["1", "2", "3", "4", "5", "6"]
    assert all(sheet.cell(row=head, column=c).font.b for c in range(1, 7))
    footer = sheet.HeaderFooter
    assert footer.differentFirst
    assert footer.oddHeader.center.text == "&P"
    assert not footer.firstHeader.center.text


def test_approval_block_top_right_and_title(tmp_path: Path) -> None:
    plan = agency_plan()
    _, book = _write(tmp_path, plan)
    sheet = book[SHEET_TITLE]
    lines = approval_lines(plan)
    found = [
        (cell.column, cell.value)
        for row in sheet.iter_rows(min_row=1, max_row=len(lines))
        for cell in row
        if cell.value
    ]
    assert [value for _, value in found] == [line for line in lines if line]
    assert min(column for column, _ in found) > 3  # right half of the table
    title = sheet.cell(row=len(lines) + 2, column=1)
    assert title.value == AGENCY_TITLE
    assert title.font.b and title.alignment.horizontal == "center"
    assert f"A{title.row}:F{title.row}" in {str(r) for r in sheet.merged_cells.ranges}


def test_blocks_merged_bold_items_complete(tmp_path: Path) -> None:
    plan = agency_plan()
    _, book = _write(tmp_path, plan)
    sheet = book[SHEET_TITLE]
    first = _head(sheet) + 2
    merged = {str(r) for r in sheet.merged_cells.ranges}
    printed = [r for r in plan.rows if r.status != "excluded"]  # the official form drops them
    assert sheet.max_row >= first + len(printed) - 1
    for offset, source in enumerate(printed):
        row = first + offset
        values = _values(sheet, row, 6)
        if source.kind != "item":
            assert f"A{row}:F{row}" in merged
            assert values[0] == f"{source.number} {source.title}"
            assert sheet.cell(row=row, column=1).font.b
            continue
        if isinstance(values[2], datetime):  # a deadline that is a date is stored as a date
            assert sheet.cell(row=row, column=3).number_format == "DD.MM.YYYY"
            values[2] = values[2].strftime("%d.%m.%Y")
        assert values[:4] == [source.number, source.title, source.deadline, source.responsible]
        assert (values[4] or "") == source.result
        assert (values[5] or "").rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹ ") == source.document
        cell = sheet.cell(row=row, column=2)
        assert cell.alignment.wrap_text and cell.font.name == "Times New Roman"
        assert cell.border.left.style == "thin"
        lines = max(len(str(v or "").split("\n")) for v in values)
        assert sheet.row_dimensions[row].height >= lines * 15


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    plan = agency_plan()
    plan.rows[7].result = "#N/A"
    plan.rows[8].result = "+7 (999) 000-00-00"
    path, book = _write(tmp_path, plan)
    sheet = book[SHEET_TITLE]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    assert cells[FORMULA_RESULT].data_type == "s" and cells[FORMULA_RESULT].quotePrefix
    assert cells["#N/A"].data_type == "s"
    assert cells["+7 (999) 000-00-00"].quotePrefix
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml


def test_dates_report_and_pilot_layouts(tmp_path: Path) -> None:
    _, book = _write(tmp_path, agency_plan(), layout="dates")
    sheet = book[SHEET_TITLE]
    head = _head(sheet)
    assert _values(sheet, head, 6) == ["№", "Мероприятие", "Срок реализации", None,
                                       "Ответственный", "Результат"]  # fmt: skip
    assert _values(sheet, head + 1, 6)[2:4] == ["Дата начала", "Дата окончания"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"C{head}:D{head}", f"A{head}:A{head + 1}", f"F{head}:F{head + 1}"} <= merged
    assert sheet.print_title_rows.replace("$", "") == f"{head}:{head + 2}"
    item = _values(sheet, head + 4, 6)
    assert item[2:4] == [datetime(2024, 2, 1), datetime(2024, 12, 31)]  # real dates
    assert sheet.cell(row=head + 4, column=3).number_format == "DD.MM.YYYY"
    assert sheet.print_area.replace("$", "").startswith("'План'!A1:F")
    _, book = _write(tmp_path, agency_plan(), layout="report")
    sheet = book[SHEET_TITLE]
    assert _values(sheet, _head(sheet), 8)[6:] == ["Статус", "Отметка о выполнении"]
    _, book = _write(tmp_path, pilot_plan())
    sheet = book[SHEET_TITLE]
    head = _head(sheet)
    assert sheet.cell(row=head, column=6).value == "Дополнительные материалы"
    numbers = [sheet.cell(row=head + 2 + n, column=1).value for n in range(12)]
    assert numbers == [str(n) for n in range(1, 13)]


def test_identity_round_trips(tmp_path: Path) -> None:
    plan = agency_plan()
    path, _ = _write(tmp_path, plan, layout="report")
    sheet = prepare(plan, ExportOptions(layout="report"))
    expected = identity.build_payload(plan, "report", plan_columns(plan, "report"), sheet)
    assert identity.read_xlsx(path) == json.loads(json.dumps(expected))
    with zipfile.ZipFile(path) as archive:
        assert identity.read_xlsx(archive) == identity.read_xlsx(path)


def test_identity_survives_long_payloads_and_rejects_foreign_files(tmp_path: Path) -> None:
    plan = pilot_plan()
    files = [AttachmentInfo(f"Протокол заседания рабочей группы № {n}.pdf", n) for n in range(900)]
    plan.rows[0].attachments = files  # the JSON text spans several cells
    path, book = _write(tmp_path, plan)
    assert book[identity.SHEET_NAME].max_row > 2
    payload = identity.read_xlsx(path)
    assert payload is not None and len(payload["rows"][0]["attachments"]) == 900
    foreign = tmp_path / "чужой.xlsx"
    other = openpyxl.Workbook()
    other.create_sheet(identity.SHEET_NAME)["A1"] = "что-то своё"
    other.save(foreign)
    assert identity.read_xlsx(foreign) is None
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    assert identity.read_xlsx(broken) is None


def test_existing_file_survives_a_failed_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "план.xlsx"
    write_xlsx(pilot_plan(), path, ExportOptions())
    before = path.read_bytes()

    def fail(self: Any, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    with pytest.raises(OSError):
        write_xlsx(agency_plan(), path, ExportOptions())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["план.xlsx"]
