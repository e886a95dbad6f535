"""«Файл → Сводка по планам…»: progress over all plans (or the chosen ones) in one window.

Left, the plans with check boxes; right, three tabs: «По органам» (a table per body with the share
done as a bar, and a stacked-bar chart), «По пунктам типового плана» (done / in progress / late /
absent per template item, the bodies named in the tooltips) and «По блокам» (a chart per block).
The summary is made on the database thread and made again when a plan changes. «Экспорт…»
writes it to xlsx or docx.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.reports import Summary
from cxdesk.io.summary_writer import percent, write_summary
from cxdesk.services.common import today
from cxdesk.services.summary import summarize, summarize_views
from cxdesk.text import plural

from ui.beyond import common as B
from ui.beyond.charts import ChartRow, StackedBarChart
from ui.beyond.summary_models import (
    ItemTableModel,
    PlanTableModel,
    ProgressDelegate,
    template_title,
)
from ui.exchange import common as C

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow


def _table(parent: QWidget, name: str, model: Any) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 12)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return view


def _scroll(parent: QWidget, chart: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(chart)
    return area


class SummaryWindow(QDialog):
    """The summary over plans.

    Parts for tests: ``plans_box`` (checkable plans), ``plans_model``/``plans_table``,
    ``items_model``/``items_table``, ``bodies_chart``, ``blocks_chart``, ``tabs``, ``heading``,
    ``export_button``, ``refresh_button``; ``summary`` is the one shown.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("summaryWindow")
        self.setWindowTitle("Сводка по планам — cxdesk")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.window_ = window
        self.summary: Summary | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("summaryHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heading)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("<b>Планы в сводке</b>", left))
        self.plans_box = QListWidget(left)
        self.plans_box.setObjectName("summaryPlans")
        self.plans_box.setWordWrap(True)
        self.plans_box.setAccessibleName("Планы в сводке")
        self.plans_box.itemChanged.connect(lambda _item: self.refresh())
        ll.addWidget(self.plans_box, 1)
        marks = QHBoxLayout()
        for text, name, state in (("Все", "summaryAll", True), ("Ни одного", "summaryNone", False)):
            button = QPushButton(text, left)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, s=state: self.check_all(s))
            marks.addWidget(button)
        ll.addLayout(marks)

        self.tabs = QTabWidget(split)
        self.tabs.setObjectName("summaryTabs")
        self.plans_model = PlanTableModel(self)
        self.items_model = ItemTableModel(self)
        bodies = QSplitter(Qt.Orientation.Vertical, self.tabs)
        bodies.setChildrenCollapsible(False)
        self.plans_table = _table(bodies, "summaryPlansTable", self.plans_model)
        self.plans_table.setItemDelegateForColumn(
            len(self.plans_model.columns) - 1, ProgressDelegate(self.plans_table)
        )
        self.bodies_chart = StackedBarChart(empty_text="Отметьте планы слева")
        self.bodies_chart.setObjectName("bodiesChart")
        self.bodies_chart.setAccessibleName("Диаграмма: ход выполнения по органам")
        bodies.addWidget(self.plans_table)
        bodies.addWidget(_scroll(bodies, self.bodies_chart))
        bodies.setSizes([260, 320])
        self.tabs.addTab(bodies, "По &органам")
        items_page = QWidget(self.tabs)
        il = QVBoxLayout(items_page)
        il.setContentsMargins(0, 4, 0, 0)
        chooser = QHBoxLayout()
        self.template_label = QLabel("&Типовой план:", items_page)
        self.template_combo = QComboBox(items_page)
        self.template_combo.setObjectName("summaryTemplate")
        self.template_label.setBuddy(self.template_combo)
        self.template_combo.activated.connect(
            lambda _i: self.items_model.set_template(self.template_combo.currentData())
        )
        chooser.addWidget(self.template_label)
        chooser.addWidget(self.template_combo)
        chooser.addStretch(1)
        il.addLayout(chooser)
        self.items_table = _table(items_page, "summaryItemsTable", self.items_model)
        self.items_table.setToolTip("Наведите указатель на число, чтобы увидеть органы")
        il.addWidget(self.items_table, 1)
        self.tabs.addTab(items_page, "По &пунктам типового плана")
        self.blocks_chart = StackedBarChart(empty_text="Отметьте планы слева")
        self.blocks_chart.setObjectName("blocksChart")
        self.blocks_chart.setAccessibleName("Диаграмма: ход выполнения по блокам")
        self.tabs.addTab(_scroll(self.tabs, self.blocks_chart), "По &блокам")
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 990])
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton("О&бновить", self)
        self.refresh_button.setObjectName("summaryRefresh")
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton("&Экспорт…", self)
        self.export_button.setObjectName("summaryExport")
        self.export_button.setToolTip("Сохранить сводку в Excel или Word — для отправки")
        self.export_button.clicked.connect(lambda: self.export())
        close = QPushButton("Закрыть", self)
        close.clicked.connect(self.close)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(1240, 760)
        window.changes_applied.connect(self._changes)
        self.reload()

    # --- plans -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Lists the plans again (keeping the marks of those already listed) and summarises."""
        marks = {
            self.plans_box.item(i).data(Qt.ItemDataRole.UserRole):
            self.plans_box.item(i).checkState()
            for i in range(self.plans_box.count())
        }  # fmt: skip
        self.plans_box.blockSignals(True)
        self.plans_box.clear()
        for plan in self.window_.plans:
            item = QListWidgetItem(C.flat(plan.org or plan.title), self.plans_box)
            item.setData(Qt.ItemDataRole.UserRole, plan.id)
            item.setToolTip(f"{plan.org}\n{plan.title}\nТиповой план: "
                            f"{template_title(plan.template_id)}")  # fmt: skip
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(marks.get(plan.id, Qt.CheckState.Checked))
        self.plans_box.blockSignals(False)
        self.refresh()

    def chosen(self) -> list[int]:
        box = self.plans_box
        return [
            box.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check_all(self, state: bool) -> None:
        self.plans_box.blockSignals(True)
        for i in range(self.plans_box.count()):
            self.plans_box.item(i).setCheckState(
                Qt.CheckState.Checked if state else Qt.CheckState.Unchecked
            )
        self.plans_box.blockSignals(False)
        self.refresh()

    # --- the summary -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Makes the summary of the marked plans on the database thread."""
        ids = self.chosen()
        if not ids:
            self.show_summary(summarize_views([], today()))
            return
        self.window_.tasks.run(
            lambda store: summarize(store, ids),
            parent=self,
            success=self.show_summary,
            label="Составление сводки…",
        )

    def _changes(self, changes: Any) -> None:
        if not self.isVisible():
            return
        if changes.plans_list or changes.structure:
            self.reload()
        elif set(changes.plan_ids) & set(self.chosen()):
            self.refresh()

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.plans_model.set_summary(summary)
        self.items_model.set_summary(summary)
        self._fill_templates()
        for table in (self.plans_table, self.items_table):
            header = table.horizontalHeader()
            if header.isSortIndicatorShown() and header.sortIndicatorSection() >= 0:
                table.model().sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        t = summary.total
        on = summary.as_of.strftime("%d.%m.%Y")
        if summary.plans:
            plans = plural(len(summary.plans), "план", "плана", "планов")
            self.heading.setText(
                f"<b>Сводка на {on}</b>: {plans}, {plural(t.items, 'пункт', 'пункта', 'пунктов')}"
                f" к исполнению; выполнено {t.done} ({percent(t.share_done)}), в работе "
                f"{t.in_progress}, просрочено {t.overdue}, не начато {t.not_started}."
            )
        else:
            self.heading.setText(f"<b>Сводка на {on}</b>: отметьте планы слева.")
        self.export_button.setEnabled(bool(summary.plans))
        self.bodies_chart.set_rows([ChartRow.of(p.org, p) for p in summary.plans])
        self.blocks_chart.set_rows(block_rows(summary))
        self._fit_columns()

    def _fit_columns(self) -> None:
        for table, model in ((self.plans_table, self.plans_model),
                             (self.items_table, self.items_model)):  # fmt: skip
            header = table.horizontalHeader()
            fm = header.fontMetrics()
            for column, spec in enumerate(model.columns):
                if spec.key in ("org", "title"):
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                    continue
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                if spec.key == "share":
                    width = 150
                else:
                    width = max(fm.horizontalAdvance(spec.title) + 30, 56)
                table.setColumnWidth(column, width)

    def _fill_templates(self) -> None:
        combo = self.template_combo
        combo.clear()
        for tid in self.items_model.templates():
            combo.addItem(template_title(tid), tid)
        combo.setCurrentIndex(max(combo.findData(self.items_model.template_id), 0))
        several = combo.count() > 1
        combo.setVisible(several)
        self.template_label.setVisible(several)

    # --- export ------------------------------------------------------------------------------
    def export(
        self, path: Path | None = None, then: Callable[[Path | None], object] | None = None
    ) -> None:
        """«Экспорт…»: the summary as xlsx or docx (asks for the file when ``path`` is None);
        ``then`` gets the file, or None."""
        done = then or C.nothing
        summary = self.summary
        if summary is None or not summary.plans:
            done(None)
            return
        name = f"Сводка по планам — {B.today_text()}.xlsx"
        chosen = B.export_target(self, path, "Сохранить сводку", name, ("xlsx", "docx"))
        if chosen is None:
            done(None)
            return
        target, fmt = chosen

        def written(_result: object) -> None:
            B.remember(self, target)
            C.finished(self, f"Сводка сохранена в файл «{target.name}».", target,
                       detail=f"Папка: {target.parent}")  # fmt: skip
            done(target)

        B.write_file(
            self,
            lambda _store: write_summary(summary, target, fmt),
            f"Запись «{target.name}»…",
            written,
            done,
            self.export_button,
        )


def block_rows(summary: Summary) -> list[ChartRow]:
    """The bars of the chart per block; a heading names each typical plan when there are several."""
    templates = list(dict.fromkeys(b.key.partition(":")[0] for b in summary.by_block))
    rows: list[ChartRow] = []
    for tid in templates:
        if len(templates) > 1:
            rows.append(ChartRow(template_title(tid), heading=True))
        for b in summary.by_block:
            if b.key.partition(":")[0] == tid:
                label = f"{b.number} {b.title}".strip() if b.number else b.title
                rows.append(ChartRow.of(label, b))
    return rows


def show_summary(window: MainWindow) -> SummaryWindow:
    """Opens the summary window (one per main window; raised when already open)."""
    existing = getattr(window, "beyond_summary", None)
    if isinstance(existing, SummaryWindow):
        existing.reload()
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = SummaryWindow(window)
    window.beyond_summary = dialog
    dialog.show()
    return dialog
