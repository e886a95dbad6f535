"""The form dialog: a preset loaded, the live preview drawn again, the form kept with the plan;
the export dialog names the form and prints in it; print preview follows the plan's form."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from cxdesk.domain import form as forms
from cxdesk.domain.building import PlanRequest
from cxdesk.services.documents import plan_doc
from cxdesk.services.forms import plan_form, set_form
from cxdesk.services.plans import create_plan
from cxdesk.storage.db import Store
from tests.core.helpers import all_answers

from ui import msgbox
from ui.exchange.export_dialog import ExportDialog
from ui.exchange.form_dialog import FormDialog, first_page

from .test_exchange_ui import Host

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ORG = "Министерство труда и социальной защиты Ставропольского края"


@pytest.fixture
def plan_id(store: Store) -> int:
    return create_plan(
        store, PlanRequest("agency", ORG, answers=all_answers("agency", True))
    ).plan_id


@pytest.fixture
def host(qtbot: QtBot, store: Store, tmp_path: Path) -> Host:
    window = Host(store, tmp_path)
    qtbot.addWidget(window)
    return window


def _dialog(host: Host, store: Store, plan_id: int) -> FormDialog:
    return FormDialog(host, store, plan_id, plan_doc(store, plan_id), plan_form(store, plan_id))


def _table_top(image: QImage) -> int:
    """The first pixel row crossed by a line over most of the width: the table's top border."""
    for y in range(image.height()):
        dark = sum(
            1 for x in range(0, image.width(), 3) if image.pixelColor(x, y).lightness() < 160
        )
        if dark > image.width() / 3 * 0.6:
            return y
    return -1


def test_preview_draws_the_first_page_in_the_form(qtbot: QtBot, store: Store, plan_id: int) -> None:
    doc = plan_doc(store, plan_id)
    with_approval = _table_top(first_page(doc, forms.preset("typical")))
    without = _table_top(first_page(doc, forms.preset("stavropol")))
    assert 0 < without < with_approval - 20  # «УТВЕРЖДАЮ» above the table pushes it down


def test_choosing_a_preset_and_saving_keeps_the_form(
    qtbot: QtBot, host: Host, store: Store, plan_id: int
) -> None:
    dialog = _dialog(host, store, plan_id)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.preview.pixmap().toImage()
    index = dialog.preset_combo.findData("stavropol")
    dialog.preset_combo.setCurrentIndex(index)
    dialog.preset_combo.activated.emit(index)
    assert dialog.numbering.currentData() == "flat"
    assert not dialog.checks["approval"].isChecked()
    headings = [dialog.columns.item(r, 1).text() for r in range(dialog.columns.rowCount())]
    assert headings[:2] == ["№ п/п", "Наименование мероприятия"]
    assert dialog.preview.pixmap().toImage() != before  # the preview follows
    dialog.signature_edit.setPlainText("Заместитель министра  Г.В. Богданова")
    dialog.title_edit.setText("II. План мероприятий")
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    assert dialog.saved
    got = plan_form(store, plan_id)
    assert got.own and got.form.numbering == "flat" and got.form.title == "II. План мероприятий"
    assert got.signature == "Заместитель министра  Г.В. Богданова"


def test_a_bad_form_is_named_and_not_saved(
    qtbot: QtBot, host: Host, store: Store, plan_id: int
) -> None:
    dialog = _dialog(host, store, plan_id)
    title_row = next(
        r for r in range(dialog.columns.rowCount())
        if dialog.columns.item(r, 0).data(Qt.ItemDataRole.UserRole) == "title"
    )  # fmt: skip
    dialog.columns.item(title_row, 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.refresh()
    assert "нет графы «title»" in dialog.problem.text()
    with msgbox.capture() as shown:
        dialog.accept()
    assert shown and "нет графы «title»" in shown[-1].text
    assert not dialog.saved and not plan_form(store, plan_id).own


def test_export_dialog_names_the_form_and_writes_in_it(
    host: Host, store: Store, plan_id: int, tmp_path: Path
) -> None:
    set_form(store, plan_id, forms.preset("stavropol"), "Заместитель министра  Г.В. Богданова")
    dialog = ExportDialog(host, store, plan_id, ORG)
    assert "stavropol" in dialog.form_label.text() and "подпись под таблицей: да" in (
        dialog.form_label.text()
    )
    out = tmp_path / "план.docx"
    dialog.set_path(out)
    dialog.accept()
    document = docx.Document(str(out))
    first = "".join(t.text or "" for t in document.element.body[0].iter(qn("w:t")))
    assert first != "УТВЕРЖДАЮ"
    tail = "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    assert tail.rstrip().endswith("Г.В. Богданова")


def test_form_button_of_the_export_dialog_opens_one_form_dialog(
    qtbot: QtBot, store: Store, plan_id: int, tmp_path: Path
) -> None:
    """On a threaded runner: «Форма…» pressed twice while the plan is read opens one dialog;
    a form kept there is named in the export dialog."""
    host = Host(store, tmp_path, synchronous=False)
    qtbot.addWidget(host)
    try:
        dialog = ExportDialog(host, store, plan_id, ORG)
        qtbot.waitUntil(lambda: "Форма" in dialog.form_label.text())
        opened: list[int] = []

        def sweep() -> None:  # answers every form dialog shown (a failing test never hangs)
            for form in host.findChildren(FormDialog):
                if form.isVisible() and form.save_button.isEnabled():  # not yet being saved
                    if form.preset_combo.findData("stavropol") <= 0:
                        continue  # the saved forms are still being read on the worker
                    opened.append(len(host.findChildren(FormDialog)))
                    form.load(forms.preset("stavropol"))
                    form.save_button.click()

        sweeper = QTimer(host)
        sweeper.timeout.connect(sweep)
        sweeper.start(20)
        dialog.form_button.click()
        dialog.form_button.click()
        assert not dialog.form_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.form_button.isEnabled(), timeout=20000)
        qtbot.waitUntil(lambda: "stavropol" in dialog.form_label.text(), timeout=20000)
        sweeper.stop()
        assert opened == [1] and len(host.findChildren(FormDialog)) == 1
        assert plan_form(store, plan_id).form.name == "stavropol"
    finally:
        host.tasks.shutdown()
