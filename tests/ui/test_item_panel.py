"""The item panel built from the field table: an editor of each field's kind, in its column."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QComboBox, QWidget

from cxdesk.domain.item_fields import FIELDS, PANEL_LEFT, PANEL_RIGHT

from ui.mainwindow.item_fields import AutoText, DateField
from ui.mainwindow.item_panel import ItemPanel


def _tab_chain(panel: ItemPanel) -> list[str]:
    """The fields (and the status comment) in the order Tab visits them, from the title."""
    owner: dict[int, str] = {id(panel.comment): "comment"}
    for name, editor in panel.editors.items():
        owner[id(editor)] = name
        for child in editor.findChildren(QWidget):
            owner.setdefault(id(child), name)
    chain = ["title"]
    widget: QWidget = panel.editors["title"]
    for _ in range(200):
        widget = widget.nextInFocusChain()
        name = owner.get(id(widget))
        if name and widget.focusPolicy() and name != chain[-1]:
            if name == "title":
                break
            chain.append(name)
    return chain


def test_each_field_has_the_editor_its_kind_wants(qtbot: QtBot) -> None:
    panel = ItemPanel()
    qtbot.addWidget(panel)
    wanted = {"status": QComboBox, "date": DateField, "deadline": DateField, "text": AutoText}
    for f in FIELDS:
        assert isinstance(panel.editors[f.name], wanted[f.kind]), f.name
        assert panel.labels[f.name].text() == f.shown, f.name
        if f.kind == "text":
            assert (panel.editors[f.name].min_lines, panel.editors[f.name].max_lines) == f.lines


def test_tab_follows_the_panel_top_down_the_status_then_its_comment(qtbot: QtBot) -> None:
    panel = ItemPanel()
    qtbot.addWidget(panel)
    right = list(PANEL_RIGHT)
    right.insert(right.index("status") + 1, "comment")
    assert _tab_chain(panel) == [*PANEL_LEFT, *right]
    assert PANEL_LEFT == ("title", "responsible", "deadline", "start")
