"""The audit's list of findings as a document: docx or xlsx, A4 landscape, one table
(№, Пункт, Проблема, Подробности), written to a temporary file and then put in place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from cxdesk.io.office_basics import (
    atomic_save,
    new_docx,
    output_format,
    paragraph,
    table,
    xlsx_page,
    xlsx_table,
    xlsx_title,
)

HEADERS = ("№", "Пункт", "Проблема", "Подробности")
FORMATS = ("docx", "xlsx")


def _problem_ru(row: Mapping[str, str]) -> str:
    if row.get("problem_ru"):
        return row["problem_ru"]
    from cxdesk.domain.reports import PROBLEMS

    return PROBLEMS.get(row.get("problem", ""), row.get("problem", ""))


def _cells(findings_rows: Sequence[Mapping[str, str]]) -> list[list[object]]:
    return [
        [i, row.get("item", ""), _problem_ru(row), row.get("detail", "")]
        for i, row in enumerate(findings_rows, start=1)
    ]


def write_findings(
    findings_rows: Sequence[Mapping[str, str]], title: str, path: Path, fmt: str | None = None
) -> Path:
    """Writes the findings: each row has «item», «problem» (its Russian name is looked up, or
    given as «problem_ru») and «detail»."""
    path = Path(path)
    kind = output_format(path, fmt, FORMATS)
    cells = _cells(findings_rows)
    empty = "Замечаний нет: план соответствует типовому плану."

    def write_docx(tmp: Path) -> None:
        doc = new_docx(landscape=True, size=12)
        paragraph(doc, title, bold=True, center=True, size=14)
        if cells:
            table(doc, HEADERS, cells, (12, 35, 65, 145), size=11)
        else:
            paragraph(doc, empty)
        doc.save(str(tmp))

    def write_xlsx(tmp: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Замечания"
        xlsx_title(ws, 1, title)
        if cells:
            xlsx_table(ws, 3, HEADERS, cells)
            ws.print_title_rows = "3:3"
        else:
            xlsx_title(ws, 3, empty, bold=False)
        for col, width in zip("ABCD", (6, 16, 34, 90), strict=True):
            ws.column_dimensions[col].width = width
        xlsx_page(ws, landscape=True)
        wb.save(str(tmp))

    return atomic_save(path, write_docx if kind == "docx" else write_xlsx)
