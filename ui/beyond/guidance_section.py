"""The item panel's «Рекомендации Аналитического центра»: the method for the chosen item.

Shown only for items whose template ref has recommendations (:func:`guidance_for`); hidden
entirely for every other row. For each recommendation: its item of the Recommendations and title,
why it applies to this item, the method (wrapped, selectable), the expected result and the forms
of the feedback Methodology. The heading collapses and expands the text; the choice is remembered.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from cxdesk.services.guidance import CONTACT, Guidance, guidance_for
from cxdesk.services.views import PlanView, RowView

from ui import settings as S
from ui.mainwindow.item_panel import PanelSection

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

TITLE = "Рекомендации Аналитического центра"


def breakable(text: str) -> str:
    """A link as shown: a line may break after «/», «.», «-», «_», «?», «&», «=» (a zero-width
    space), so that a long address wraps instead of widening the panel."""
    return re.sub(r"([/.\-_?&=])(?=\S)", "\\1\u200b", text)


def guidance_html(items: list[Guidance]) -> str:
    """The recommendations as rich text for the panel."""
    esc = html.escape
    out = []
    for n, g in enumerate(items):
        top = "0" if n == 0 else "14px"
        out.append(
            f"<p style='margin-top:{top}; margin-bottom:2px'><b>п. {esc(g.federal_item)} "
            f"Рекомендаций: {esc(g.title)}</b></p>"
        )
        if g.reason:
            out.append(f"<p style='margin:0 0 6px 0; color:#4f5b69'><i>{esc(g.reason)}</i></p>")
        out.append("<p style='margin:6px 0 2px 0'><b>Методика</b></p>")
        if g.same_as_item:
            out.append(
                f"<p style='margin:0 0 4px 0'>Методика та же, что для п. {esc(g.same_as_item)}"
                " Рекомендаций:</p>"
            )
        out += [f"<p style='margin:0 0 4px 0'>{esc(line)}</p>" for line in g.method]
        if g.result:
            out.append(
                f"<p style='margin:6px 0 2px 0'><b>Ожидаемый результат:</b> {esc(g.result)}</p>"
            )
        if g.forms:
            out.append("<p style='margin:6px 0 0 0'><b>Формы Методики ОС:</b></p><ul"
                       " style='margin-top:0; margin-bottom:0'>")  # fmt: skip
            out += [f"<li>{esc(form)}</li>" for form in g.forms]
            out.append("</ul>")
        for title, url in g.links:
            out.append(f"<p style='margin:2px 0'>{esc(title)}: <a href='{esc(url, quote=True)}'>"
                       f"{esc(breakable(url))}</a></p>")  # fmt: skip
        out += [f"<p style='margin:2px 0; color:#4f5b69'>Примечание. {esc(f)}</p>"
                for f in g.footnotes]  # fmt: skip
    out.append(f"<p style='margin-top:8px; color:#4f5b69'>{esc(CONTACT)}</p>")
    return "".join(out)


class GuidanceSection(PanelSection):
    """The guidance of the item shown in the panel; ``toggle`` collapses ``text``.

    Parts for tests: ``toggle``, ``frame``, ``text``; ``guidance`` is what is shown, ``opened``
    whether the text is expanded.
    """

    title = ""  # the section draws its own heading, which collapses it

    def __init__(self, window: MainWindow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidanceSection")
        self.window_ = window
        self.guidance: list[Guidance] = []
        self._ref: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("guidanceToggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("QToolButton { border: none; padding: 2px 0; }")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.setToolTip("Показать или скрыть методику сбора обратной связи")
        layout.addWidget(self.toggle)
        self.frame = QFrame(self)
        self.frame.setObjectName("guidanceFrame")
        self.frame.setStyleSheet(
            "#guidanceFrame { background: #f4f7fb; border: 1px solid #d5dfeb;"
            " border-left: 3px solid #1456a8; }"
        )
        fl = QVBoxLayout(self.frame)
        fl.setContentsMargins(10, 8, 10, 8)
        self.text = QLabel(self.frame)
        self.text.setObjectName("guidanceText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        fl.addWidget(self.text)
        layout.addWidget(self.frame)
        settings = getattr(window, "settings", None)
        opened = bool(settings.get(S.GUIDANCE_OPEN)) if settings is not None else True
        self.opened: bool = opened
        self.toggle.clicked.connect(lambda: self.set_open(not self.opened))
        self._show_open(opened)
        self.setVisible(False)

    def set_item(self, plan: PlanView | None, row: RowView | None) -> None:
        ref = row.ref if row is not None and row.kind == "item" else ""
        if ref == self._ref:
            return
        self._ref = ref
        self.guidance = guidance_for(ref) if ref else []
        if not self.guidance:
            self.text.clear()
            self.setVisible(False)
            return
        count = f" ({len(self.guidance)})" if len(self.guidance) > 1 else ""
        self.toggle.setText(TITLE + count)
        self.text.setText(guidance_html(self.guidance))
        self.setVisible(True)

    def set_open(self, opened: bool) -> None:
        """Expands or collapses the text (remembered for the next items and the next start)."""
        self.opened = opened
        self._show_open(opened)
        settings = getattr(self.window_, "settings", None)
        if settings is not None:
            settings.set(S.GUIDANCE_OPEN, opened)

    def _show_open(self, opened: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.frame.setVisible(opened)
