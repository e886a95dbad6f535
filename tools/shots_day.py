"""A coordinator's whole day in the real window, as screenshots (offscreen; no display needed).

Usage: ``python tools/shots_day.py OUT_DIR``. The wizard makes an agency plan (its past template
deadlines moved by whole years); in the window an item is edited, a document attached, the plan
exported to Word, the answers changed there and back (and the change undone), a colleague's
edited copy merged, the audit and the summary opened, and the window started again.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CXDESK_TODAY", "2026-11-23")
os.environ.setdefault("CXDESK_NO_OPEN", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QRadioButton, QWidget, QWizard  # noqa: E402

from cxdesk.io.model import ExportOptions  # noqa: E402
from cxdesk.services.documents import export_plan  # noqa: E402
from cxdesk.services.importing import import_file  # noqa: E402
from cxdesk.services.items import update_item  # noqa: E402
from cxdesk.services.plans import create_plan  # noqa: E402
from cxdesk.services.views import get_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from tests.ui.helpers import AGENCY_ANSWERS  # noqa: E402

from ui import msgbox  # noqa: E402
from ui.mainwindow import MainWindow  # noqa: E402
from ui.mainwindow.actions import Act  # noqa: E402
from ui.settings import Settings, set_application_names  # noqa: E402
from ui.tasks import Tasks  # noqa: E402
from ui.wizard import PlanWizard  # noqa: E402
from ui.wizard.common import PageId  # noqa: E402

ORG = "Министерство труда и социальной защиты Тульской области"


def _wait(ms: int = 30) -> None:
    for _ in range(max(ms // 10, 3)):
        QApplication.processEvents()


def _save(widget: QWidget, out: Path, name: str, saved: list[Path]) -> None:
    _wait()
    path = out / f"{len(saved) + 1:02d}-{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _row(store: Store, plan_id: int, ref: str) -> int:
    return next(r.id for r in get_plan(store, plan_id).rows if r.ref == ref)


def walk(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    data = Path(tempfile.mkdtemp(prefix="cxdesk-day-"))
    store = Store(data / "data")
    ini = data / "settings.ini"

    # 1. the wizard
    wizard = PlanWizard(None)
    wizard.confirm_cancel = False
    wizard.resize(900, 650)
    wizard.show()
    wizard.template_page.list.setCurrentRow(1)
    wizard.next()
    wizard.org_page.org_edit.setText(ORG)
    wizard.next()
    for qid, value in AGENCY_ANSWERS.items():
        wizard.findChild(QRadioButton, f"answer_{qid}_{'yes' if value else 'no'}").click()
    wizard.findChild(QRadioButton, "answer_provides_services_no").click()
    wizard.findChild(QRadioButton, "answer_has_vg_services_yes").click()
    _save(wizard, out, "wizard-contradiction", saved)
    wizard.findChild(QRadioButton, "answer_provides_services_yes").click()
    _save(wizard, out, "wizard-questions", saved)
    while wizard.currentId() != PageId.DEFAULTS:
        wizard.next()
    wizard.defaults_page.past_shift.click()
    _save(wizard, out, "wizard-past-deadlines", saved)
    wizard.next()
    wizard.next()
    request = wizard.request()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    plan_id = create_plan(store, request).plan_id

    # 2. the window: edit, attach, context menu
    window = MainWindow(store, Settings.in_file(ini), Tasks(store, True))
    window.resize(1280, 800)
    window.show()
    _wait()
    target = _row(store, plan_id, "agency:3.1.3")
    window.select_row(target)
    _save(window, out, "window-guidance", saved)
    window.panel.result.setText("Аналитический отчёт от 20.11.2026")
    window.panel.choose_status("done")
    proof = data / "Аналитический отчёт.pdf"
    proof.write_bytes(b"%PDF-1.4 report")
    from cxdesk.services.attachments import attach_files

    attach_files(store, plan_id, f"#{target}", [proof])
    window.reload_plan()
    _wait()
    window.select_row(target)
    index = window.model.index_of(target)
    window.tree.customContextMenuRequested.emit(window.tree.visualRect(index).center())
    _wait()
    menu = window.findChild(QMenu, "treeContextMenu")
    if menu is not None:
        _save(window, out, "window-context-menu", saved)
        menu.grab().save(str(out / f"{len(saved):02d}-context-menu-alone.png"))
        menu.close()

    # 3. export to Word, the colleague edits and sends back
    sent, _ = export_plan(store, plan_id, data / "план.docx", options=ExportOptions())
    colleague = Store(data / "colleague")
    theirs = import_file(colleague, sent).plan_id
    assert theirs is not None
    first_item = get_plan(colleague, theirs).items()[0]
    update_item(colleague, theirs, f"#{first_item.id}", {"result": "Приказ № 12 от 01.12.2026"})
    back, _ = export_plan(colleague, theirs, data / "от коллеги.docx")
    colleague.close()

    # 4. answers there and back
    def answer(value: str) -> None:
        def go() -> None:
            dialog = QApplication.activeModalWidget()
            dialog.resize(900, 700)
            dialog.findChild(QRadioButton, f"answer_provides_services_{value}").click()
            _save(dialog, out, f"answers-{value}", saved)
            dialog.apply_button.click()

        QTimer.singleShot(0, go)
        window.acts[Act.CHANGE_ANSWERS].trigger()
        _wait()

    answer("no")
    window.select_row(target)
    _save(window, out, "window-excluded-by-answer", saved)
    answer("yes")
    window.select_row(target)
    _save(window, out, "window-back-done", saved)

    # 5. merge the colleague's file
    from cxdesk.services.merge import preview_merge

    from ui.exchange.merge_dialog import MergeDialog
    from ui.exchange.merging import row_titles

    preview = preview_merge(store, plan_id, back)
    dialog = MergeDialog(preview, ORG, row_titles(get_plan(store, plan_id)))
    dialog.resize(900, 500)
    dialog.show()
    _save(dialog, out, "merge", saved)
    dialog.close()

    # 6. audit and summary
    if "audit" in getattr(window, "beyond_actions", {}):
        window.beyond_actions["audit"].trigger()
        _save(window, out, "audit", saved)
        window.beyond_actions["summary"].trigger()
        summary = window.findChild(QWidget, "summaryWindow")
        if summary is not None:
            summary.resize(1100, 700)
            _save(summary, out, "summary", saved)
            summary.close()

    # 7. restart: the same plan and item come back
    window.select_row(target)
    window.close()
    again = MainWindow(store, Settings.in_file(ini), Tasks(store, True))
    again.resize(1280, 800)
    again.show()
    _save(again, out, "restart", saved)
    assert again.panel.row is not None and again.panel.row.id == target
    again.close()
    store.close()
    return saved


if __name__ == "__main__":
    set_application_names()
    app = QApplication.instance() or QApplication(sys.argv)
    with msgbox.capture():
        for path in walk(Path(sys.argv[1] if len(sys.argv) > 1 else "shots-day")):
            print(path)
    del QPoint, Qt
