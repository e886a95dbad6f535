"""The progress report «Отчет о ходе реализации плана» as docx (A4 portrait, Times New Roman),
and :func:`write_report`, which writes docx or PDF (cxdesk/io/report_pdf.py). The texts and
tables both print are made once, in cxdesk/io/report_parts.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxdesk.io.office_basics import atomic_save, new_docx, output_format, paragraph, table
from cxdesk.io.report_parts import report_heading, report_parts

if TYPE_CHECKING:
    from cxdesk.domain.reports import ReportData

FORMATS = ("docx", "pdf")


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
