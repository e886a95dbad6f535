"""The main window on a real store: editing in the item panel with undo and redo, on the
worker thread and from the command line, statuses, dates, the filter and the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cxdesk.services.items import item_history
from cxdesk.services.views import get_plan
from cxdesk.storage.db import Store
from tests.ui.helpers import agency_plan, row_id, type_text

from ui import msgbox
from ui.mainwindow import MainWindow
from ui.mainwindow.actions import Act
from ui.settings import Settings

from .common import CTRL, Make, leave_field, shown_items, stored

#: The offscreen platform says this whenever a main window is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_edit_in_the_panel_then_undo_and_redo(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.4"))
    panel = window.panel
    panel.result.setFocus()
    type_text(panel.result, "Приказ № 301")
    leave_field(qtbot, window)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"
    assert window.model.row_at(window.model.index_of(panel.row.id)).result == "Приказ № 301"
    undo = window.acts[Act.UNDO]
    assert undo.isEnabled() and undo.text().startswith("Отменить изменение: Результат")

    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL)
    assert stored(store, plan_id, "1.4").result == ""
    assert panel.result.text() == ""
    assert item_history(store, plan_id, "1.4")[-1].note == "отмена"
    assert window.acts[Act.REDO].text().startswith("Повторить изменение")

    qtbot.keyClick(window.tree, Qt.Key.Key_Y, CTRL)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"
    assert panel.result.text() == "Приказ № 301"
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(store, plan_id, "1.4").result == "Приказ № 301"


def test_status_with_comment_and_its_undo(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.4"))
    panel = window.panel
    panel.status.setFocus()
    panel.status.setCurrentIndex(panel.status.findData("done"))
    panel.status.activated.emit(panel.status.currentIndex())
    assert panel.comment.hasFocus()
    assert stored(store, plan_id, "1.4").status == "not_started"  # waits for the comment
    type_text(panel.comment, "приказ подписан")
    qtbot.keyClick(panel.comment, Qt.Key.Key_Return)
    row = stored(store, plan_id, "1.4")
    assert row.status == "done" and row.done_date == "23.11.2026"
    last = item_history(store, plan_id, "1.4")
    assert any(h.field == "status" and h.note == "приказ подписан" for h in last)
    assert panel.comment.text() == ""
    assert window.status_bar.progress.text().startswith("Выполнено 4 из 47")
    assert panel.rows["done_date"].isVisible()

    window.acts[Act.UNDO].trigger()
    row = stored(store, plan_id, "1.4")
    assert row.status == "not_started" and row.done_date == ""
    assert panel.status.currentData() == "not_started"


def test_repeated_edits_of_one_field_are_one_undo_step(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "2.3"))
    panel = window.panel
    for text in ("Отдел кадров", "Отдел кадров\nОрлова Т. В."):
        panel.responsible.setFocus()
        panel.responsible.setText(text)
        leave_field(qtbot, window)
    assert stored(store, plan_id, "2.3").responsible == "Отдел кадров\nОрлова Т. В."
    assert window.stack_for(plan_id).count() == 1
    window.acts[Act.UNDO].trigger()
    assert stored(store, plan_id, "2.3").responsible == ""
    assert (
        "Орлова Т. В."
        in window.filter_bar.responsible.itemText(window.filter_bar.responsible.count() - 1)
        or window.filter_bar.responsible.findData("Орлова Т. В.") >= 0
    )


def test_deadline_by_enter_and_a_refused_value(
    qtbot: QtBot, make_window: Make, store: Store, boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "2.4"))
    panel = window.panel
    edit = panel.deadline.edit
    edit.setFocus()
    type_text(edit, "II квартал 2027 года")
    assert panel.deadline.hint.text() == "Срок для контроля: до 30.06.2027"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored(store, plan_id, "2.4").deadline == "II квартал 2027 года"

    edit.clear()
    type_text(edit, "VI квартал 2026 года")
    assert "не распознан" in panel.deadline.hint.text()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert panel.error.isVisible() and "не распознан" in panel.error.text()
    assert stored(store, plan_id, "2.4").deadline == "II квартал 2027 года"  # nothing changed
    assert boxes == []  # inline, not a dialog
    leave_field(qtbot, window)  # leaving again does not retry the refused value
    assert window.stack_for(plan_id).count() == 1


def test_overdue_and_excluded_items_are_marked(make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.3"))
    assert window.panel.flag.text() == "Просрочено: срок 31.10.2026"
    index = window.tree.currentIndex()
    assert "Просрочено" in index.siblingAtColumn(4).data()
    window.select_row(row_id(store, plan_id, "1.8"))
    assert window.panel.flag.text().startswith("Исключено: письмо Аналитического центра")
    assert window.panel.rows["basis"].isVisible()


def test_filter_text_status_overdue_and_person(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    agency_plan(store)
    window = make_window()
    bar = window.filter_bar
    window.acts[Act.FIND].trigger()
    assert bar.search.hasFocus()
    type_text(bar.search, "реестр")
    qtbot.waitUntil(lambda: shown_items(window) == ["1.4", "1.5"])
    assert bar.count.text() == "Показано 2 из 48"
    qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(shown_items(window)) == 48)

    bar.set_status("done")
    assert shown_items(window) == ["1.1", "1.2", "2.1"]
    bar.set_status("all")
    bar.overdue.setChecked(True)
    assert len(shown_items(window)) == 7 and "1.3" in shown_items(window)
    bar.overdue.setChecked(False)
    bar.responsible.setCurrentIndex(bar.responsible.findData("Орлова Т. В."))
    assert shown_items(window) == ["2.2"]
    bar.reset.click()
    assert len(shown_items(window)) == 48

    window.acts[Act.VIEW_UPCOMING].trigger()
    assert shown_items(window) == ["1.4"]
    window.acts[Act.VIEW_OVERDUE].trigger()
    assert len(shown_items(window)) == 7
    window.acts[Act.VIEW_ALL].trigger()
    assert len(shown_items(window)) == 48


def test_edit_and_undo_through_the_worker_thread(
    qtbot: QtBot, store: Store, tmp_path: Path, boxes: list
) -> None:
    plan_id = agency_plan(store)
    window = MainWindow(store, Settings.in_file(tmp_path / "async.ini"))  # real worker
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.panel.row is not None)
    target = row_id(store, plan_id, "2.4")
    window.select_row(target)
    qtbot.waitUntil(lambda: window.panel.row.id == target)
    panel = window.panel
    panel.status.setCurrentIndex(panel.status.findData("in_progress"))
    panel.comment.setText("начали")
    assert panel.commit()
    qtbot.waitUntil(lambda: window.model.row_by_id(target).status == "in_progress")
    assert stored(store, plan_id, "2.4").status == "in_progress"
    assert window.panel.status.currentData() == "in_progress"
    window.acts[Act.UNDO].trigger()
    qtbot.waitUntil(lambda: window.model.row_by_id(target).status == "not_started")
    assert stored(store, plan_id, "2.4").status == "not_started"
    window.close()
    assert boxes == []


def test_f2_and_double_click_go_to_the_field(qtbot: QtBot, make_window: Make, store: Store) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.5"))
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.currentIndex().siblingAtColumn(5))  # Результат
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)
    assert window.panel.result.hasFocus()


def test_every_field_of_the_item_panel_is_set_by_the_command_line(
    qtbot: QtBot, make_window: Make, store: Store, data_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each field the panel edits has its `cxdesk set` flag; what it sets shows in the panel."""
    from cxdesk.cli import main

    from ui.mainwindow.item_panel import FIELDS

    plan_id = agency_plan(store)
    window = make_window()
    rid = row_id(store, plan_id, "1.2")
    values = {
        "title": "Новый текст", "responsible": "Петрова М.С.", "deadline": "01.12.2026",
        "start": "01.10.2026", "status": "done", "done_date": "20.11.2026",
        "result": "Приказ № 3", "document": "Приказ", "materials": "Письмо № 5",
        "note": "подписан", "basis": "",
    }  # fmt: skip
    assert set(values) == set(FIELDS)
    argv = ["--data-dir", str(data_dir), "set", str(plan_id), f"#{rid}"]
    for name, value in values.items():
        if value:
            argv += ["--" + name.replace("_", "-"), value]
    assert main(argv) == 0, capsys.readouterr().err
    assert "Пункт 1.2.: выполнено" in capsys.readouterr().out
    window.reload_plan()
    window.select_row(rid)
    panel = window.panel
    for name, value in values.items():
        if name != "status":
            assert panel._current(name) == value, name
    assert panel.row.status == "done"


