"""The «График» tab of the main window on each template's plan, driven as a user drives it.

The pictures are checked by their pixels (the bars where the dates say, the today line), the
clicks and drags by what the store holds afterwards and what undo brings back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from cxdesk.domain.building import PlanRequest
from cxdesk.domain.reports import Line
from cxdesk.io.timeline_draw import STATUS_INK, TODAY_INK
from cxdesk.services.items import update_item
from cxdesk.services.plans import create_plan
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, region_plan, row_id

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.mainwindow import status as window_status
from ui.mainwindow.plan_model import ROW_ROLE
from ui.settings import Settings
from ui.tasks import Tasks
from ui.timeline.page import TimelinePage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SHOTS = Path("/tmp/cxdesk-timeline")


@pytest.fixture
def window(qtbot: QtBot, store: Store, tmp_path: Path) -> Iterator[MainWindow]:
    with msgbox.capture():
        w = MainWindow(store, Settings.in_file(tmp_path / "s.ini"), Tasks(store, True))
        qtbot.addWidget(w)
        w.resize(1400, 900)
        w.show()
        qtbot.waitExposed(w)
        yield w


def show_timeline(qtbot: QtBot, window: MainWindow, plan_id: int) -> TimelinePage:
    window.reload_plans(select=plan_id)
    page: TimelinePage = window.timeline
    window.views.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.view.timeline is not None and not page._dirty)
    assert page.view.timeline.org == get_plan(window.store, plan_id).org
    return page


def line(page: TimelinePage, number: str) -> tuple[int, Line]:
    tl = page.view.timeline
    for i, ln in enumerate(tl.lines):
        if ln.number.rstrip(".") == number:
            return i, ln
    raise KeyError(number)


def picture(page: TimelinePage) -> QImage:
    page.view.viewport().repaint()
    return page.view.viewport().grab().toImage()


def pixel(img: QImage, x: float, y: float) -> str:
    return QColor(img.pixel(int(x), int(y))).name()


def to_viewport(page: TimelinePage, x: float, y: float) -> tuple[float, float]:
    sx, sy = page.view.offsets()
    geo = page.view.geo
    return x - sx + geo.label_width, y - sy + geo.header_height


def test_colours_are_the_windows_status_colours() -> None:
    for key, ink in STATUS_INK.items():
        assert window_status.COLORS[key].name() == ink


def test_agency_bars_stand_where_the_dates_say(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    view, tl = page.view, page.view.timeline
    geo = view.geo
    i, done = line(page, "1.1")  # done, «31.03.2026»: a solid green bar ending on that day
    assert (done.status, done.bar.end) == ("done", date(2026, 3, 31))
    view.ensure_visible(done.row_id)
    rect = geo.bar_rect(tl, i, done)
    assert rect.right() == pytest.approx(geo.x_of(tl, date(2026, 4, 1)), abs=0.01)
    img = picture(page)
    x, y = to_viewport(page, rect.right() - 20, rect.center().y())
    assert pixel(img, x, y) == STATUS_INK["done"]
    x_after, _ = to_viewport(page, geo.x_of(tl, date(2026, 4, 20)), 0)
    assert pixel(img, x_after, y) != STATUS_INK["done"]  # nothing after the deadline
    # «I квартал 2027 года»: to the quarter's last day, its first day kept for the bracket
    _i, five = line(page, "1.5")
    assert (five.bar.end, five.bar.window, five.bar.period.kind) == (
        date(2027, 3, 31), date(2027, 1, 1), "span",
    )  # fmt: skip
    _i, seven = line(page, "1.7")  # «IV квартал 2026 года»
    assert (seven.bar.end, seven.bar.window) == (date(2026, 12, 31), date(2026, 10, 1))
    # the item with no deadline, and the excluded one without, are listed apart
    apart = [page.apart.item(k).text() for k in range(page.apart.count())]
    assert any(t.startswith("1.8.") and "срок не указан" in t for t in apart)
    assert page.apart_label.isVisible() and "Не на графике" in page.apart_label.text()
    _shot(window, "agency")


def test_today_is_a_red_line(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    tl, geo = page.view.timeline, page.view.geo
    assert tl.today == date(2026, 11, 23)  # CXDESK_TODAY of the tests, never the wall clock
    page.view.scroll_to_date(tl.today)
    img = picture(page)
    x, _ = to_viewport(page, geo.x_of(tl, tl.today) + geo.ppd / 2, 0)
    column = {pixel(img, x, y) for y in range(int(geo.header_height) + 2, img.height() - 4)}
    assert TODAY_INK in column
    beside = {pixel(img, x + 25, y) for y in range(int(geo.header_height) + 2, img.height() - 4)}
    assert TODAY_INK not in beside


def test_overdue_bars_are_marked(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    i, late = line(page, "1.3")  # in progress, «31.10.2026», today 23.11.2026
    assert late.status == "overdue"
    page.view.ensure_visible(late.row_id)
    img = picture(page)
    rect = page.view.geo.bar_rect(page.view.timeline, i, late)
    # the «!» mark just after the deadline, in the overdue colour
    r = rect.height() * 0.5
    x, y = to_viewport(page, rect.right() + 4 + r * 0.4, rect.center().y() + r * 0.6)
    assert pixel(img, x, y) == STATUS_INK["overdue"]


def test_region_plan_lists_the_misprint_apart(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = region_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    texts = [page.apart.item(k).text() for k in range(page.apart.count())]
    misprint = [k for k, t in enumerate(texts) if "VI квартал 2023 года" in t]
    assert misprint and "срок не распознан" in texts[misprint[0]]
    assert not any(ln.deadline == "VI квартал 2023 года" for ln in page.view.timeline.lines)
    page.apart_label.setChecked(True)
    assert page.apart.isVisible()
    page._apart_chosen(page.apart.item(misprint[0]))
    assert window.panel.row.deadline == "VI квартал 2023 года"
    _shot(window, "region")


def test_pilot_plan_whole_period_runs_across(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = create_plan(window.store, PlanRequest("szn_pilot", "ЦЗН Тульской области")).plan_id
    page = show_timeline(qtbot, window, plan_id)
    tl = page.view.timeline
    whole = [ln for ln in tl.lines if ln.bar and ln.bar.period.kind == "whole"]
    dated = [ln for ln in tl.lines if ln.bar and ln.bar.period.kind in ("point", "span")]
    assert whole and dated
    assert whole[0].bar.start == min(ln.bar.start for ln in dated)
    assert whole[0].bar.end == max(ln.bar.end for ln in dated)
    _shot(window, "szn_pilot")


def test_click_selects_the_item_in_the_tree_and_panel(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    i, ln = line(page, "1.6")
    page.view.ensure_visible(ln.row_id)
    rect = page.view.geo.bar_rect(page.view.timeline, i, ln)
    x, y = to_viewport(page, rect.left() + 10, rect.center().y())
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
    assert window.panel.row.id == ln.row_id
    assert window.tree.currentIndex().data(ROW_ROLE).id == ln.row_id
    assert page.view.selected == ln.row_id
    # and the other way round: a row chosen in the table is chosen here
    other = row_id(window.store, plan_id, "1.2")
    window.select_row(other)
    assert page.view.selected == other


def test_dragging_a_bar_end_changes_the_deadline_and_undoes(
    qtbot: QtBot, window: MainWindow
) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    page.zoom.setCurrentIndex(page.zoom.findData("month"))  # 4 pixels a day: a day is hit
    view = page.view
    i, ln = line(page, "1.4")  # «01.12.2026»
    view.ensure_visible(ln.row_id)
    end = view.bar_end_at(i)
    assert view._grabs_end(end) == i
    tl, geo = view.timeline, view.geo
    target_x, _ = to_viewport(page, geo.x_of(tl, date(2026, 12, 15)) + geo.ppd, 0)
    vp = view.viewport()
    start = QPoint(int(end.x()), int(end.y()))
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, QPoint(int((start.x() + target_x) / 2), start.y()))
    qtbot.mouseMove(vp, QPoint(int(target_x), start.y()))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(target_x), start.y()))

    def stored() -> str:
        return next(r.deadline for r in get_plan(window.store, plan_id).rows if r.id == ln.row_id)

    qtbot.waitUntil(lambda: stored() == "15.12.2026")
    qtbot.waitUntil(lambda: line(page, "1.4")[1].bar.end == date(2026, 12, 15))
    stack = window.undo_group.activeStack()
    assert stack.count() >= 1 and "Срок" in stack.undoText()
    window.undo_group.undo()
    qtbot.waitUntil(lambda: stored() == "01.12.2026")
    qtbot.waitUntil(lambda: line(page, "1.4")[1].bar.end == date(2026, 12, 1))
    window.undo_group.redo()
    qtbot.waitUntil(lambda: stored() == "15.12.2026")


def test_a_whole_period_bar_cannot_be_dragged(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = create_plan(window.store, PlanRequest("szn_pilot", "ЦЗН")).plan_id
    page = show_timeline(qtbot, window, plan_id)
    tl = page.view.timeline
    i = next(k for k, ln in enumerate(tl.lines) if ln.bar and ln.bar.period.kind == "whole")
    page.view.ensure_visible(tl.lines[i].row_id)
    end = page.view.bar_end_at(i)
    assert page.view._grabs_end(end) == -1


def test_the_filter_hides_bars_too(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    before = {ln.number for ln in page.view.timeline.lines if ln.kind == "item"}
    window.filter_bar.set_status("done")
    qtbot.waitUntil(lambda: not page._dirty)
    items = [ln for ln in page.view.timeline.lines if ln.kind == "item"]
    assert items and all(ln.status == "done" for ln in items)
    assert {ln.number for ln in items} < before
    window.filter_bar.clear()
    qtbot.waitUntil(
        lambda: {ln.number for ln in page.view.timeline.lines if ln.kind == "item"} == before
    )


def test_an_edit_in_the_panel_moves_the_bar(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    rid = row_id(window.store, plan_id, "1.4")
    window.edit_item(rid, {"deadline": "II квартал 2027 года"}, "")
    qtbot.waitUntil(lambda: line(page, "1.4")[1].bar.end == date(2027, 6, 30))
    assert line(page, "1.4")[1].bar.window == date(2027, 4, 1)
    update_item(window.store, plan_id, "1.4", {"deadline": "на протяжении всего периода"})
    window.reload_plan()
    qtbot.waitUntil(lambda: line(page, "1.4")[1].bar.period.kind == "whole")


def test_zoom_by_month_quarter_and_year(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    widths = {}
    for zoom in ("month", "quarter", "year"):
        page.zoom.setCurrentIndex(page.zoom.findData(zoom))
        assert page.view.zoom == zoom
        widths[zoom] = page.view.geo.chart_width(page.view.timeline)
        _shot(window, f"zoom-{zoom}")
        if zoom == "month":  # two years and more do not fit: it scrolls
            assert page.view.horizontalScrollBar().maximum() > 0
    assert widths["month"] > widths["quarter"] > widths["year"]


def test_ctrl_g_switches_between_table_and_timeline(qtbot: QtBot, window: MainWindow) -> None:
    agency_plan(window.store)
    window.reload_plans()
    act = window.timeline_action
    act.trigger()
    assert window.views.currentWidget() is window.timeline
    act.trigger()
    assert window.views.currentWidget() is window.tree
    assert act in window.menus["Вид"].actions()


def test_save_the_timeline_from_the_tab(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    page.paper.setCurrentIndex(page.paper.findData("A3"))
    got: list[tuple[Path, int] | None] = []
    page.save_to(tmp_path / "график.pdf", got.append)
    assert got and got[0] is not None
    path, pages = got[0]
    assert path.is_file() and pages >= 1
    assert path.read_bytes().startswith(b"%PDF")


def _shot(window: MainWindow, name: str) -> None:
    """Screenshots to look at beside the table (not compared)."""
    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    window.grab().save(str(SHOTS / f"{name}.png"))


def test_report_dialog_adds_the_timeline(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from ui.beyond.files import report_dialog

    plan_id = agency_plan(window.store)
    window.reload_plans(select=plan_id)
    made: list = []
    report_dialog(window, then=made.append)
    dialog = made[0]
    assert dialog is not None and not dialog.with_timeline.isChecked()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("pdf"))
    dialog.with_timeline.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "Отчёт.pdf"))
    dialog.accept()
    assert dialog.written == tmp_path / "Отчёт.pdf"
    from tests.ui.test_timeline_export import _pdf_text

    assert "График реализации плана" in _pdf_text(dialog.written)


def test_arrow_keys_choose_the_next_row(qtbot: QtBot, window: MainWindow) -> None:
    plan_id = agency_plan(window.store)
    page = show_timeline(qtbot, window, plan_id)
    _i, first = line(page, "1.1")
    window.select_row(first.row_id)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert window.panel.row.number == "1.2."
    qtbot.keyClick(page.view, Qt.Key.Key_Up)
    assert window.panel.row.number == "1.1."


def _template_plan(store: Store, template: str) -> int:
    if template == "agency":
        return agency_plan(store)
    if template == "region":
        return region_plan(store)
    return create_plan(store, PlanRequest("szn_pilot", "ЦЗН Тульской области")).plan_id


def _colours_near(img: QImage, x: float, y: float, spread: int = 2) -> set[str]:
    return {
        pixel(img, x + dx, y + dy)
        for dx in range(-spread, spread + 1)
        for dy in range(-spread, spread + 1)
        if 0 <= x + dx < img.width() and 0 <= y + dy < img.height()
    }


@pytest.mark.parametrize("template", ["agency", "region", "szn_pilot"])
def test_each_template_bars_quarters_and_a_drag(
    qtbot: QtBot, window: MainWindow, template: str
) -> None:
    """On every template's plan: each dated bar ends where its deadline says (outline drawn in
    its status colour), a quarter's bracket spans the quarter, and dragging the end of the first
    dated bar moves its deadline and undoes."""
    from cxdesk.domain.deadlines import parse_deadline

    plan_id = _template_plan(window.store, template)
    page = show_timeline(qtbot, window, plan_id)
    page.zoom.setCurrentIndex(page.zoom.findData("month"))
    view, tl, geo = page.view, page.view.timeline, page.view.geo
    dated = [(i, ln) for i, ln in enumerate(tl.lines) if ln.bar and ln.bar.period.kind in
             ("point", "span")]  # fmt: skip
    assert dated
    for i, ln in dated[:6]:
        assert ln.bar.end == parse_deadline(ln.deadline).due, ln.deadline
        view.ensure_visible(ln.row_id)
        rect = geo.bar_rect(tl, i, ln)
        assert rect.right() == pytest.approx(geo.x_of(tl, ln.bar.end) + geo.ppd)
        img = picture(page)
        x, y = to_viewport(page, max(rect.right() - 8, rect.left() + 1), rect.top())
        assert STATUS_INK[ln.status] in _colours_near(img, x, y), (ln.number, ln.deadline)
    spans = [(i, ln) for i, ln in enumerate(tl.lines) if ln.bar and ln.bar.window]
    for i, ln in spans[:3]:
        first = ln.bar.window
        assert ln.bar.start <= first <= ln.bar.end
        if "квартал" in ln.deadline.lower():  # a quarter: from its first day to its last
            assert first.day == 1 and first.month in (1, 4, 7, 10)
            assert (ln.bar.end - first).days in range(89, 92)
        view.ensure_visible(ln.row_id)
        view.scroll_to_date(first, 0.3)
        img = picture(page)
        rect = geo.bar_rect(tl, i, ln)
        mid = (geo.x_of(tl, first) + rect.right()) / 2
        x, y = to_viewport(page, mid, rect.bottom() + geo.row_height * 0.12)
        assert STATUS_INK[ln.status] in _colours_near(img, x, y, 1), ln.deadline

    i, ln = dated[0]
    old_text, old_end = ln.deadline, ln.bar.end
    view.ensure_visible(ln.row_id)
    view.scroll_to_date(old_end, 0.5)
    end = view.bar_end_at(i)
    new_end = old_end.replace(day=10) if old_end.day > 15 else old_end.replace(day=25)
    target_x, _ = to_viewport(page, geo.x_of(tl, new_end) + geo.ppd, 0)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(end.x()), int(end.y())))
    qtbot.mouseMove(vp, QPoint(int(target_x), int(end.y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(target_x), int(end.y())))

    def stored() -> str:
        return next(r.deadline for r in get_plan(window.store, plan_id).rows if r.id == ln.row_id)

    qtbot.waitUntil(lambda: parse_deadline(stored()).due == new_end)
    qtbot.waitUntil(lambda: page.view.timeline.lines[i].bar.end == new_end)
    window.undo_group.undo()
    qtbot.waitUntil(lambda: stored() == old_text)
    qtbot.waitUntil(lambda: page.view.timeline.lines[i].bar.end == old_end)
