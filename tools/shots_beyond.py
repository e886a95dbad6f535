"""Screenshots of «Beyond the spreadsheet» in the window: the check against the typical plan, the
summary with its charts, the guidance beside an item, the deadlines banner, the report dialog.

Usage: ``python tools/shots_beyond.py OUT_DIR`` (offscreen; no display needed). The plans are
those a regional coordinator collects: three ministries of the Tula region at different stages
(the test fixtures' ministry of labour; a ministry of health well ahead, whose plan came back with
an item dropped and a wording changed; a ministry of education just starting) and the region's own
plan. The date is fixed (CXDESK_TODAY, default 2026-11-23).
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

from sqlalchemy import delete  # noqa: E402

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from cxdesk.services.attachments import attach_files  # noqa: E402
from cxdesk.services.items import update_item  # noqa: E402
from cxdesk.storage.db import Store  # noqa: E402
from cxdesk.storage.models import Row  # noqa: E402
from tests.ui.helpers import agency_plan, region_plan, row_id  # noqa: E402

from ui import msgbox  # noqa: E402
from ui.app import install_translations  # noqa: E402
from ui.beyond.guidance_section import GuidanceSection  # noqa: E402
from ui.mainwindow import MainWindow  # noqa: E402
from ui.settings import Settings, set_application_names  # noqa: E402
from ui.tasks import Tasks  # noqa: E402

HEALTH = "Министерство здравоохранения Тульской области"
EDUCATION = "Министерство образования Тульской области"
REGION = "Правительство Тульской области"
SIZE = (1280, 800)

#: item → fields, for the ministry of health (well ahead).
HEALTH_EDITS: list[tuple[str, dict[str, str]]] = [
    ("1.3", {"status": "done", "result": "Приказ от 05.10.2026 № 512-о"}),
    ("1.4", {"deadline": "30.11.2026", "responsible": "Волкова Н. С., начальник отдела "
             "организации медицинской помощи", "status": "in_progress"}),
    ("1.6", {"status": "done", "result": "Карты клиентских путей по 14 услугам"}),
    ("1.7", {"deadline": "04.12.2026", "responsible": "Гусев П. Р., заместитель министра"}),
    ("2.2", {"status": "done", "result": "Отчёт о самооценке от 01.11.2026"}),
    ("2.3", {"status": "done"}),
    ("3.1.1", {"status": "done", "result": "Перечень утверждён приказом № 601-о"}),
    ("3.1.2", {"status": "done", "result": "Сегментация по 14 услугам"}),
    ("3.1.3", {"deadline": "15.12.2026", "status": "in_progress",
               "responsible": "Гусев П. Р.\nВолкова Н. С."}),
]  # fmt: skip
#: the ministry of education (just starting).
EDUCATION_EDITS: list[tuple[str, dict[str, str]]] = [
    ("1.1", {"deadline": "01.06.2026", "status": "in_progress",
             "responsible": "Белова О. Ю., первый заместитель министра"}),
    ("1.2", {"deadline": "01.09.2026", "responsible": "Белова О. Ю."}),
    ("1.4", {"deadline": "03.12.2026", "responsible": "Котов Д. А., начальник отдела "
             "цифровой трансформации"}),
    ("2.1", {"status": "done", "result": "Приказ от 10.04.2026 № 77-к"}),
]  # fmt: skip
REGION_EDITS: list[tuple[str, dict[str, str]]] = [
    ("1.1", {"status": "done", "result": "Распоряжение Губернатора от 12.01.2024 № 4-рг"}),
    ("1.2", {"status": "done", "result": "Постановление от 02.02.2024 № 51"}),
    ("1.3", {"status": "in_progress"}),
]


def _attach(store: Store, folder: Path, plan_id: int, number: str, name: str) -> None:
    path = folder / name
    path.write_bytes(b"%PDF-1.4 sample")
    attach_files(store, plan_id, number, [path])


def sample_plans(store: Store, folder: Path) -> dict[str, int]:
    """The four plans of the screenshots; returns their ids by short name."""
    labour = agency_plan(store)
    _attach(store, folder, labour, "1.1", "Приказ 87-од от 12.03.2026.pdf")
    health = agency_plan(store, HEALTH)
    for number, values in HEALTH_EDITS:
        update_item(store, health, number, values, "")
    for number in ("1.1", "1.2", "1.3", "1.6", "2.1"):
        _attach(store, folder, health, number, f"Приказ к пункту {number}.pdf")
    _attach(store, folder, health, "2.2", "Отчет о самооценке.pdf")
    update_item(store, health, "1.2", {"title": "Утверждена модель клиентоцентричности "
                "министерства"}, "")  # fmt: skip
    with store.session() as s:  # the plan came back from the ministry without one item
        s.execute(delete(Row).where(Row.plan_id == health, Row.ref == "agency:3.1.4"))
    education = agency_plan(store, EDUCATION)
    for number, values in EDUCATION_EDITS:
        update_item(store, education, number, values, "")
    region = region_plan(store, REGION)
    for number, values in REGION_EDITS:
        update_item(store, region, number, values, "")
    return {"labour": labour, "health": health, "education": education, "region": region}


def _save(widget: QWidget, out_dir: Path, name: str, saved: list[Path]) -> None:
    for _ in range(4):
        QApplication.processEvents()
    path = out_dir / f"{name}.png"
    widget.grab().save(str(path))
    saved.append(path)


def save_beyond_shots(out_dir: Path) -> list[Path]:
    """Saves the PNGs; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    set_application_names()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app)  # type: ignore[arg-type]
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cxdesk-shots-") as tmp, msgbox.capture():
        folder = Path(tmp)
        store = Store(folder / "data")
        plans = sample_plans(store, folder)
        window = MainWindow(store, Settings.in_file(folder / "window.ini"), Tasks(store, True))
        try:
            window.resize(*SIZE)
            window.reload_plans(select=plans["labour"])
            window.show()
            _save(window, out_dir, "beyond_01_upcoming_banner", saved)
            window.beyond_upcoming.hide()  # type: ignore[attr-defined]

            import ui.beyond as feature

            window.open_plan(plans["health"])
            dock = feature.check_plan(window)
            _save(window, out_dir, "beyond_02_audit", saved)
            missing = dock.tree.topLevelItem(0).child(0)
            dock.tree.setCurrentItem(missing)
            dock._activated(missing)
            _save(window, out_dir, "beyond_03_audit_missing", saved)
            dock.hide()

            window.select_row(row_id(store, plans["health"], "3.1.3"))
            window.plan_splitter.setSizes([230, 530])
            section = window.findChild(GuidanceSection, "guidanceSection")
            scroll = window.panel.findChild(QScrollArea)
            assert section is not None and scroll is not None
            QApplication.processEvents()
            scroll.verticalScrollBar().setValue(section.y() - 8)
            _save(window, out_dir, "beyond_04_guidance", saved)
            section.set_open(False)
            _save(window.panel, out_dir, "beyond_05_guidance_collapsed", saved)
            section.set_open(True)

            summary = feature.show_summary(window)
            _save(summary, out_dir, "beyond_06_summary_bodies", saved)
            summary.tabs.setCurrentIndex(1)
            _save(summary, out_dir, "beyond_07_summary_items", saved)
            summary.tabs.setCurrentIndex(2)
            _save(summary, out_dir, "beyond_08_summary_blocks", saved)
            summary.resize(820, 600)
            summary.tabs.setCurrentIndex(0)
            _save(summary, out_dir, "beyond_09_summary_narrow", saved)
            summary.close()

            from ui.beyond.files import report_dialog

            made: list = []
            report_dialog(window, then=made.append)
            while not made:  # the plan is read on the window's runner
                QApplication.processEvents()
            dialog = made[0]
            assert dialog is not None
            dialog.show()
            _save(dialog, out_dir, "beyond_10_report_dialog", saved)
            dialog.close()
        finally:
            window.close()
            store.close()
    return saved


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tools/shots_beyond.py OUT_DIR\n")
        return 2
    for path in save_beyond_shots(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
