"""The summary's tables: one line per body (with a totals line) and one per template item.

Both are :class:`~PySide6.QtCore.QAbstractTableModel` subclasses over the lines of a
:class:`~cxdesk.services.summary.Summary`; they sort by any column (the totals line stays last)
and give the Russian headers, tooltips (the bodies behind each count) and alignment. The share
done is drawn as a bar by :class:`ProgressDelegate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from cxdesk.domain.reports import Counts, ItemLine, PlanLine, Summary
from cxdesk.domain.templates import get_template
from cxdesk.errors import NotFound
from cxdesk.io.summary_writer import percent

from ui.mainwindow import status

#: The share done (0…1) of a line, for the progress bar delegate.
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The number (for sorting and tests) behind a cell.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALERT_BACKGROUND = QColor("#fdecea")
MUTED = QColor("#767b82")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its key, header, header tooltip, value of a line, and whether it is a count."""

    key: str
    title: str
    tip: str
    value: Callable[[Any], Any]
    number: bool = True


def _counts(key: str) -> Callable[[Counts], int]:
    return lambda c: int(getattr(c, key))


PLAN_COLUMNS = (
    Column("org", "Организация", "Орган исполнительной власти", lambda c: c.org, False),
    Column("items", "Пунктов", "Пунктов к исполнению (без исключённых)", _counts("items")),
    Column("done", "Выполнено", "Выполненные пункты", _counts("done")),
    Column("in_progress", "В работе", "В работе и не просрочены", _counts("in_progress")),
    Column("overdue", "Просрочено", "Срок прошёл, пункт не выполнен", _counts("overdue")),
    Column("not_started", "Не начато", "Не начаты и не просрочены", _counts("not_started")),
    Column("done_without_proof", "Без документа",
           "Выполнено, но подтверждающий документ не прикреплён", _counts("done_without_proof")),
    Column("share", "Доля выполненного", "Выполнено от пунктов к исполнению",
           lambda c: c.share_done),
)  # fmt: skip
ALERT_KEYS = {"overdue", "missing", "done_without_proof"}


def _orgs(key: str) -> Callable[[ItemLine], int]:
    return lambda line: len(getattr(line, f"{key}_orgs"))


ITEM_COLUMNS = (
    Column("number", "Пункт", "Номер пункта в типовом плане", lambda line: line.number, False),
    Column("title", "Мероприятие", "Мероприятие типового плана", lambda line: line.title, False),
    Column("plans", "Планов", "Планов на этом типовом плане", lambda line: line.plans),
    Column("done", "Выполнено", "В скольких планах пункт выполнен", _orgs("done")),
    Column("in_progress", "В работе", "В скольких планах пункт в работе", _orgs("in_progress")),
    Column("overdue", "Просрочено", "В скольких планах пункт просрочен", _orgs("overdue")),
    Column("missing", "Нет в плане",
           "В скольких планах пункта нет, хотя по ответам он обязателен", _orgs("missing")),
)  # fmt: skip
ORG_TIPS = {
    "done": "Выполнено",
    "in_progress": "В работе",
    "overdue": "Просрочено",
    "missing": "Нет в плане",
}


def template_title(template_id: str) -> str:
    try:
        return get_template(template_id).short_title
    except NotFound:
        return template_id


def template_of(line: ItemLine) -> str:
    return line.ref.partition(":")[0]


def number_key(number: str) -> tuple[int, ...]:
    """«3.10.2» after «3.9.1»."""
    return tuple(int(p) for p in number.replace(" ", "").strip(".").split(".") if p.isdecimal())


