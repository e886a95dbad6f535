"""The list of plans on the left: organisation, template, progress bar, overdue count."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.templates import get_template
from cxdesk.errors import UserError
from cxdesk.services.shapes import PlanSummary, counted_items

from ui.mainwindow import status
from ui.mainwindow.wrap import fit_text

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root: the default parent


def template_name(template_id: str) -> str:
    """The template's short title; «загружен из файла» for plans with none."""
    if not template_id:
        return "загружен из файла"
    try:
        return get_template(template_id).short_title
    except UserError:
        return template_id


def counts_text(s: PlanSummary) -> str:
    total = counted_items(s.items, s.excluded)
    return f"{s.done} из {total}"


class PlansModel(QAbstractListModel):
    """Plan summaries, one per row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plans: list[PlanSummary] = []

    def set_plans(self, plans: list[PlanSummary]) -> None:
        """New summaries; the same plans in the same order are only redrawn, not reset."""
        if [p.id for p in plans] == [p.id for p in self.plans] and plans:
            self.plans = list(plans)
            self.dataChanged.emit(self.index(0), self.index(len(plans) - 1))
            return
        self.beginResetModel()
        self.plans = list(plans)
        self.endResetModel()

    def row_of(self, plan_id: int) -> int:
        for i, p in enumerate(self.plans):
            if p.id == plan_id:
                return i
        return -1

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.plans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.plans):
            return None
        s = self.plans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.org
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{s.org}\n{template_name(s.template_id)}\n"
            return text + status.progress_text(s.items, s.done, s.overdue, s.excluded)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{s.org}, " + status.progress_text(s.items, s.done, s.overdue, s.excluded)
        if role == SUMMARY_ROLE:
            return s
        if role == ID_ROLE:
            return s.id
        return None


class PlanDelegate(QStyledItemDelegate):
    """Draws a plan as a card: organisation, template, progress bar, overdue count."""

    PAD = 8

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, self.PAD * 2 + line * 4 + 18 + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        s = index.data(SUMMARY_ROLE)
        if not isinstance(s, PlanSummary):
            return super().paint(painter, option, index)
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = option.palette.color(group, text_role)
        dim = option.palette.color(group, QPalette.ColorRole.PlaceholderText)
        r = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        fm = option.fontMetrics
        line = fm.lineSpacing()

        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        org_rect = QRect(r.left(), r.top(), r.width(), line * 2)
        org = fit_text(s.org, bold, r.width(), line * 2)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(org_rect, flags, org)
        used = painter.fontMetrics().boundingRect(org_rect, flags, org).height()
        painter.setFont(option.font)
        painter.setPen(text_color if selected else dim)
        tpl = fm.elidedText(template_name(s.template_id), Qt.TextElideMode.ElideRight, r.width())
        top = r.top() + min(used, line * 2)
        painter.drawText(QRect(r.left(), top, r.width(), line), Qt.AlignmentFlag.AlignLeft, tpl)

        top += line + 4
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(r.left(), top, r.width(), 16)
        bar.minimum = 0
        bar.maximum = max(counted_items(s.items, s.excluded), 1)
        bar.progress = min(s.done, bar.maximum)
        bar.text = counts_text(s)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = fm
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)

        top += 18 + 4
        if s.overdue:
            painter.setPen(text_color if selected else status.COLORS["overdue"])
            icon = status.icon("overdue")
            icon.paint(painter, QRect(r.left(), top + (line - 14) // 2, 14, 14))
            text = f"просрочено: {s.overdue}"
            painter.drawText(QRect(r.left() + 18, top, r.width() - 18, line), 0, text)
        else:
            painter.setPen(text_color if selected else dim)
            painter.drawText(QRect(r.left(), top, r.width(), line), 0, "просроченных нет")
        painter.restore()


class PlansList(QWidget):
    """The plans list with its heading.

    Signals: plan_selected(int): the user chose a plan (its id).
    """

    plan_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plansPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        heading = QLabel("Планы", self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(heading)
        self.model = PlansModel(self)
        self.view = QListView(self)
        self.view.setObjectName("plansList")
        self.view.setAccessibleName("Планы")
        self.view.setModel(self.model)
        self.view.setItemDelegate(PlanDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.setSpacing(1)
        layout.addWidget(self.view)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self._quiet = False

    def set_plans(self, plans: list[PlanSummary], current: int | None) -> None:
        """Refills the list, keeping ``current`` selected without announcing it again."""
        self._quiet = True
        try:
            self.model.set_plans(plans)
            if current is not None:
                self.select(current)
        finally:
            self._quiet = False

    def select(self, plan_id: int) -> None:
        row = self.model.row_of(plan_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))

    def mark(self, plan_id: int) -> None:
        """Marks the plan the window shows, without signalling it as chosen (showing a plan
        would otherwise read it a second time)."""
        quiet, self._quiet = self._quiet, True
        try:
            self.select(plan_id)
        finally:
            self._quiet = quiet

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        self.plan_selected.emit(int(current.data(ID_ROLE)))