def test_imported_rows_history_reads_in_russian(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    """An imported item's history says it came from a file, in words; no key is shown."""
    from cxdesk.services.importing import import_file

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "tula_plan.docx"
    plan_id = import_file(store, fixture).plan_id
    window = make_window()
    window.open_plan(plan_id)
    first = next(r for r in get_plan(store, plan_id).items())
    window.select_row(first.id)
    model = window.panel.history_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    for i in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                text = str(model.index(i, col).data(role) or "")
                assert "imported" not in text and "not_started" not in text, text
    assert "Пункт загружен из файла" in model.index(0, 1).data()


def test_core_messages_reach_the_window_without_command_line_advice(
    make_window: Make, boxes: list
) -> None:
    """Every message the core raises (they serve the command line too) reads, in a window's
    box, without «cxdesk …» or «--…» advice."""
    import ast

    from ui.wording import has_cli_advice

    root = Path(__file__).resolve().parents[3] / "cxdesk"
    texts = []
    for path in root.rglob("*.py"):
        if path.parts[-2] in ("commands",) or path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith(
                ("Error", "NotFound", "BadFile", "Problem")
            ):
                for arg in node.args[:1]:
                    parts = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
                    text = "".join(
                        p.value if isinstance(p, ast.Constant) and isinstance(p.value, str)
                        else "3"
                        for p in parts
                    )  # fmt: skip
                    texts.append(text)
    advising = [t for t in texts if has_cli_advice(t)]
    assert len(advising) >= 5  # the core does advise the command line
    window = make_window()
    for text in advising:
        msgbox.user_error(window, text)
    assert boxes and not [b.text for b in boxes if has_cli_advice(b.text)]


def test_a_date_error_goes_when_a_valid_date_is_typed_back(
    qtbot: QtBot, make_window: Make, store: Store
) -> None:
    plan_id = agency_plan(store)
    window = make_window()
    window.select_row(row_id(store, plan_id, "1.2"))
    panel = window.panel
    for key in ("start", "done_date", "deadline"):
        if not panel._shown.get(key):
            continue
        edit = panel.editors[key].edit
        before = edit.text()
        edit.setFocus()
        edit.selectAll()
        type_text(edit, "32.13.2026")
        leave_field(qtbot, window)
        assert panel.error.isVisible() and edit.styleSheet(), key
        edit.setFocus()
        edit.selectAll()
        type_text(edit, before or "01.12.2026")
        assert not panel.error.isVisible(), key  # at once, before the field is left
        assert edit.styleSheet() == "", key
        leave_field(qtbot, window)
        assert not panel.error.isVisible(), key


def test_status_filter_shows_every_choice_whole(make_window: Make, store: Store) -> None:
    """«Ближайшие сроки», never «Ближай… сроки», even in a narrow window."""
    agency_plan(store)
    window = make_window()
    window.resize(900, 600)
    box = window.filter_bar.status
    QApplication.processEvents()
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    option.initFrom(box)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    room = field.width() - box.iconSize().width() - 4  # the text beside the icon, as painted
    for i in range(box.count()):
        assert box.fontMetrics().horizontalAdvance(box.itemText(i)) <= room, box.itemText(i)
