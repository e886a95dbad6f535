"""Screenshots of every page of the plan wizard and of the «Изменить ответы» dialog.

Usage: ``python tools/shots_wizard.py OUT_DIR`` (offscreen; no display needed). The input is
realistic: the agency template for «Министерство труда и социальной защиты Тульской области».
The main screenshot script calls :func:`save_wizard_shots`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from cxdesk.services.plans import create_plan  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402

from ui.tasks import Tasks  # noqa: E402
from ui.wizard import AnswersDialog, PlanWizard  # noqa: E402
from ui.wizard.answers_dialog import load_answers  # noqa: E402

ORG = "Министерство труда и социальной защиты Тульской области"
ANSWERS = {
    "has_subordinates": True,
    "provides_services": True,
    "has_vg_services": False,
    "region_unified_registry": False,
    "region_unified_feedback": True,
    "own_hr_service": True,
    "provides_support_measures": True,
    "performs_control": True,
    "it_support": False,
    "accounting": False,
    "admin_economic": False,
}
BASIS = "письмо АЦ от 14.02.2025 № 11-05/1234"


def _save(widget: QWidget, out_dir: Path, name: str, saved: list[Path]) -> None:
    QApplication.processEvents()
    path = out_dir / f"{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def _fill_and_shoot(wizard: PlanWizard, out_dir: Path, saved: list[Path]) -> None:
    _save(wizard, out_dir, "wizard_01_template_empty", saved)
    wizard.template_page.select("agency")
    _save(wizard, out_dir, "wizard_01_template", saved)
    wizard.next()
    _save(wizard, out_dir, "wizard_02_org_empty", saved)
    wizard.org_page.org_edit.setText(ORG)
    _save(wizard, out_dir, "wizard_02_org", saved)
    wizard.next()
    form = wizard.questions_page.form
    assert form is not None
    for qid in list(ANSWERS)[:3]:
        row = form.rows[qid]
        (row.yes if ANSWERS[qid] else row.no).setChecked(True)
    _save(wizard, out_dir, "wizard_03_questions_partly", saved)
    for qid, value in ANSWERS.items():
        row = form.rows[qid]
        (row.yes if value else row.no).setChecked(True)
    form.verticalScrollBar().setValue(form.verticalScrollBar().maximum())
    _save(wizard, out_dir, "wizard_03_questions_answered", saved)
    wizard.next()
    wizard.done_page.tree.set_checked("1.1", True)
    wizard.done_page.tree.setCurrentItem(wizard.done_page.tree.item_for("1.1"))
    _save(wizard, out_dir, "wizard_04_done", saved)
    wizard.next()
    exclude = wizard.exclude_page
    exclude.tree.set_checked("1.7", True)
    exclude.tree.set_checked("3.3.6", True)
    exclude.tree.setCurrentItem(exclude.tree.item_for("1.7"))
    _save(wizard, out_dir, "wizard_05_exclude_no_basis", saved)
    exclude.basis_edit.setText(BASIS)
    exclude.set_basis("1.7", BASIS)
    exclude.set_basis("3.3.6", BASIS)
    _save(wizard, out_dir, "wizard_05_exclude", saved)
    wizard.next()
    defaults = wizard.defaults_page
    defaults.responsible_edit.setText("Отдел организационной работы и кадров")
    defaults.deadline_edit.setText("31.12.2026")
    _save(wizard, out_dir, "wizard_06_defaults", saved)
    wizard.next()
    approval = wizard.approval_page
    approval.position_edit.setPlainText("Министр труда и социальной защиты\nТульской области")
    approval.name_edit.setText("А.А. Филиппов")
    approval.date_check.setChecked(True)
    _save(wizard, out_dir, "wizard_07_approval", saved)
    wizard.next()
    _save(wizard, out_dir, "wizard_08_summary", saved)


def save_wizard_shots(out_dir: Path) -> list[Path]:
    """Saves a PNG of every wizard page and of the answers dialog; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cxdesk-shots-") as tmp:
        store = Store(Path(tmp))
        try:
            wizard = PlanWizard(None)
            wizard.confirm_cancel = False
            wizard.show()
            _fill_and_shoot(wizard, out_dir, saved)
            plan_id = create_plan(store, wizard.request()).plan_id
            wizard.close()
            wizard.deleteLater()

            host = QWidget()  # the dialog runs its previews on the runner of its window
            host.tasks = Tasks(store, synchronous=True, parent=host)  # type: ignore[attr-defined]
            dialog = AnswersDialog(host, load_answers(store, plan_id))
            dialog.show()
            _save(dialog, out_dir, "answers_01_saved", saved)
            form = dialog.form
            form.rows["it_support"].yes.setChecked(True)
            form.rows["performs_control"].no.setChecked(True)
            form.ensureWidgetVisible(form.rows["performs_control"], 0, 0)
            _save(dialog, out_dir, "answers_02_changed", saved)
            dialog.close()
            dialog.deleteLater()
            host.deleteLater()
            app.processEvents()
        finally:
            store.close()
    return saved


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tools/shots_wizard.py OUT_DIR\n")
        return 2
    for path in save_wizard_shots(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
