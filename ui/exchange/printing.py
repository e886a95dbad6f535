"""«Файл → Печать…» and «Предварительный просмотр»: the plan in its own printed form, as the PDF.

Pages are drawn by ``cxdesk.io.pdf_render.render_to_printer`` on A4 landscape with the margins of
ГОСТ Р 7.0.97-2016. The plan is read on the database thread; drawing happens on the main thread,
as Qt's printing wants. Without the renderer these commands are not offered at all.
"""

from __future__ import annotations

from collections.abc import Callable
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
from ui.tasks import tasks_of


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


def _load(
    parent: QWidget | None,
    plan_id: int,
    then: Callable[[Any, Any], None],
    failed: Callable[[BaseException], bool] | None = None,
) -> None:
    """Reads the plan's document on the database thread, then ``then(render, doc)``."""
    render = renderer()
    tasks_of(parent).run(
        lambda st: plan_doc(st, plan_id),
        parent=parent,
        success=lambda doc: then(render, doc),
        failure=failed,
        label="Подготовка печати…",
    )


def print_plan(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    then: Callable[[bool], None] | None = None,
) -> None:
    """The system print dialog, then the plan printed; ``then(True)`` when it was sent to the
    printer, ``then(False)`` otherwise."""
    done = then or C.nothing

    def loaded(render: Any, doc: Any) -> None:
        options = print_options(parent)
        printer = make_printer()
        dialog = QPrintDialog(printer, parent)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle("Печать плана")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            done(False)
            return
        try:
            render(doc, options, printer)
        except OSError as exc:
            msgbox.user_error(
                parent, f"План не напечатан: {exc}. Проверьте, что принтер включён и доступен."
            )
            done(False)
            return
        done(True)

    _load(parent, plan_id, loaded, C.ends_with(done, False))


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


def preview_plan(
    parent: QWidget | None,
    store: Store,
    plan_id: int,
    then: Callable[[bool], None] | None = None,
) -> None:
    """«Предварительный просмотр»: pages as they will print; ``then(True)`` once it is closed
    (``then(False)`` when the plan could not be read)."""
    done = then or C.nothing

    def loaded(render: Any, doc: Any) -> None:
        preview_dialog(parent, doc, render).exec()
        done(True)

    _load(parent, plan_id, loaded, C.ends_with(done, False))