class LinesModel(QAbstractTableModel):
    """Lines of a summary under :data:`columns`; an optional totals line stays last."""

    columns: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[Any] = []
        self.total: Any = None

    def set_lines(self, lines: list[Any], total: Any = None) -> None:
        self.beginResetModel()
        self.lines, self.total = list(lines), total
        self.endResetModel()

    def line(self, row: int) -> Any:
        return self.lines[row] if row < len(self.lines) else self.total

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.lines) + (self.total is not None)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        line = self.line(index.row())
        column = self.columns[index.column()]
        value = column.value(line)
        if role == Qt.ItemDataRole.DisplayRole:
            if column.key == "share":
                return percent(value)
            return str(value)
        if role == VALUE_ROLE:
            return value
        if role == SHARE_ROLE and column.key == "share":
            return float(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column.number else LEFT)
        if role == Qt.ItemDataRole.FontRole and line is self.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column.key in ALERT_KEYS and value:
            return status.COLORS["overdue"]
        if role == Qt.ItemDataRole.ForegroundRole and column.number and value == 0:
            return MUTED
        if role == Qt.ItemDataRole.BackgroundRole and column.key in ALERT_KEYS and value:
            return ALERT_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(line, column)
        return None

    def tooltip(self, line: Any, column: Column) -> str | None:
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        spec = self.columns[column]

        def key(line: Any) -> Any:
            value = spec.value(line)
            if spec.key == "number":
                return number_key(value)
            return value.casefold() if isinstance(value, str) else value

        self.layoutAboutToBeChanged.emit()
        before = list(self.lines)
        self.lines.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(line): i for i, line in enumerate(self.lines)}
        old, new = [], []
        for index in self.persistentIndexList():
            if index.row() < len(before):
                old.append(index)
                new.append(self.index(where[id(before[index.row()])], index.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class PlanTableModel(LinesModel):
    """One line per body of the summary, and «Итого»."""

    columns = PLAN_COLUMNS

    def set_summary(self, summary: Summary | None) -> None:
        if summary is None or not summary.plans:
            self.set_lines([])
            return
        total = PlanLine(org="Итого")
        total.add(summary.total)
        self.set_lines(summary.plans, total)

    def tooltip(self, line: Any, column: Column) -> str | None:
        if column.key == "org":
            return str(line.org)
        if column.key == "share":
            return f"Выполнено {line.done} из {line.items}"
        return None


class ItemTableModel(LinesModel):
    """One line per item of the typical plans; the counts' tooltips name the bodies."""

    columns = ITEM_COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.all_lines: list[ItemLine] = []
        self.template_id = ""

    def set_summary(self, summary: Summary | None) -> None:
        self.all_lines = list(summary.by_item) if summary is not None else []
        known = self.templates()
        if self.template_id not in known:
            self.template_id = known[0] if known else ""
        self.set_template(self.template_id)

    def templates(self) -> list[str]:
        """The typical plans of the summary, the one with most plans first."""
        plans: dict[str, int] = {}
        for line in self.all_lines:
            plans[template_of(line)] = max(plans.get(template_of(line), 0), line.plans)
        return sorted(plans, key=lambda t: -plans[t])

    def set_template(self, template_id: str) -> None:
        """Shows the items of one typical plan."""
        self.template_id = template_id
        self.set_lines([line for line in self.all_lines if template_of(line) == template_id])

    def tooltip(self, line: Any, column: Column) -> str | None:
        if column.key == "title":
            return str(line.title)
        if column.key in ORG_TIPS:
            orgs = getattr(line, f"{column.key}_orgs")
            if not orgs:
                return f"{ORG_TIPS[column.key]}: нет"
            return f"{ORG_TIPS[column.key]}:\n" + "\n".join(f"• {org}" for org in orgs)
        return None


class ProgressDelegate(QStyledItemDelegate):
    """Draws a share (``SHARE_ROLE``, 0…1) as a bar with its percentage over it."""

    TRACK = QColor("#e3e7ec")
    FILL = QColor("#3d8b4f")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        share = index.data(SHARE_ROLE)
        if share is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = QRect(option.rect).adjusted(4, 4, -4, -4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.TRACK)
        painter.drawRect(rect)
        filled = QRect(rect)
        filled.setWidth(round(rect.width() * max(0.0, min(1.0, float(share)))))
        painter.setBrush(self.FILL)
        painter.drawRect(filled)
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        font = QFont(opt.font)
        font.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        box = fm.boundingRect(text).adjusted(-3, 0, 3, 0)
        box.moveCenter(rect.center())
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(box, 2, 2)
        painter.setPen(QColor("#1d2329"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
