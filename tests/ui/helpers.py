"""Sample plans for the window's tests, the screenshots and the big-plan measurement.

:func:`agency_plan` makes a realistic plan of a regional body through the services (some items
done with results, some in progress, overdue ones, one upcoming, one excluded with its basis,
several responsible people); :func:`big_plan` adds rows straight to the store until a plan has
thousands of items (fast; only for measuring). :func:`when_shown` drives a modal dialog that
opens later, as the window's flows open theirs once their work is done.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from cxdesk.domain.building import PlanRequest
from cxdesk.services.common import new_uid
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan, exclude_item
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.storage.models import Plan, Row

AGENCY_ORG = "Министерство труда и социальной защиты Тульской области"
AGENCY_ANSWERS = {
    "has_subordinates": True,
    "provides_services": True,
    "has_vg_services": True,
    "region_unified_registry": False,
    "region_unified_feedback": False,
    "own_hr_service": True,
    "provides_support_measures": True,
    "performs_control": False,
    "it_support": False,
    "accounting": False,
    "admin_economic": False,
}
REGION_ANSWERS = {
    "hr_centralized": True,
    "hr_independent": True,
    "it_centralized": False,
    "accounting_centralized": False,
    "admin_centralized": False,
}
BASIS = "письмо Аналитического центра от 14.02.2025 № 11-05/1234"

#: item number → fields; applied in this order (statuses with comments go into the history).
AGENCY_EDITS: list[tuple[str, dict[str, str], str]] = [
    ("1.1", {"responsible": "Иванова Е. А., заместитель министра", "deadline": "31.03.2026"}, ""),
    ("1.1", {"status": "in_progress"}, "проект приказа на согласовании"),
    (
        "1.1",
        {
            "status": "done",
            "result": "Приказ министерства от 12.03.2026 № 87-од «О назначении "
            "ответственного за внедрение клиентоцентричности»",
        },
        "приказ подписан",
    ),  # fmt: skip
    (
        "1.2",
        {
            "responsible": "Иванова Е. А.\nПетров С. В., начальник отдела организационной работы",
            "deadline": "30.06.2026",
            "status": "done",
            "result": "Приказ от 24.06.2026 № 203-од, модель размещена на портале",
        },
        "",
    ),  # fmt: skip
    (
        "1.3",
        {
            "responsible": "Руководители подведомственных учреждений\nПетров С. В.",
            "deadline": "31.10.2026",
            "status": "in_progress",
        },
        "получены приказы 7 из 12 учреждений",
    ),  # fmt: skip
    (
        "1.4",
        {
            "responsible": "Сидорова М. И., консультант отдела цифровой трансформации",
            "deadline": "01.12.2026",
        },
        "",
    ),  # fmt: skip
    ("1.5", {"responsible": "Сидорова М. И.", "deadline": "I квартал 2027 года"}, ""),
    (
        "1.6",
        {
            "responsible": "Кузнецов А. Н., начальник отдела предоставления услуг",
            "deadline": "15.09.2026",
            "status": "in_progress",
        },
        "",
    ),  # fmt: skip
    ("1.7", {"responsible": "Кузнецов А. Н.", "deadline": "IV квартал 2026 года"}, ""),
    (
        "2.1",
        {
            "responsible": "Орлова Т. В., начальник отдела кадров",
            "status": "done",
            "result": "Приказ от 02.02.2026 № 31-к",
        },
        "",
    ),  # fmt: skip
    ("2.2", {"responsible": "Орлова Т. В.", "deadline": "10.12.2026", "status": "in_progress"}, ""),
]
EXCLUDED = "1.8"


def agency_plan(store: Store, org: str = AGENCY_ORG) -> int:
    """A plan of a regional body with realistic progress; returns its id."""
    plan_id = create_plan(
        store, PlanRequest(template_id="agency", org=org, answers=dict(AGENCY_ANSWERS))
    ).plan_id
    for number, values, note in AGENCY_EDITS:
        update_item(store, plan_id, number, values, note)
    exclude_item(store, plan_id, EXCLUDED, BASIS)
    return plan_id


def region_plan(store: Store, org: str = "Пермский край") -> int:
    """A plan of a region: its template gives «VI квартал 2023 года», an unreadable deadline."""
    return create_plan(
        store, PlanRequest(template_id="region", org=org, answers=dict(REGION_ANSWERS))
    ).plan_id


def row_id(store: Store, plan_id: int, number: str) -> int:
    """The id of the row shown with ``number`` («1.4»)."""
    want = number.rstrip(".")
    for r in get_plan(store, plan_id).rows:
        if r.number.rstrip(".") == want:
            return r.id
    raise KeyError(number)


def big_plan(store: Store, items: int = 5000) -> int:
    """A plan of ``items`` items (blocks of sections of 25 items), written straight to the store."""
    plan_id = create_plan(
        store, PlanRequest(template_id="agency", org="Большой план", answers=dict(AGENCY_ANSWERS))
    ).plan_id
    people = ["Иванова Е. А.", "Петров С. В.", "Сидорова М. И.", "Кузнецов А. Н."]
    statuses = ["not_started", "in_progress", "done", "not_started"]
    with store.session() as s:
        plan = s.get(Plan, plan_id)
        assert plan is not None
        start = len(s.scalars(select(Row.id).where(Row.plan_id == plan_id)).all())
        rows = []
        position = start
        made = 0
        block = 0
        while made < items:
            block += 1
            rows.append(_row(plan_id, position, 0, "block", f"{100 + block}.", f"Блок {block}"))
            position += 1
            for section in range(1, 9):
                if made >= items:
                    break
                number = f"{100 + block}.{section}."
                rows.append(_row(plan_id, position, 1, "section", number, f"Раздел {number}"))
                position += 1
                for k in range(1, 26):
                    if made >= items:
                        break
                    due_month = 1 + (made % 12)
                    rows.append(
                        _row(
                            plan_id,
                            position,
                            2,
                            "item",
                            f"{number}{k}.",
                            f"Проведена оценка удовлетворенности клиентов по услуге № {made} и "
                            "утвержден план мероприятий по устранению выявленных проблем",
                            deadline=f"28.{due_month:02d}.2026",
                            due_date=f"2026-{due_month:02d}-28",
                            responsible=people[made % 4]
                            + ("\n" + people[(made + 1) % 4] if made % 3 == 0 else ""),
                            status=statuses[made % 4],
                            document="Приказ (распоряжение, иной ненормативный правовой акт) "
                            "органа исполнительной власти субъекта Российской Федерации",
                        )  # fmt: skip
                    )
                    position += 1
                    made += 1
        s.add_all(rows)
    return plan_id


def _row(
    plan_id: int, position: int, depth: int, kind: str, number: str, title: str, **values: str
) -> Row:
    return Row(
        plan_id=plan_id, uid=new_uid(), position=position, depth=depth, kind=kind,
        number=number, title=title, **values,
    )  # fmt: skip


def type_text(widget: QWidget, text: str) -> None:
    """Types ``text`` as key presses (QTest cannot type Cyrillic letters itself)."""
    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def when_shown(kind: type[QDialog], steps: Callable[[QDialog], object]) -> None:
    """Runs ``steps(dialog)`` once a modal ``kind`` is shown (it may open later, after work on
    a threaded runner); if they fail, the dialog is closed, so the test fails instead of
    waiting for it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, poll)
            return
        try:
            steps(dialog)
        except BaseException:
            dialog.done(QDialog.DialogCode.Rejected)
            raise

    QTimer.singleShot(0, poll)
