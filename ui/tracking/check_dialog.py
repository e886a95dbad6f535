"""«Сервис → Проверка данных…»: the database and every stored file, checked in the background.

The check runs on the database worker with a cancellable progress dialog (it reads every file,
which takes a while on a large store). The result shows in :class:`CheckDialog`: either that all
is well and how many files were checked, or one line per problem, by plan, item and file, with
what to do. A double-click on a problem opens that plan and selects that item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.progress import Progress
from cxdesk.services.check import CheckReport, Problem, check_data
from cxdesk.storage.db import Store
from cxdesk.text import plural

from ui.mainwindow import status
from ui.mainwindow.wrap import WrapDelegate
from ui.wording import for_window

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1

#: What to do, in the window's words, for a file that is missing or was changed.
FILE_FIX = (
    "Откройте пункт, удалите этот файл и прикрепите его заново из оригинала; либо восстановите "
    "данные из резервной копии."
)
WHAT = {
    "missing": "нет в хранилище программы",
    "altered": "изменён после того, как был прикреплён",
    "database": "повреждена база данных",
    "foreign_key": "нарушены связи в базе данных",
}
COLUMNS = ("План", "Пункт", "Файл", "Что сделать")
WIDTHS = (230, 56, 260)


def _files(n: int) -> str:
    return plural(n, "файл", "файла", "файлов")


def passed_text(report: CheckReport) -> str:
    return f"Проверка пройдена: база цела, проверено {_files(report.files_checked)}."


def failed_text(report: CheckReport) -> str:
    found = plural(len(report.problems), "проблема", "проблемы", "проблем")
    return (
        f"Найдено: {found} (проверено {_files(report.files_checked)}). Двойной щелчок по "
        "строке открывает пункт в плане."
    )


class CheckDialog(QDialog):
    """The result of the data check; not modal, so the plan stays at hand.

    Signals: problem_chosen(int, str): a plan id and an item number (double-click on a line).
    """

    problem_chosen = Signal(int, str)

    def __init__(
        self, report: CheckReport, plans: dict[int, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checkDialog")
        self.setWindowTitle("Проверка данных")
        self.report = report
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.setSpacing(10)
        icon = QLabel(self)
        if report.ok:
            pixmap = status.icon("done").pixmap(32, 32)
        else:
            warning = QStyle.StandardPixmap.SP_MessageBoxWarning
            pixmap = self.style().standardIcon(warning).pixmap(32, 32)
        icon.setPixmap(pixmap)
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        self.summary = QLabel(passed_text(report) if report.ok else failed_text(report), self)
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)

        self.problems = QTreeWidget(self)
        self.problems.setObjectName("checkProblems")
        self.problems.setHeaderLabels(list(COLUMNS))
        self.problems.setRootIsDecorated(False)
        self.problems.setWordWrap(True)
        self.problems.setAlternatingRowColors(True)
        self.problems.setItemDelegate(WrapDelegate(self.problems, {0, 2, 3}, 6))
        self.problems.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.problems.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(WIDTHS):
            self.problems.setColumnWidth(column, width)
        for p in sorted(report.problems, key=lambda p: _order(p, plans)):
            self.problems.addTopLevelItem(self._line(p, plans))
        self.problems.setVisible(not report.ok)
        self.problems.itemDoubleClicked.connect(self._chosen)
        layout.addWidget(self.problems, 1)

        buttons = QDialogButtonBox(self)
        close = buttons.addButton("Закрыть", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if report.ok:
            self.summary.setMinimumHeight(32)
            self.summary.setAlignment(Qt.AlignmentFlag.AlignVCenter)
            self.resize(480, self.sizeHint().height())
        else:
            self.resize(900, 380)

    @staticmethod
    def _line(p: Problem, plans: dict[int, str]) -> QTreeWidgetItem:
        plan = plans.get(p.plan, f"план {p.plan}") if p.plan is not None else "—"
        what = WHAT.get(p.kind, p.detail)
        file = f"«{p.name}»\n{what}" if p.name else what[:1].upper() + what[1:]
        fix = FILE_FIX if p.kind in ("missing", "altered") else for_window(p.fix)
        fix = fix[:1].upper() + fix[1:]
        line = QTreeWidgetItem([plan, p.item.rstrip(".") or "—", file, fix])
        line.setData(0, PROBLEM_ROLE, p)
        tip = f"{p.detail}\n\n{for_window(p.fix)}" if p.fix else p.detail
        for column in range(len(COLUMNS)):
            line.setToolTip(column, tip)
            line.setTextAlignment(column, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return line

    def line_count(self) -> int:
        return self.problems.topLevelItemCount()

    def line_texts(self, row: int) -> list[str]:
        line = self.problems.topLevelItem(row)
        if line is None:
            return []
        return [line.text(c) for c in range(self.problems.columnCount())]

    def choose(self, row: int) -> None:
        """As a double-click on line ``row``."""
        line = self.problems.topLevelItem(row)
        if line is not None:
            self._chosen(line, 0)

    def _chosen(self, line: QTreeWidgetItem, _column: int) -> None:
        p: Problem = line.data(0, PROBLEM_ROLE)
        if p is not None and p.plan is not None and p.item:
            self.problem_chosen.emit(p.plan, p.item)


def _order(p: Problem, plans: dict[int, str]) -> tuple[Any, ...]:
    """Database problems first, then by plan and by item number (1.2 before 1.10)."""
    if p.plan is None:
        return (0, "", ())
    number = tuple(int(x) if x.isdecimal() else 0 for x in p.item.rstrip(".").split("."))
    return (1, plans.get(p.plan, "").casefold(), p.plan, number, p.name)


def run_check(window: MainWindow) -> None:
    """Checks the data on the worker, then shows the result (window.tracking_check)."""

    def work(store: Store, progress: Progress) -> CheckReport:
        return check_data(store, progress)

    window.tasks.run(
        work,
        parent=window,
        success=lambda report: show_report(window, report),
        label="Проверка данных…",
        progress=True,
    )


def show_report(window: MainWindow, report: CheckReport) -> CheckDialog:
    """Shows a check's result, replacing an earlier result still open."""
    old = getattr(window, "tracking_check", None)
    if old is not None:
        old.close()
        old.deleteLater()
    plans = {p.id: p.org for p in getattr(window, "plans", [])}
    dialog = CheckDialog(report, plans, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.problem_chosen.connect(lambda plan, item: go_to_item(window, plan, item))
    dialog.destroyed.connect(lambda *_: _forget(window, dialog))
    window.tracking_check = dialog
    dialog.show()
    return dialog


def _forget(window: MainWindow, dialog: CheckDialog) -> None:
    if getattr(window, "tracking_check", None) is dialog:
        window.tracking_check = None


def go_to_item(window: MainWindow, plan_id: int, number: str) -> None:
    """Opens a plan (if it is not the one shown) and selects the item with that number."""
    want = number.rstrip(".")

    def select() -> None:
        rows = window.model.rows
        found = next((r.id for r in rows if r.number.rstrip(".") == want), None)
        if found is not None:
            window.select_row(found)
        window.activateWindow()

    window.open_plan_then(plan_id, select)
