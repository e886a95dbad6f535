"""The timeline drawn in one widget: every bar painted, none a widget of its own.

:class:`TimelineView` is a scroll area whose viewport paints the part of the
:class:`~cxdesk.services.timeline.Timeline` in sight with :func:`cxdesk.io.timeline_draw.paint`
(the same drawing the PDF and PNG files use); the names column and the axis stay in place while
the bars scroll. A click on a row chooses its item; the end of a dated bar can be dragged to
another day (the cursor shows it), and the new day is handed on, never stored here.
Ctrl + wheel changes the zoom; Up and Down choose the next row.

Signals:
    row_clicked(int): the id of the item (or heading) clicked.
    deadline_dragged(int, object): an item's id and the day its bar's end was dropped on.
    zoom_changed(str): the zoom chosen with Ctrl + wheel.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from cxdesk.domain import periods as P
from cxdesk.domain.deadlines import format_date
from cxdesk.domain.reports import ZOOMS, Line, Timeline
from cxdesk.io.timeline_draw import TODAY_INK, Geometry, paint

#: How near (in pixels) to a bar's end the pointer grabs it.
GRAB_PX = 6
_DRAGGABLE = (P.POINT, P.SPAN)
_ZOOM_ORDER = tuple(ZOOMS)


class TimelineView(QAbstractScrollArea):
    """The painted timeline (see the module)."""

    row_clicked = Signal(int)
    deadline_dragged = Signal(int, object)
    zoom_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName("График плана")
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        # every pixel is painted: Qt need not draw what lies beneath first
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.timeline: Timeline | None = None
        self.zoom = "quarter"
        self.geo = Geometry.for_zoom(self.zoom)
        self.selected: int | None = None
        self._drag: tuple[int, date] | None = None  # line index, the day under the pointer
        self._kept: dict = {}  # what paint() keeps between frames (the axis)
        self.horizontalScrollBar().setSingleStep(24)
        self.verticalScrollBar().setSingleStep(int(self.geo.row_height))

    # --- what is shown ---------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        first = self.timeline is None or timeline is None or timeline.first != self.timeline.first
        self.timeline = timeline
        self._drag = None
        self._update_ranges()
        if first and timeline is not None:
            self.scroll_to_date(timeline.today)
        self.viewport().update()

    def set_zoom(self, zoom: str) -> None:
        if zoom == self.zoom or zoom not in ZOOMS:
            return
        middle = self._date_at_middle()
        self.zoom = zoom
        self.geo = Geometry.for_zoom(zoom)
        self._update_ranges()
        if middle is not None:  # the day in the middle stays there
            self.scroll_to_date(middle, 0.5)
        self.viewport().update()

    def set_selected(self, row_id: int | None) -> None:
        if row_id == self.selected:
            return
        self.selected = row_id
        if row_id is not None:
            self.ensure_visible(row_id)
        self.viewport().update()

    def ensure_visible(self, row_id: int) -> None:
        """Scrolls so that the row (and the end of its bar) is in sight."""
        tl = self.timeline
        if tl is None:
            return
        i = tl.index_of(row_id)
        if i < 0:
            return
        bar = self.verticalScrollBar()
        top = i * self.geo.row_height
        height = self._chart_size()[1]
        if top < bar.value():
            bar.setValue(int(top))
        elif top + self.geo.row_height > bar.value() + height:
            bar.setValue(int(top + self.geo.row_height - height))
        line = tl.lines[i]
        if line.bar is not None:
            x = self.geo.x_of(tl, line.bar.end)
            hbar = self.horizontalScrollBar()
            width = self._chart_size()[0]
            if not hbar.value() <= x <= hbar.value() + width - 30:
                hbar.setValue(int(x - width * 0.7))

    def scroll_to_date(self, day: date, at: float = 0.6) -> None:
        """Scrolls across so that ``day`` stands at ``at`` of the chart's width."""
        tl = self.timeline
        if tl is None:
            return
        x = self.geo.x_of(tl, min(max(day, tl.first), tl.last))
        self.horizontalScrollBar().setValue(int(x - self._chart_size()[0] * at))

    # --- geometry --------------------------------------------------------------------------
    def _chart_size(self) -> tuple[float, float]:
        vp = self.viewport()
        return (
            max(vp.width() - self.geo.label_width, 1.0),
            max(vp.height() - self.geo.header_height, 1.0),
        )

    def _update_ranges(self) -> None:
        tl = self.timeline
        width, height = self._chart_size()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        if tl is None:
            h.setRange(0, 0)
            v.setRange(0, 0)
            return
        h.setRange(0, max(int(self.geo.chart_width(tl) - width), 0))
        h.setPageStep(int(width))
        v.setRange(0, max(int(self.geo.chart_height(tl) - height + self.geo.row_height), 0))
        v.setPageStep(int(height))
        v.setSingleStep(int(self.geo.row_height))

    def offsets(self) -> tuple[float, float]:
        """How far the chart is scrolled: across and down."""
        return float(self.horizontalScrollBar().value()), float(self.verticalScrollBar().value())

    def _date_at_middle(self) -> date | None:
        if self.timeline is None:
            return None
        return self.geo.date_at(self.timeline, self.offsets()[0] + self._chart_size()[0] / 2)

    def line_at(self, pos: QPointF) -> int:
        """The index of the line under a viewport position, -1 outside the lines."""
        tl = self.timeline
        if tl is None or pos.y() < self.geo.header_height:
            return -1
        i = int((pos.y() - self.geo.header_height + self.offsets()[1]) // self.geo.row_height)
        return i if 0 <= i < len(tl.lines) else -1

    def chart_x(self, pos: QPointF) -> float:
        return pos.x() - self.geo.label_width + self.offsets()[0]

    def bar_end_at(self, line: int) -> QPointF | None:
        """Where the end of a line's bar is in the viewport (None: no bar)."""
        tl = self.timeline
        if tl is None or not 0 <= line < len(tl.lines):
            return None
        rect = self.geo.bar_rect(tl, line, tl.lines[line])
        if rect is None:
            return None
        sx, sy = self.offsets()
        return QPointF(
            rect.right() - sx + self.geo.label_width,
            rect.center().y() - sy + self.geo.header_height,
        )

    def _grabs_end(self, pos: QPointF) -> int:
        """The line whose bar's end (a dated deadline) is under the pointer, else -1."""
        i = self.line_at(pos)
        if i < 0 or pos.x() < self.geo.label_width or self.timeline is None:
            return -1
        line = self.timeline.lines[i]
        if line.bar is None or line.bar.period.kind not in _DRAGGABLE:
            return -1
        end = self.bar_end_at(i)
        return i if end is not None and abs(pos.x() - end.x()) <= GRAB_PX else -1

    # --- events ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        vp = self.viewport()
        p = QPainter(vp)
        if self.timeline is None:
            p.fillRect(vp.rect(), QColor("white"))
            p.end()
            return
        size = (float(vp.width()), float(vp.height()))
        paint(p, self.timeline, self.geo, self.zoom, size, self.offsets(), self.selected,
              kept=self._kept)  # fmt: skip
        if self._drag is not None:
            self._paint_drag(p)
        p.end()

    def _paint_drag(self, p: QPainter) -> None:
        tl = self.timeline
        assert tl is not None and self._drag is not None
        i, day = self._drag
        x = self.geo.x_of(tl, day) + self.geo.ppd - self.offsets()[0] + self.geo.label_width
        y = i * self.geo.row_height - self.offsets()[1] + self.geo.header_height
        p.setPen(QPen(QColor(TODAY_INK), 2))
        p.drawLine(QPointF(x, y), QPointF(x, y + self.geo.row_height))
        text = f"срок: {format_date(day)}"
        width = p.fontMetrics().horizontalAdvance(text) + 10
        box = QRectF(x + 4, y - self.geo.row_height, width, self.geo.row_height)
        p.fillRect(box, QColor("#fffbe6"))
        p.drawRect(box)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_ranges()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.timeline is None:
            super().mousePressEvent(event)
            return
        pos = event.position()
        grab = self._grabs_end(pos)
        i = grab if grab >= 0 else self.line_at(pos)
        if i < 0:
            return
        line = self.timeline.lines[i]
        self.row_clicked.emit(line.row_id)
        if grab >= 0 and line.bar is not None:
            self._drag = (grab, line.bar.end)
            self.viewport().update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag is not None and self.timeline is not None:
            day = self.geo.date_at(self.timeline, self.chart_x(pos) - self.geo.ppd / 2)
            self._drag = (self._drag[0], day)
            self.viewport().update()
            return
        grab = self._grabs_end(pos)
        shape = Qt.CursorShape.SizeHorCursor if grab >= 0 else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)
        self._tooltip(pos)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or self.timeline is None:
            super().mouseReleaseEvent(event)
            return
        i, day = self._drag
        self._drag = None
        self.viewport().update()
        line = self.timeline.lines[i]
        if line.bar is not None and day != line.bar.end:
            self.deadline_dragged.emit(line.row_id, day)

    def _tooltip(self, pos: QPointF) -> None:
        i = self.line_at(pos)
        tl = self.timeline
        if i < 0 or tl is None:
            self.viewport().setToolTip("")
            return
        self.viewport().setToolTip(tooltip(tl.lines[i]))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up and Down choose the item above or below, as in the table."""
        tl = self.timeline
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if tl is None or step is None or not tl.lines:
            super().keyPressEvent(event)
            return
        i = tl.index_of(self.selected) if self.selected is not None else -1
        i = min(max(i + step, 0), len(tl.lines) - 1)
        self.row_clicked.emit(tl.lines[i].row_id)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            at = _ZOOM_ORDER.index(self.zoom)
            at += -1 if event.angleDelta().y() > 0 else 1
            zoom = _ZOOM_ORDER[min(max(at, 0), len(_ZOOM_ORDER) - 1)]
            if zoom != self.zoom:
                self.set_zoom(zoom)
                self.zoom_changed.emit(zoom)
            event.accept()
            return
        super().wheelEvent(event)


def tooltip(line: Line) -> str:
    """What the pointer shows over a line: the item, its deadline as read, its dates."""
    from ui.mainwindow import status

    if line.bar is None:
        return line.label
    bar = line.bar
    lines = [line.label, f"Статус: {status.title(line.status)}"]
    kind = bar.period.kind
    if kind in (P.POINT, P.SPAN):
        lines.append(f"Срок: {line.deadline} (до {format_date(bar.end)})")
        lines.append(f"С {format_date(bar.start)} по {format_date(bar.end)}")
        lines.append("Перетащите конец полосы, чтобы изменить срок.")
    else:
        lines.append(f"Срок: {line.deadline} ({P.KIND_TITLES[kind]})")
    return "\n".join(lines)
