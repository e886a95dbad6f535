"""The summary over many plans as a document to send upward: xlsx or docx.

Layout: the title «Сводка о ходе реализации планов мероприятий по внедрению Стандартов
клиентоцентричности» and the date; a table per body with a totals row; then, per typical
template, a table per template item (done, overdue, absent, and which bodies); then the counts per
block (in xlsx with a bar chart). Written to a temporary file and then put in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxdesk.domain.deadlines import format_date
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

if TYPE_CHECKING:
    from cxdesk.domain.reports import BlockLine, Counts, ItemLine, Summary

REPORT_TITLE = (
    "Сводка о ходе реализации планов мероприятий по внедрению Стандартов клиентоцентричности"
)
FORMATS = ("xlsx", "docx")
PLAN_HEADERS = (
    "№", "Орган исполнительной власти", "Пунктов к исполнению", "Выполнено", "Доля выполненных",
    "В работе", "Просрочено", "Не начато", "Выполнено без документа",
)  # fmt: skip
ITEM_HEADERS = (
    "Пункт", "Мероприятие", "Планов", "Выполнено", "Просрочено", "Нет в плане",
    "Просрочено у", "Нет в плане у",
)  # fmt: skip
BLOCK_HEADERS = ("Блок", "Пунктов", "Выполнено", "В работе", "Просрочено", "Не начато")


def percent(share: float) -> str:
    """A share as Russian text: 0.333 → «33,3 %»."""
    return f"{share * 100:.1f} %".replace(".", ",")


def _plan_cells(summary: Summary, as_text: bool) -> list[list[object]]:
    def cells(n: object, org: str, c: Counts) -> list[object]:
        share: object = percent(c.share_done) if as_text else c.share_done
        return [
            n, org, c.items, c.done, share, c.in_progress, c.overdue, c.not_started,
            c.done_without_proof,
        ]  # fmt: skip

    out = [cells(i, p.org, p) for i, p in enumerate(summary.plans, start=1)]
    out.append(cells("", "Итого", summary.total))
    return out


def _template_groups(summary: Summary) -> list[tuple[str, list[ItemLine]]]:
    from cxdesk.domain.templates import get_template

    groups: dict[str, list[ItemLine]] = {}
    for line in summary.by_item:
        groups.setdefault(line.ref.partition(":")[0], []).append(line)
    return [(get_template(tid).short_title, lines) for tid, lines in groups.items()]


def _item_cells(lines: list[ItemLine]) -> list[list[object]]:
    return [
        [
            i.number, i.title, i.plans, len(i.done_orgs), len(i.overdue_orgs),
            len(i.missing_orgs), "; ".join(i.overdue_orgs), "; ".join(i.missing_orgs),
        ]
        for i in lines
    ]  # fmt: skip


def _block_cells(blocks: list[BlockLine]) -> list[list[object]]:
    return [
        [f"{b.number} {b.title}".strip(), b.items, b.done, b.in_progress, b.overdue, b.not_started]
        for b in blocks
    ]


def _as_of(summary: Summary) -> str:
    return f"по состоянию на {format_date(summary.as_of)}"


def _write_xlsx(summary: Summary, tmp: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Сводка"
    xlsx_title(ws, 1, REPORT_TITLE, size=14)
    xlsx_title(ws, 2, _as_of(summary), bold=False)
    xlsx_title(ws, 4, "1. Исполнение планов органами исполнительной власти")
    plans = _plan_cells(summary, as_text=False)
    nxt = xlsx_table(ws, 5, PLAN_HEADERS, plans, bold_rows=[len(plans) - 1])
    for r in range(6, nxt):
        ws.cell(row=r, column=5).number_format = "0.0%"
    row = nxt + 1
    xlsx_title(ws, row, "2. Исполнение по пунктам типового плана")
    row += 1
    for caption, lines in _template_groups(summary):
        xlsx_title(ws, row, f"Типовой план: {caption}", bold=False)
        row = xlsx_table(ws, row + 1, ITEM_HEADERS, _item_cells(lines)) + 1
    for col, width in zip("ABCDEFGHI", (8, 60, 12, 12, 12, 12, 12, 12, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["G"].width = 30
    ws.column_dimensions["H"].width = 30
    xlsx_page(ws, landscape=True)

    wb_blocks: Any = wb.create_sheet("По блокам")
    xlsx_title(wb_blocks, 1, "3. Исполнение по блокам")
    xlsx_title(wb_blocks, 2, _as_of(summary), bold=False)
    blocks = _block_cells(summary.by_block)
    end = xlsx_table(wb_blocks, 4, BLOCK_HEADERS, blocks)
    wb_blocks.column_dimensions["A"].width = 60
    for col in "BCDEF":
        wb_blocks.column_dimensions[col].width = 12
    xlsx_page(wb_blocks, landscape=True)
    if blocks:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Исполнение по блокам"
        data = Reference(wb_blocks, min_col=3, max_col=6, min_row=4, max_row=end - 1)
        names = Reference(wb_blocks, min_col=1, min_row=5, max_row=end - 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        chart.height = max(7.5, 1.2 * len(blocks))
        chart.width = 24
        wb_blocks.add_chart(chart, f"A{end + 2}")
    wb.save(str(tmp))


def _write_docx(summary: Summary, tmp: Path) -> None:
    doc = new_docx(landscape=True, size=12)
    paragraph(doc, REPORT_TITLE, bold=True, center=True, size=14)
    paragraph(doc, _as_of(summary), center=True)
    paragraph(doc, "1. Исполнение планов органами исполнительной власти", bold=True)
    plans = _plan_cells(summary, as_text=True)
    widths = (10, 82, 22, 20, 22, 20, 22, 20, 29)
    table(doc, PLAN_HEADERS, plans, widths, size=11, bold_rows=[len(plans) - 1])
    paragraph(doc, "")
    paragraph(doc, "2. Исполнение по пунктам типового плана", bold=True)
    groups = _template_groups(summary)
    if not groups:
        paragraph(doc, "Нет планов, построенных по типовому плану.")
    for caption, lines in groups:
        paragraph(doc, f"Типовой план: {caption}")
        table(doc, ITEM_HEADERS, _item_cells(lines), (16, 90, 15, 20, 20, 20, 38, 38), size=10)
        paragraph(doc, "")
    paragraph(doc, "3. Исполнение по блокам", bold=True)
    table(doc, BLOCK_HEADERS, _block_cells(summary.by_block), (137, 24, 24, 24, 24, 24), size=11)
    doc.save(str(tmp))


def write_summary(summary: Summary, path: Path, fmt: str | None = None) -> Path:
    """Writes the summary as xlsx or docx (from ``fmt`` or the file's extension)."""
    path = Path(path)
    kind = output_format(path, fmt, FORMATS)
    if kind == "xlsx":
        return atomic_save(path, lambda tmp: _write_xlsx(summary, tmp))
    return atomic_save(path, lambda tmp: _write_docx(summary, tmp))
