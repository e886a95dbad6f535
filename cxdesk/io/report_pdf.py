"""The progress report as PDF: drawn by the plan's PDF engine (cxdesk/io/pdf_render.py) on A4
portrait pages, and written by QPdfWriter.

QtGui only, imported inside the functions: the command line and the core load it only when a PDF
is asked for. The content is the docx report's (cxdesk/io/report_parts.py); the text is set in
the bundled Liberation Serif, embedded in the file. With the timeline asked for, its A4 landscape
pages (cxdesk/io/timeline_pdf.py) follow the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxdesk.io.office_basics import atomic_save
from cxdesk.io.report_parts import report_heading

if TYPE_CHECKING:
    from cxdesk.domain.reports import ReportData

#: The writer's resolution; the timeline's pages are scaled to it.
RESOLUTION = 300


def _write(data: ReportData, path: Path) -> None:
    from cxdesk.io.pdf_render import ensure_app, render_report

    ensure_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    writer = QPdfWriter(str(path))
    try:
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Portrait)
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        writer.setResolution(RESOLUTION)
        writer.setTitle(report_heading(data)[0])
        writer.setCreator("cxdesk")
        timeline = data.timeline

        def timeline_pages(painter: Any, device: Any) -> None:
            from cxdesk.io.timeline_pdf import DPI, paint_pages

            assert timeline is not None
            device.setPageOrientation(QPageLayout.Orientation.Landscape)
            device.newPage()
            painter.save()
            painter.scale(RESOLUTION / DPI, RESOLUTION / DPI)
            paint_pages(painter, timeline, "quarter", "A4", device.newPage)
            painter.restore()

        render_report(data, writer, timeline_pages if timeline is not None else None)
    finally:
        del writer  # closes the file before it is put in place


def write_report_pdf(data: ReportData, path: Path) -> Path:
    """Writes the progress report as PDF (temporary file, then put in place); with the
    timeline asked for (``data.timeline``), its pages follow the text."""
    return atomic_save(Path(path), lambda tmp: _write(data, tmp))
