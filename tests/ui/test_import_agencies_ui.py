"""The window's side of importing agencies' plans: the preview shows what was read of the plan
itself (signature, executor), lets the organisation be corrected before the plan is created, and
the plan's properties show and edit the signature and executor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from cxdesk.progress import Progress
from cxdesk.services.views import get_plan, list_plans
from cxdesk.storage.db import Store

from ui.exchange.import_preview import NOT_FOUND, ImportPreviewDialog
from ui.exchange.opening import open_plan_file, read_for_preview
from ui.mainwindow import MainWindow
from ui.mainwindow.actions import Act
from ui.mainwindow.plan_dialog import PlanPropertiesDialog
from ui.settings import Settings
from ui.tasks import Tasks

from .test_exchange_ui import Host, ended, when_shown

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHOTS = os.environ.get("CXDESK_SHOTS", "")


@pytest.fixture
def host(qtbot: QtBot, store: Store, tmp_path: Path) -> Host:
    window = Host(store, tmp_path)
    qtbot.addWidget(window)
    return window


def test_preview_shows_signature_and_executor(qtbot: QtBot, store: Store) -> None:
    incoming, existing = read_for_preview(store, FIXTURES / "stavropol_agency.docx", Progress())
    try:
        dialog = ImportPreviewDialog(incoming, existing)
        qtbot.addWidget(dialog)
        assert dialog.fields["signature"].text() == (
            "Заместитель министра экономического развития\nСтавропольского края Г.В. Богданова"
        )
        assert dialog.fields["executor"].text() == "Исп.: Петрова М.С., тел. 8 (8652) 35-10-21"
        assert dialog.fields["approval"].text() == NOT_FOUND
        assert dialog.org.text() == "министерство экономического развития Ставропольского края"
        assert dialog.findChild(QLabel, "preview_org_hint") is None
        if SHOTS:
            dialog.show()
            dialog.grab().save(str(Path(SHOTS) / "preview_stavropol.png"))
    finally:
        incoming.cleanup()


def test_preview_corrects_the_organisation_before_the_plan_is_made(
    host: Host, store: Store
) -> None:
    path = FIXTURES / "stavropol_agency.csv"

    def correct(dialog: ImportPreviewDialog) -> None:
        assert dialog.org.text() == "stavropol agency"  # the file names none
        assert dialog.findChild(QLabel, "preview_org_hint") is not None
        if SHOTS:
            dialog.grab().save(str(Path(SHOTS) / "preview_csv.png"))
        field = dialog.findChild(QLineEdit, "preview_org")
        field.setText("  Министерство экономического   развития Ставропольского края ")
        dialog.create_button.click()

    when_shown("importPreview", correct)
    plan_id = ended(open_plan_file, host, store, path)
    assert plan_id is not None
    plan = get_plan(store, plan_id)
    assert plan.org == "Министерство экономического развития Ставропольского края"
    assert plan.executor == "Исп.: Петрова М.С., тел. 8 (8652) 35-10-21"
    assert [p.items for p in list_plans(store)] == [69]


def test_properties_show_and_edit_signature_and_executor(
    qtbot: QtBot, host: Host, store: Store, tmp_path: Path
) -> None:
    when_shown("importPreview", lambda d: d.create_button.click())
    plan_id = ended(open_plan_file, host, store, FIXTURES / "stavropol_agency.docx")
    assert plan_id is not None
    window = MainWindow(store, Settings.in_file(tmp_path / "w.ini"), Tasks(store, True))
    qtbot.addWidget(window)
    window.show()
    window.reload_plans(select=plan_id)
    seen: dict[str, str] = {}

    def edit() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PlanPropertiesDialog)
        seen["signature"], seen["executor"] = dialog.signature.text(), dialog.executor.text()
        if SHOTS:
            dialog.grab().save(str(Path(SHOTS) / "properties.png"))
        dialog.executor.setText("Исп.: Иванова Е.П., тел. 35-10-22")
        dialog.accept()

    QTimer.singleShot(0, edit)
    window.acts[Act.PLAN_PROPERTIES].trigger()
    assert seen == {
        "signature": "Заместитель министра экономического развития\n"
        "Ставропольского края Г.В. Богданова",
        "executor": "Исп.: Петрова М.С., тел. 8 (8652) 35-10-21",
    }
    plan = get_plan(store, plan_id)
    assert plan.executor == "Исп.: Иванова Е.П., тел. 35-10-22"
    assert plan.signature.endswith("Г.В. Богданова")
    window.acts[Act.UNDO].trigger()
    assert get_plan(store, plan_id).executor == "Исп.: Петрова М.С., тел. 8 (8652) 35-10-21"
