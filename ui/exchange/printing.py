"""«Файл → Печать…» and «Предварительный просмотр»: the plan in its own printed form, as the PDF.

Pages are drawn by ``cxdesk.io.pdf_render.render_to_printer`` on A4 landscape with the margins of
ГОСТ Р 7.0.97-2016. The plan is read on the database thread; drawing happens on the main thread,
as Qt's printing wants. Without the renderer these commands are not offered at all.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from cxdesk.io.model import ExportOptions
from cxdesk.services.documents import plan_doc
from cxdesk.storage.db import Store

from ui import msgbox
from ui import settings as S
from ui.exchange import common as C


def renderer() -> Any:
    """``render_to_printer`` of the one PDF and print renderer (imported when first used)."""
    from cxdesk.io.pdf_render import render_to_printer

    return render_to_printer


def make_printer() -> QPrinter:
    """A printer set to A4 landscape (the renderer sets its own margins on it)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName("План мероприятий")
    return printer


def print_options(parent: QWidget | None) -> ExportOptions:
    """The official layout in the font size chosen for the last export."""
    size = int(C.settings_for(parent).get(S.EXPORT_FONT))
    return ExportOptions(font_size=float(min(max(size, 12), 14)))


def _load(parent: QWidget | None, store: Store, plan_id: int) -> tuple[Any, Any] | None:
    render = renderer()
    doc = C.wait_for(parent, store, lambda st: plan_doc(st, plan_id), label="Подготовка печати…")
    if doc is None:
        return None
    return render, doc


def print_plan(parent: QWidget | None, store: Store, plan_id: int) -> bool:
    """The system print dialog, then the plan printed; True when it was sent to the printer."""
    loaded = _load(parent, store, plan_id)
    if loaded is None:
        return False
    render, doc = loaded
    options = print_options(parent)
    printer = make_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Печать плана")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        render(doc, options, printer)
    except OSError as exc:
        msgbox.user_error(
            parent, f"План не напечатан: {exc}. Проверьте, что принтер включён и доступен."
        )
        return False
    return True


class PreviewDialog(QPrintPreviewDialog):
    """The preview window of a plan; its «Печать» button prints it. It keeps its printer (the
    Qt dialog does not own the printer it is given)."""

    def __init__(self, parent: QWidget | None, doc: Any, render: Any) -> None:
        self.page_printer = make_printer()
        super().__init__(self.page_printer, parent)
        self.setObjectName("printPreview")
        self.setWindowTitle("Предварительный просмотр")
        options = print_options(parent)
        self.paintRequested.connect(lambda target: render(doc, options, target))
        self.resize(1100, 780)


def preview_dialog(parent: QWidget | None, doc: Any, render: Any) -> PreviewDialog:
    """The preview window for a plan document."""
    return PreviewDialog(parent, doc, render)


def preview_plan(parent: QWidget | None, store: Store, plan_id: int) -> None:
    """«Предварительный просмотр»: pages as they will print."""
    loaded = _load(parent, store, plan_id)
    if loaded is None:
        return
    render, doc = loaded
    preview_dialog(parent, doc, render).exec()
