"""The progress report as PDF, laid out by QtGui (QTextDocument) and written by QPdfWriter.

This is the one module of cxdesk that uses Qt, and only QtGui, imported inside the functions:
the command line and the core load it only when a PDF is asked for. The content is the docx
report's (cxdesk/io/report_parts.py). Fonts come from resources/fonts when it holds any, else
the system's Times New Roman or the serif font that stands in for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxdesk.io.office_basics import FONT, atomic_save
from cxdesk.io.pdf_text import printable, printable_html
from cxdesk.io.report_parts import Part, report_heading, report_parts

if TYPE_CHECKING:
    from cxdesk.domain.reports import ReportData

#: Keeps the application object made for a PDF outside the window (one per process).
_APP: list[Any] = []


def _esc(text: str) -> str:
    """``text`` as HTML in the bundled font (see :func:`cxdesk.io.pdf_text.printable`)."""
    return printable_html(printable(text)).replace("\n", "<br/>")


def _table_html(part: Part) -> str:
    total = sum(part.widths_mm) or 1.0
    widths = [f"{w / total * 100:.0f}%" for w in part.widths_mm]
    head = "".join(
        f'<th width="{w}" align="center">{_esc(h)}</th>'
        for h, w in zip(part.headers, widths, strict=True)
    )
    rows = []
    last = len(part.rows or []) - 1
    for i, values in enumerate(part.rows or []):
        cells = "".join(f"<td>{_esc(v)}</td>" for v in values)
        style = ' style="font-weight:bold"' if part.bold_last and i == last else ""
        rows.append(f"<tr{style}>{cells}</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="4" width="100%" '
        'style="border-collapse:collapse; border-color:#000000; font-size:10.5pt">'
        f"<thead><tr>{head}</tr></thead>{''.join(rows)}</table>"
    )


def report_html(data: ReportData) -> str:
    """The report as the HTML subset QTextDocument lays out."""
    title, org, as_of = report_heading(data)
    out = [
        f'<p align="center" style="font-size:14pt; font-weight:bold">{_esc(title)}</p>',
        f'<p align="center" style="font-size:14pt">{_esc(org)}</p>',
        f'<p align="center">{_esc(as_of)}</p>',
    ]
    for part in report_parts(data):
        out.append(f'<p style="font-weight:bold; margin-top:10px">{_esc(part.heading)}</p>')
        out += [f"<p>{_esc(line)}</p>" for line in part.lines]
        if part.rows:
            out.append(_table_html(part))
    return f'<html><body style="font-size:12pt">{"".join(out)}</body></html>'


def _ensure_app() -> None:
    from cxdesk.io.pdf_render import ensure_app

    ensure_app()


def _font() -> Any:
    from PySide6.QtGui import QFont, QFontDatabase

    from cxdesk.paths import resources_dir

    families: list[str] = []
    folder = resources_dir() / "fonts"
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            if f.suffix.lower() in (".ttf", ".otf"):
                font_id = QFontDatabase.addApplicationFont(str(f))
                if font_id >= 0:
                    families += QFontDatabase.applicationFontFamilies(font_id)
    serif = [f for f in families if "times" in f.lower() or "serif" in f.lower()]
    font = QFont((serif or families or [FONT])[0])
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(12)
    return font


def _writer_and_document(markup: str, path: Path, title: str) -> tuple[Any, Any]:
    """An A4 portrait PDF writer at 300 dpi (no margins: the layout leaves its own) and the
    report's text laid out for it."""
    _ensure_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    # QTextDocument.print_ adds 2 cm margins of its own (and the page numbers in the bottom one)
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("cxdesk")
    doc = QTextDocument()
    doc.setDefaultFont(_font())
    doc.setHtml(markup)
    return writer, doc


def render_pdf(markup: str, path: Path, title: str) -> None:
    """Lays out ``markup`` on A4 portrait pages and writes them to ``path``."""
    writer, doc = _writer_and_document(markup, path, title)
    doc.print_(writer)


def render_pdf_with_timeline(markup: str, path: Path, title: str, timeline: Any) -> None:
    """The report's text on A4 portrait pages (numbered at the foot, as :func:`render_pdf`
    numbers them), then the plan's timeline on A4 landscape pages (cxdesk.io.timeline_pdf)."""
    writer, doc = _writer_and_document(markup, path, title)
    from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QPageLayout, QPainter

    from cxdesk.io.timeline_pdf import DPI, paint_pages

    doc.documentLayout().setPaintDevice(writer)
    margin = 20 / 25.4 * 300  # 2 cm, as QTextDocument.print_ leaves
    width, height = writer.width() - 2 * margin, writer.height() - 2 * margin
    doc.setPageSize(QSizeF(width, height))
    pages = max(doc.pageCount(), 1)
    p = QPainter(writer)
    try:
        for n in range(pages):
            if n:
                writer.newPage()
            p.save()
            p.translate(QPointF(margin, margin - n * height))
            doc.drawContents(p, QRectF(0, n * height, width, height))
            p.restore()
            p.setFont(doc.defaultFont())
            foot = QRectF(0, writer.height() - margin, writer.width(), margin * 0.6)
            p.drawText(foot, Qt.AlignmentFlag.AlignCenter, str(n + 1))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.newPage()
        p.save()
        p.scale(300 / DPI, 300 / DPI)
        paint_pages(p, timeline, "quarter", "A4", writer.newPage)
        p.restore()
    finally:
        p.end()
        del writer


def write_report_pdf(data: ReportData, path: Path) -> Path:
    """Writes the progress report as PDF (temporary file, then put in place); with the
    timeline asked for (``data.timeline``), its pages follow the text."""
    markup = report_html(data)
    title = report_heading(data)[0]
    if data.timeline is not None:
        timeline = data.timeline
        return atomic_save(
            Path(path), lambda tmp: render_pdf_with_timeline(markup, tmp, title, timeline)
        )
    return atomic_save(Path(path), lambda tmp: render_pdf(markup, tmp, title))
