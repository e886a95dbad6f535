"""Step 8: the resulting plan exactly as it will be made, with its counts, before «Готово»."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from cxdesk.domain.building import PlanRequest, build_rows
from cxdesk.services.plans import default_title

from ui.wizard.check_tree import TOP_LEFT, make_wrapping
from ui.wizard.common import PageId, PlanPage, wrapped
from ui.wizard.effects import count_sentence, plan_counts

COLUMNS = ["№", "Мероприятие", "Срок", "Ответственный", "Отметка"]
NUMBER, TITLE, DEADLINE, RESPONSIBLE, MARK = range(5)


class SummaryPage(PlanPage):
    """The plan as :func:`build_rows` gives it: fresh numbers, titles, deadlines and the
    excluded rows marked with their basis."""

    page_id = PageId.SUMMARY
    heading = "Проверка"
    explanation = (
        "Так будет выглядеть план. Если всё верно, нажмите «Готово»; чтобы исправить, "
        "вернитесь назад — введённое сохранится."
    )

    def __init__(self) -> None:
        super().__init__()
        self.header_label = wrapped("", "summary_header")
        self.tree = QTreeWidget()
        self.tree.setObjectName("summary_tree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        make_wrapping(self.tree)
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NUMBER, 100), (DEADLINE, 125), (RESPONSIBLE, 140), (MARK, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        label = QLabel("&План:")
        label.setBuddy(self.tree)
        self.count_label = wrapped("", "item_count_label")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)

    def load(self, request: PlanRequest) -> None:
        template = self.template()
        rows = build_rows(template, request)
        approval = ", ".join(
            part
            for part in (
                " ".join(request.approver_position.split()),
                request.approver_name,
                request.approval_date or "дата не указана",
            )
            if part
        )
        self.header_label.setText(
            f"Организация: {request.org}\n"
            f"Заголовок: {request.title or default_title(template, request.org)}\n"
            f"Типовой план: {template.short_title} (версия {template.version})\n"
            f"Утверждает: {approval if request.approver_name else 'не указано'}"
        )
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        grey = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        for row in rows:
            del parents[row.depth :]
            mark = self._mark(row.status, row.basis)
            item = QTreeWidgetItem([row.number, row.title, row.deadline, row.responsible, mark])
            item.setData(NUMBER, Qt.ItemDataRole.UserRole, row.ref)
            for column in range(len(COLUMNS)):
                item.setTextAlignment(column, TOP_LEFT)
            for column, text in ((TITLE, row.title), (MARK, row.basis)):
                if text:
                    item.setToolTip(column, text)
            if row.kind != "item":
                font = item.font(TITLE)
                font.setBold(True)
                for column in (NUMBER, TITLE):
                    item.setFont(column, font)
            elif row.status == "excluded":
                for column in range(len(COLUMNS)):
                    item.setForeground(column, grey)
                    font = item.font(column)
                    font.setItalic(True)
                    item.setFont(column, font)
            if parents:
                parents[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            if row.kind != "item":
                parents.append(item)
        self.tree.expandAll()
        self.tree.setColumnHidden(MARK, not any(r.status == "excluded" for r in rows))
        self.count_label.setText(count_sentence(plan_counts(template, request)))

    @staticmethod
    def _mark(status: str, basis: str) -> str:
        return f"исключён: {basis}" if status == "excluded" else ""

    def rows_shown(self) -> list[tuple[str, str, str, str, str]]:
        """What the tree shows, row by row in document order (for checks and tests)."""
        out = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            out.append(tuple(item.text(c) for c in range(len(COLUMNS))))
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return out  # type: ignore[return-value]
