"""How statuses look, and the status bar with the plan's progress.

A status is always shown three ways at once: an icon, a colour and its Russian title, so that
it reads on a monochrome printout, for a colour-blind user and in a screenshot. The icons are
drawn with QPainter when first asked for; no icon files are needed.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from cxdesk.domain.item_fields import STATUS_TITLES, STATUSES
from cxdesk.services.shapes import counted_items

#: Text colours, readable on white (contrast 4.5:1 or better).
COLORS = {
    "not_started": QColor("#4f5b69"),
    "in_progress": QColor("#1456a8"),
    "done": QColor("#1e6b30"),
    "overdue": QColor("#b3261e"),
    "excluded": QColor("#767b82"),
    "upcoming": QColor("#8f4a00"),
    "unreadable": QColor("#7a5600"),
}
#: Cell backgrounds: headings and a deadline to correct.
BLOCK_BACKGROUND = QColor("#e6edf6")
SECTION_BACKGROUND = QColor("#f1f5fa")
UNREADABLE_BACKGROUND = QColor("#fff1c2")

#: The statuses a user can set, in the order the combo lists them.
SETTABLE = STATUSES

_SIZE = 16
_SCALE = 2  # drawn at twice the size: sharp on high-density screens too


def title(status: str) -> str:
    """The Russian title of a status key (stored or derived)."""
    return STATUS_TITLES.get(status, status)


def _canvas() -> tuple[QPixmap, QPainter]:
    pix = QPixmap(_SIZE * _SCALE, _SIZE * _SCALE)
    pix.setDevicePixelRatio(_SCALE)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pix, p


def _pen(color: QColor, width: float = 1.6) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


@cache
def icon(kind: str) -> QIcon:
    """The icon of a status key, or of ``upcoming`` / ``unreadable``; empty for others."""
    if kind == "calendar":
        return _calendar()
    color = COLORS.get(kind)
    if color is None:
        return QIcon()
    pix, p = _canvas()
    circle = QRectF(2, 2, 12, 12)
    if kind == "not_started":
        p.setPen(_pen(color))
        p.drawEllipse(circle)
    elif kind == "in_progress":
        p.setPen(_pen(color))
        p.drawEllipse(circle)
        half = QPainterPath()
        half.moveTo(8, 2)
        half.arcTo(circle, 90, -180)
        half.closeSubpath()
        p.fillPath(half, color)
    elif kind == "done":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(circle)
        p.setPen(_pen(QColor("white"), 1.8))
        p.drawPolyline(QPolygonF([QPointF(5, 8.2), QPointF(7.2, 10.4), QPointF(11, 5.8)]))
    elif kind == "overdue":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(circle)
        p.setPen(_pen(QColor("white"), 2.0))
        p.drawLine(QPointF(8, 4.8), QPointF(8, 8.8))
        p.drawPoint(QPointF(8, 11.3))
    elif kind == "excluded":
        p.setPen(_pen(color))
        p.drawEllipse(circle)
        p.drawLine(QPointF(4.2, 11.8), QPointF(11.8, 4.2))
    elif kind == "upcoming":
        p.setPen(_pen(color))
        p.drawEllipse(circle)
        p.drawPolyline(QPolygonF([QPointF(8, 4.6), QPointF(8, 8), QPointF(10.6, 9.6)]))
    elif kind == "unreadable":
        triangle = QPolygonF([QPointF(8, 1.5), QPointF(15, 14.5), QPointF(1, 14.5)])
        p.setPen(_pen(color, 1.2))
        p.setBrush(QColor("#f5c400"))
        p.drawPolygon(triangle)
        font = QFont()
        font.setPixelSize(10)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#3d2b00"))
        p.drawText(QRectF(1, 4, 14, 11), Qt.AlignmentFlag.AlignCenter, "?")
    p.end()
    return QIcon(pix)


def _calendar() -> QIcon:
    pix, p = _canvas()
    ink = QColor("#3c4858")
    p.setPen(_pen(ink, 1.2))
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(1.5, 3, 13, 11.5), 1.5, 1.5)
    p.fillRect(QRectF(1.5, 3, 13, 3.2), QColor("#b3261e"))
    p.drawLine(QPointF(5, 1.5), QPointF(5, 4.5))
    p.drawLine(QPointF(11, 1.5), QPointF(11, 4.5))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink)
    for row in range(2):
        for col in range(3):
            p.drawRect(QRectF(4 + col * 3, 8 + row * 3, 1.8, 1.8))
    p.end()
    return QIcon(pix)


def progress_text(items: int, done: int, overdue: int, excluded: int = 0) -> str:
    """«Выполнено 12 из 76 (16 %), просрочено 3»; excluded items are not counted in."""
    total = counted_items(items, excluded)
    percent = round(100 * done / total) if total else 0
    text = f"Выполнено {done} из {total} ({percent} %)"
    text += f", просрочено {overdue}" if overdue else ", просроченных нет"
    if excluded:
        text += f", исключено {excluded}"
    return text


class StatusBar(QStatusBar):
    """The window's status bar: the open plan's progress on the right, messages on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.progress = QLabel(self)
        self.progress.setObjectName("planProgress")
        self.addPermanentWidget(self.progress)

    def show_progress(self, items: int, done: int, overdue: int, excluded: int = 0) -> None:
        self.progress.setText(progress_text(items, done, overdue, excluded))
        self.progress.setVisible(True)

    def clear_progress(self) -> None:
        self.progress.clear()
        self.progress.setVisible(False)
