"""The progress report «Отчет о ходе реализации плана» as docx (A4 portrait, Times New Roman),
and the texts and tables it shares with the PDF (cxdesk/io/report_pdf.py).

Contents: title, body, as-of date; the totals; per block the counts and shares of done, in
progress, overdue and not started items; the overdue items with the people responsible and their
deadlines; the done items with their results, documents and completion dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxdesk.io.office_basics import atomic_save, new_docx, output_format, paragraph, table

if TYPE_CHECKING:
    from cxdesk.services.progress_report import ReportData
    from cxdesk.services.summary import Counts

FORMATS = ("docx", "pdf")


@dataclass
class Part:
    """One numbered part of the report: a heading, text lines, and an optional table."""

    heading: str
    lines: list[str]
    headers: tuple[str, ...] = ()
    rows: list[list[str]] | None = None
    widths_mm: tuple[float, ...] = ()
    bold_last: bool = False


def share_text(value: int, counts: Counts) -> str:
    """«3 (37,5 %)»: a count with its share of the items to carry out."""
    if not counts.items:
        return str(value)
    return f"{value} ({counts.share(value) * 100:.1f} %)".replace(".", ",")


def _counts_line(label: str, c: Counts) -> list[str]:
    return [
        label, str(c.items), share_text(c.done, c), share_text(c.in_progress, c),
        share_text(c.overdue, c), share_text(c.not_started, c),
    ]  # fmt: skip


def report_heading(data: ReportData) -> list[str]:
    """The title lines: the report's name, the body, the date."""
    from cxdesk.services.progress_report import REPORT_TITLE

    return [REPORT_TITLE, data.org, f"по состоянию на {data.as_of_text}"]


def report_parts(data: ReportData) -> list[Part]:
    """The report's numbered parts, the same in docx and PDF."""
    t = data.total
    overview = [
        f"Мероприятий к исполнению: {t.items}"
        + (f" (кроме того, исключено по согласованию: {t.excluded})" if t.excluded else "")
        + ".",
        f"Выполнено: {share_text(t.done, t)}; в работе: {share_text(t.in_progress, t)}; "
        f"просрочено: {share_text(t.overdue, t)}; не начато: {share_text(t.not_started, t)}.",
    ]
    if t.done_without_proof:
        overview.append(f"Выполнено без подтверждающего документа: {t.done_without_proof}.")
    blocks = [_counts_line(f"{b.number} {b.title}".strip(), b) for b in data.blocks]
    blocks.append(_counts_line("Итого", t))
    overdue = [
        [o.number, o.title, f"{o.deadline}\n(до {o.due})" if o.deadline != o.due else o.due,
         o.responsible or "не назначен", str(o.days_late)]
        for o in data.overdue
    ]  # fmt: skip
    done = [
        [
            d.number, d.title, d.result or "—",
            "\n".join(f"{name} (от {added})" for name, added in d.files)
            or "документ не прикреплён",
            d.done_date or "—",
        ]
        for d in data.done
    ]  # fmt: skip
    return [
        Part("1. Общие сведения", overview),
        Part(
            "2. Исполнение по блокам",
            [],
            ("Блок", "Всего", "Выполнено", "В работе", "Просрочено", "Не начато"),
            blocks,
            (52, 16, 25.5, 25.5, 25.5, 25.5),
            bold_last=True,
        ),
        Part(
            "3. Просроченные мероприятия",
            [] if overdue else ["Просроченных мероприятий нет."],
            ("№", "Мероприятие", "Срок", "Ответственный", "Просрочено, дней"),
            overdue or None,
            (16, 62, 30, 40, 22),
        ),
        Part(
            "4. Выполненные мероприятия",
            [] if done else ["Выполненных мероприятий пока нет."],
            ("№", "Мероприятие", "Результат", "Документы", "Дата выполнения"),
            done or None,
            (16, 46, 38, 44, 26),
        ),
    ]


def write_report_docx(data: ReportData, path: Path) -> Path:
    """Writes the report as docx: A4 portrait, Times New Roman 13 (tables 12)."""

    def write(tmp: Path) -> None:
        doc = new_docx(landscape=False, size=13)
        title, org, as_of = report_heading(data)
        paragraph(doc, title, bold=True, center=True, size=14)
        paragraph(doc, org, center=True, size=14)
        paragraph(doc, as_of, center=True)
        for part in report_parts(data):
            paragraph(doc, part.heading, bold=True)
            for line in part.lines:
                paragraph(doc, line)
            if part.rows:
                bold = [len(part.rows) - 1] if part.bold_last else []
                table(doc, part.headers, part.rows, part.widths_mm, size=12, bold_rows=bold)
                paragraph(doc, "")
        if data.timeline is not None:
            from cxdesk.io.timeline_pdf import add_to_docx

            add_to_docx(doc, data.timeline)
        doc.save(str(tmp))

    return atomic_save(Path(path), write)


def write_report(data: ReportData, path: Path, fmt: str | None = None) -> Path:
    """Writes the report as docx or PDF (from ``fmt`` or the file's extension)."""
    path = Path(path)
    kind = output_format(path, fmt, FORMATS)
    if kind == "pdf":
        from cxdesk.io.report_pdf import write_report_pdf

        return write_report_pdf(data, path)
    return write_report_docx(data, path)
