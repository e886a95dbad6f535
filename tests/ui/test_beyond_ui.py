"""Beyond the spreadsheet in the window, on a real store: the check against the typical plan, the
summary with its tables and charts, the guidance beside an item, the calendar, the progress report
and the deadlines banner at start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem, QWidget

from cxdesk.domain.building import PlanRequest
from cxdesk.services.calendar_export import calendar_rows
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from cxdesk.storage.models import Row
from tests.ui.helpers import AGENCY_ANSWERS, AGENCY_ORG, agency_plan, region_plan, row_id

from ui import msgbox
from ui import settings as S
from ui.beyond.audit_dock import AuditDock
from ui.beyond.charts import SEGMENTS, segment_widths
from ui.beyond.files import ReportDialog, report_dialog, save_calendar
from ui.beyond.summary_models import VALUE_ROLE, number_key
from ui.beyond.summary_window import SummaryWindow
from ui.mainwindow import MainWindow
from ui.settings import Settings
from ui.tasks import Tasks

#: The offscreen platform says this whenever a main window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Make = Callable[..., MainWindow]
HEALTH = "Министерство здравоохранения Тульской области"
REGION = "Пермский край"


@pytest.fixture
def boxes() -> Iterator[list[msgbox.Shown]]:
    with msgbox.capture() as shown:
        yield shown


@pytest.fixture
def make_window(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list, monkeypatch: pytest.MonkeyPatch
) -> Make:
    """A window on the test's store, with settings in an ini file of the test's own."""
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")

    def make(ini: str = "settings.ini") -> MainWindow:
        window = MainWindow(store, Settings.in_file(tmp_path / ini), Tasks(store, True))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def children(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    out = []
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        out += [group.child(j) for j in range(group.childCount())]
    return out


def double_click(qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    tree.scrollToItem(item)
    center = tree.visualItemRect(item).center()
    # a real double-click starts with a click: the view acts only on the row it saw pressed
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=center)


def click(qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())  # fmt: skip


# --- the check against the typical plan ------------------------------------------------------
def test_audit_shows_a_missing_item_and_double_click_selects_items(
    qtbot: QtBot, make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    plan_id = agency_plan(store)
    with store.session() as s:  # the plan came back without item 3.1.4
        s.execute(delete(Row).where(Row.plan_id == plan_id, Row.ref == "agency:3.1.4"))
    window = make_window()
    window.beyond_actions["audit"].trigger()
    dock = window.findChild(AuditDock, "auditDock")
    assert dock is not None and dock.isVisible()
    groups = [dock.tree.topLevelItem(i).text(0) for i in range(dock.tree.topLevelItemCount())]
    assert groups == [
        "Отсутствует обязательный пункт (1)",
        "Выполнено без подтверждающего документа (3)",
    ]
    missing = dock.tree.topLevelItem(0).child(0)
    assert (missing.text(0), missing.data(0, Qt.ItemDataRole.UserRole + 1).problem) == (
        "3.1.4.",
        "missing",
    )
    assert missing.text(1).startswith("нет в плане: Утвержден порядок (правила)")
    dock.tree.setCurrentItem(missing)
    assert "взаимодействия с клиентом" in dock.detail.toPlainText()
    assert "в разделе 3.1" in dock.detail.toPlainText()

    proof = next(i for i in children(dock.tree) if i.text(0) == "1.2.")
    double_click(qtbot, dock.tree, proof)
    assert window.panel.row is not None and window.panel.row.number == "1.2."

    double_click(qtbot, dock.tree, missing)  # an absent item: its section is selected
    assert window.panel.row is not None and window.panel.row.number == "3.1."

    other = next(i for i in children(dock.tree) if i.text(0) == "2.1.")
    dock.tree.setCurrentItem(other)
    dock.tree.setFocus()
    qtbot.keyClick(dock.tree, Qt.Key.Key_Return)
    assert window.panel.row.number == "2.1."

    got: list[Path | None] = []
    dock.export(tmp_path / "Проверка.xlsx", got.append)
    out = got[0]
    assert got == [tmp_path / "Проверка.xlsx"] and out is not None and out.exists()
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "Отсутствует обязательный пункт" in cells
    assert boxes[-1].text == "Список замечаний сохранён в файл «Проверка.xlsx»."


def test_audit_of_a_plan_as_built_says_there_is_nothing(make_window: Make, store: Store) -> None:
    create_plan(store, PlanRequest("agency", "Министерство", answers=dict(AGENCY_ANSWERS)))
    window = make_window()
    window.beyond_actions["audit"].trigger()
    dock = window.beyond_audit
    assert dock.empty.isVisible()
    assert dock.empty.text() == "Замечаний нет: план соответствует типовому."
    assert dock.tree.topLevelItemCount() == 0


def test_audit_follows_changes_of_the_plan(make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.beyond_actions["audit"].trigger()
    dock = window.beyond_audit
    assert len(dock.findings) == 3
    window.edit_item(row_id(store, plan_id, "1.4"), {"status": "done"}, "")
    assert len(dock.findings) == 4  # one more done without a document


# --- the summary -----------------------------------------------------------------------------
def three_plans(store: Store) -> dict[str, int]:
    labour = agency_plan(store)
    health = agency_plan(store, HEALTH)
    for number in ("1.3", "1.6", "2.2"):
        update_item(store, health, number, {"status": "done"}, "")
    return {"labour": labour, "health": health, "region": region_plan(store, REGION)}


#: org → (items, done, in progress, overdue, not started)
EXPECTED = {
    AGENCY_ORG: (47, 3, 1, 7, 36),
    HEALTH: (47, 6, 0, 5, 36),
    REGION: (38, 0, 0, 8, 30),
}


def test_summary_over_three_plans(
    qtbot: QtBot, qtmodeltester, make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    three_plans(store)
    window = make_window()
    window.beyond_actions["summary"].trigger()
    summary = window.findChild(SummaryWindow, "summaryWindow")
    assert summary is not None and summary.isVisible()
    model = summary.plans_model
    qtmodeltester.check(model)
    qtmodeltester.check(summary.items_model)
    keys = [c.key for c in model.columns]
    got = {}
    for r in range(model.rowCount()):
        values = [model.index(r, c).data(VALUE_ROLE) for c in range(model.columnCount())]
        got[values[0]] = tuple(
            values[keys.index(k)]
            for k in ("items", "done", "in_progress", "overdue", "not_started")
        )
    assert got == {**EXPECTED, "Итого": (132, 9, 1, 20, 102)}
    share = model.index(1, keys.index("share"))
    assert share.data() == "12,8 %"

    chart = summary.bodies_chart
    assert [r.label for r in chart.rows] == list(EXPECTED)
    for row in chart.rows:
        items, done, in_progress, overdue, not_started = EXPECTED[row.label]
        assert row.values == {"done": done, "in_progress": in_progress, "overdue": overdue,
                              "not_started": not_started}  # fmt: skip
        assert row.total == items
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() > 300
    done_colour = SEGMENTS[0].base.rgb()
    painted = sum(
        image.pixel(x, y) == done_colour
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )
    assert painted > 50
    blocks = summary.blocks_chart
    assert [r.label for r in blocks.rows if r.heading] == [
        "Орган исполнительной власти субъекта РФ",
        "Субъект Российской Федерации",
    ]
    assert sum(r.total for r in blocks.bars()) == 132
    assert not blocks.grab().toImage().isNull()

    # the typical plan's items: the bodies behind each count are in the tooltip
    items = summary.items_model
    assert items.template_id == "agency"
    line = next(r for r in range(items.rowCount()) if items.line(r).ref == "agency:1.5")
    overdue = items.index(line, [c.key for c in items.columns].index("overdue"))
    assert overdue.data() == "1"
    assert overdue.data(Qt.ItemDataRole.ToolTipRole) == f"Просрочено:\n• {AGENCY_ORG}"

    # the totals line stays last when sorted
    summary.plans_table.sortByColumn(keys.index("done"), Qt.SortOrder.DescendingOrder)
    orgs = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert orgs == [HEALTH, AGENCY_ORG, REGION, "Итого"]

    # fewer plans chosen: the summary follows
    summary.plans_box.item(2).setCheckState(Qt.CheckState.Unchecked)
    assert [r.label for r in chart.rows] == [AGENCY_ORG, HEALTH]
    assert model.index(model.rowCount() - 1, 1).data(VALUE_ROLE) == 94

    got: list[Path | None] = []
    summary.export(tmp_path / "Сводка.xlsx", got.append)
    assert got == [tmp_path / "Сводка.xlsx"] and got[0] is not None and got[0].exists()
    assert boxes[-1].text == "Сводка сохранена в файл «Сводка.xlsx»."


def test_summary_orders_numbers_as_numbers() -> None:
    assert sorted(["3.10.2", "3.9.1", "3.²", "1."], key=number_key) == [
        "1.",
        "3.²",
        "3.9.1",
        "3.10.2",
    ]


def test_a_segment_is_wide_enough_for_its_number() -> None:
    widths = segment_widths([3, 1, 7, 36], 470, [20, 20, 20, 28])
    assert sum(widths) == 470
    assert all(w >= 20 for w in widths)
    assert widths[3] > widths[2] > widths[0]
    assert segment_widths([1, 0, 0, 0], 100, [20] * 4) == [100, 0, 0, 0]
    assert sum(segment_widths([1, 1, 1, 1], 30, [20] * 4)) == 30  # no room: proportional


# --- guidance in the item panel --------------------------------------------------------------
def test_guidance_shows_for_agency_3_1_3_and_hides_elsewhere(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "3.1.3"))
    qtbot.waitUntil(lambda: window.findChild(QWidget, "guidanceSection") is not None)
    section = window.findChild(QWidget, "guidanceSection")
    assert window.panel.row.ref == "agency:3.1.3"
    assert section.isVisible()
    assert section.toggle.text() == "Рекомендации Аналитического центра (2)"  # 5.1.6 and 6.1.6
    text = section.text.text()
    assert "п. 5.1.6 Рекомендаций" in text
    assert "Методика" in text and "Провести опрос среди внешних клиентов" in text
    assert "Ожидаемый результат:</b> Аналитический отчет" in text
    assert "форма № 1 приложения № 3 к Методике ОС" in text
    assert section.text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse

    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert not section.frame.isVisible()
    assert window.settings.get(S.GUIDANCE_OPEN) is False
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert section.frame.isVisible()

    window.select_row(row_id(store, plan_id, "1.1"))
    assert section.isHidden()
    window.select_row(row_id(store, plan_id, "1.7"))  # agency:1.6, two recommendations
    assert section.isVisible() and section.toggle.text().endswith("(2)")


# --- calendar and report ---------------------------------------------------------------------
def test_calendar_writes_an_ics_that_icalendar_reads(
    make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    got: list[Path | None] = []
    save_calendar(window, tmp_path / "Сроки.ics", then=got.append)
    assert got == [tmp_path / "Сроки.ics"]
    out = got[0]
    calendar = Calendar.from_ical(out.read_bytes())
    events = calendar.walk("VEVENT")
    plan = get_plan(store, plan_id)
    expected = calendar_rows(plan, include_past=False)  # only what is still to come, by default
    assert len(calendar_rows(plan)) > len(expected)  # the plan has overdue items too
    assert any("Только предстоящие" not in b.text and "уже прошли" in b.text for b in boxes)
    assert len(events) == len(expected) > 0
    assert {str(e["summary"]).split(" ", 1)[0] for e in events} == {r.number for r in expected}
    from cxdesk.text import plural

    assert boxes[-1].text == (
        f"В календарь «Сроки.ics» записано {plural(len(expected), 'срок', 'срока', 'сроков')}."
    )


def test_report_dialog_writes_the_report(
    make_window: Make, store: Store, tmp_path: Path, boxes: list
) -> None:
    agency_plan(store)
    window = make_window()
    made: list[ReportDialog | None] = []
    report_dialog(window, then=made.append)
    dialog = made[0]
    assert dialog is not None
    assert dialog.as_of.displayFormat() == "dd.MM.yyyy" and dialog.as_of.calendarPopup()
    assert dialog.as_of.date().toString("dd.MM.yyyy") == "23.11.2026"
    assert Path(dialog.path_edit.text()).name == (f"{AGENCY_ORG} — отчёт о ходе на 23.11.2026.docx")
    dialog.path_edit.setText(str(tmp_path / "Отчёт"))
    dialog.accept()
    assert dialog.written == tmp_path / "Отчёт.docx"
    assert dialog.written.exists()


def test_report_and_calendar_run_on_the_database_thread(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a threaded runner the flows go on when their work is done: the dialog's button
    waits meanwhile (one report however often it is pressed), and each flow ends once."""
    monkeypatch.setenv("CXDESK_NO_OPEN", "1")
    agency_plan(store)
    window = MainWindow(store, Settings.in_file(tmp_path / "s.ini"), Tasks(store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.current_plan_id is not None and not window.tasks.pending)
    made: list[ReportDialog | None] = []
    report_dialog(window, then=made.append)
    assert made == []  # the plan is still being read
    qtbot.waitUntil(lambda: bool(made))
    dialog = made[0]
    assert dialog is not None
    dialog.path_edit.setText(str(tmp_path / "Отчёт"))
    dialog.accept()
    assert not dialog.save_button.isEnabled() and dialog.written is None
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert dialog.save_button.isEnabled() and (tmp_path / "Отчёт.docx").stat().st_size > 0
    ends: list[Path | None] = []
    save_calendar(window, tmp_path / "Сроки.ics", then=ends.append)
    qtbot.waitUntil(lambda: bool(ends), timeout=20000)
    assert ends == [tmp_path / "Сроки.ics"] and Calendar.from_ical(ends[0].read_bytes())
    window.tasks.shutdown()


# --- the deadlines banner at start -----------------------------------------------------------
def test_upcoming_banner_lists_what_falls_due_within_14_days(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    labour = agency_plan(store)  # 1.4 is due 01.12.2026, 2.2 on 10.12.2026 (17 days on)
    region = region_plan(store, REGION)
    update_item(store, region, "1.1", {"deadline": "30.11.2026", "responsible": "Орлов К. К."}, "")
    window = make_window()
    qtbot.waitUntil(lambda: getattr(window, "beyond_upcoming", None) is not None
                    and window.beyond_upcoming.isVisible())  # fmt: skip
    banner = window.beyond_upcoming
    lines = [
        [banner.list.topLevelItem(i).text(c) for c in range(5)]
        for i in range(banner.list.topLevelItemCount())
    ]
    assert [line[:3] for line in lines] == [
        ["30.11.2026", REGION, "1.1"],
        ["01.12.2026", AGENCY_ORG, "1.4"],
    ]
    assert lines[0][4] == "Орлов К. К."
    assert not any(line[2] == "2.2" for line in lines)
    assert window.current_plan_id == labour

    click(qtbot, banner.list, banner.list.topLevelItem(0))
    assert window.current_plan_id == region
    assert window.panel.row is not None and window.panel.row.number == "1.1."

    banner.no_start.setChecked(True)
    banner.close_button.click()
    assert not banner.isVisible()
    again = make_window()
    QApplication.processEvents()
    QApplication.processEvents()
    assert getattr(again, "beyond_upcoming", None) is None or not again.beyond_upcoming.isVisible()
    window.beyond_actions["upcoming"].trigger()  # from the menu, whatever the setting
    assert banner.isVisible()


def test_no_banner_when_nothing_falls_due(qtbot: QtBot, make_window: Make, store: Store) -> None:
    region_plan(store, REGION)
    window = make_window()
    QApplication.processEvents()
    QApplication.processEvents()
    banner = getattr(window, "beyond_upcoming", None)
    assert banner is None or not banner.isVisible()


def test_counts_agree_and_a_section_is_no_block(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """The header, the status bar, the plans list and the summary count the same items
    (excluded ones apart), and an imported plan's section row (at the top level, as a file gives
    it) stays part of its block in the chart by block."""
    from sqlalchemy import update

    from cxdesk.storage.models import Plan

    plan_id = agency_plan(store)  # one item excluded by agreement
    with store.session() as s:  # as an imported file gives it: no template, sections on top
        s.execute(update(Plan).where(Plan.id == plan_id).values(template_id=""))
        s.execute(update(Row).where(Row.plan_id == plan_id).values(ref=""))
        s.execute(update(Row).where(Row.plan_id == plan_id, Row.kind == "section").values(depth=0))
    plan = get_plan(store, plan_id)
    items = len(plan.items())
    excluded = sum(r.status == "excluded" for r in plan.items())
    assert excluded == 1
    window = make_window()
    header = window.filter_bar.count.text()
    from ui.mainwindow.plans_list import counts_text

    listed = counts_text(window.plans_list.model.plans[0])  # what the list's delegate paints
    tip = window.plans_list.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"из {items - excluded} " in tip
    assert header == f"Пунктов: {items - excluded}"
    assert "исключённые (1)" in window.filter_bar.count.toolTip()
    assert f"из {items - excluded}" in listed
    assert f"из {items - excluded} " in window.status_bar.progress.text()
    window.beyond_actions["summary"].trigger()
    summary = window.findChild(SummaryWindow, "summaryWindow")
    bars = summary.blocks_chart.bars()
    blocks = [r for r in plan.rows if r.kind == "block"]
    assert [b.label for b in bars] == [f"{b.number} {b.title}" for b in blocks]
    assert sum(b.total for b in bars) == items - excluded


def test_item_panel_never_scrolls_sideways_with_a_long_link(
    qtbot: QtBot, make_window: Make, store: Store, tmp_path: Path
) -> None:
    """Guidance holding a long address wraps it; the panel has no sideways scroll, its fields are
    as wide as the panel, with the audit panel open too."""
    from dataclasses import replace

    from ui.beyond.guidance_section import guidance_html

    plan_id = agency_plan(store)
    window = make_window()
    window.resize(1100, 760)
    window.select_row(row_id(store, plan_id, "3.1.3"))
    qtbot.waitUntil(lambda: window.findChild(QWidget, "guidanceSection") is not None)
    section = window.findChild(QWidget, "guidanceSection")
    long_url = "https://ac.gov.ru/uploads/2-Publications/rus_klientocentrichnost/" + "x" * 150
    section.text.setText(
        guidance_html(
            [replace(g, links=[*g.links, ("Методика", long_url)]) for g in section.guidance]
        )  # fmt: skip
    )
    window.beyond_actions["audit"].trigger()
    qtbot.wait(50)
    from PySide6.QtWidgets import QScrollArea

    panel = window.panel
    scroll = panel.findChild(QScrollArea)
    viewport = scroll.viewport()
    body = scroll.widget()
    qtbot.wait(50)
    assert body.width() <= viewport.width()
    assert not scroll.horizontalScrollBar().isVisible()
    assert scroll.horizontalScrollBar().maximum() == 0
    result = panel.editors["result"]
    assert result.mapTo(body, result.rect().topRight()).x() <= viewport.width()
    panel.grab().save(str(tmp_path / "panel.png"))


def test_calendar_with_past_deadlines_on_request(
    make_window: Make, store: Store, tmp_path: Path
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    with msgbox.capture(answer=False):  # «Все, и прошедшие»
        got: list[Path | None] = []
        save_calendar(window, tmp_path / "все.ics", then=got.append)
    out = got[0]
    assert out is not None
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert len(events) == len(calendar_rows(get_plan(store, plan_id)))


def test_panel_sections_are_made_after_the_first_item_shows(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """The panel's later sections cost the start 30 ms: none exists before an item is shown;
    they come just after the first one, showing it, and asking for them makes them at once."""
    from ui.mainwindow.item_panel import ItemPanel

    plan_id = agency_plan(store)
    bare = ItemPanel(make_window())
    qtbot.addWidget(bare)
    assert bare.findChild(QWidget, "guidanceSection") is None
    assert [type(s).__name__ for s in bare.sections] == ["AttachmentsSection", "GuidanceSection"]
    assert bare.findChild(QWidget, "guidanceSection") is not None  # asked for: made at once

    window = make_window("other.ini")
    qtbot.waitUntil(lambda: window.panel.row is not None)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "guidanceSection") is not None)
    window.select_row(row_id(store, plan_id, "3.1.3"))
    section = window.findChild(QWidget, "guidanceSection")
    assert section.isVisible() and "п. 5.1.6 Рекомендаций" in section.text.text()
    assert len(window.panel.sections) == 2  # made once
