"""«План → Проверить по типовому плану»: the audit's findings in a dock beside the plan.

The dock checks the plan that is open (on the database thread) and lists the findings grouped by
problem kind, with their counts. Each finding shows the item's number, the item's wording and,
below the list, the details of the chosen finding. Double-click or Enter selects the item in the
plan's tree; for an item absent from the plan the details quote the template's wording and the
section it belongs to is selected. «Экспорт…» writes the list to docx or xlsx; «Обновить» checks
again. The list follows the open plan and is checked again when the plan changes.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cxdesk.domain.reports import PROBLEMS
from cxdesk.domain.templates import Node
from cxdesk.errors import NotFound
from cxdesk.services.audit import Finding, audit_plan, export_findings, plan_template
from cxdesk.services.views import PlanView, get_plan
from cxdesk.text import plural

from ui.beyond import common as B
from ui.exchange import common as C

if TYPE_CHECKING:
    from ui.mainwindow.window import MainWindow

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_BACKGROUND = QColor("#e6edf6")
GROUP_INK = QColor("#163a66")
EMPTY_TEXT = "Замечаний нет: план соответствует типовому."


def template_node(plan: PlanView, ref: str) -> Node | None:
    """The template's block, section or item of a ref («agency:3.1.4»), when known."""
    template = plan_template(plan)
    tid, _sep, local = ref.partition(":")
    if template is None or tid != template.id or not local:
        return None
    try:
        return template.node(local)
    except NotFound:
        return None


class AuditDock(QDockWidget):
    """The findings of the open plan.

    Parts for tests: ``tree`` (groups by problem, findings under them), ``detail``, ``empty``,
    ``header``, ``refresh_button``, ``export_button``; ``findings`` and ``plan`` of the last check.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Проверка по типовому плану", window)
        self.setObjectName("auditDock")
        self.window_ = window
        self.plan: PlanView | None = None
        self.findings: list[Finding] = []
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 6)
        layout.setSpacing(6)
        self.header = QLabel(body)
        self.header.setObjectName("auditHeader")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.empty = QLabel(EMPTY_TEXT, body)
        self.empty.setObjectName("auditEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(
            "color: #1e6b30; background: #e8f3ea; border: 1px solid #b9dcc0; padding: 8px;"
        )
        layout.addWidget(self.empty)

        split = QSplitter(Qt.Orientation.Vertical, body)
        split.setChildrenCollapsible(False)
        self.tree = QTreeWidget(split)
        self.tree.setObjectName("auditList")
        self.tree.setAccessibleName("Замечания проверки")
        self.tree.setHeaderLabels(["Пункт", "Мероприятие"])
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(14)
        self.tree.setItemsExpandable(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show_detail(cur))
        self.detail = QTextBrowser(split)
        self.detail.setObjectName("auditDetail")
        self.detail.setAccessibleName("Подробности замечания")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Выберите замечание, чтобы увидеть подробности.")
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([360, 220])
        layout.addWidget(split, 100)
        # with nothing to list the header and the message stay at the top, not spread out
        layout.addStretch(1)
        for label in (self.header, self.empty):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.split = split

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton("&Обновить", body)
        self.refresh_button.setObjectName("auditRefresh")
        self.refresh_button.setToolTip("Проверить план ещё раз")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("&Экспорт…", body)
        self.export_button.setObjectName("auditExport")
        self.export_button.setToolTip("Сохранить список замечаний в Word или Excel")
        self.export_button.clicked.connect(lambda: self.export())
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.setMinimumWidth(320)
        self._set_findings(None, [])

        window.plan_opened.connect(self._plan_opened)
        window.changes_applied.connect(self._changes)

    # --- checking ----------------------------------------------------------------------------
    def check(self, plan_id: int | None = None) -> None:
        """Checks a plan (the open one by default) on the database thread and shows the list."""
        plan_id = plan_id or self.window_.current_plan_id
        if not plan_id:
            return

        def work(store: Any) -> tuple[PlanView, list[Finding]]:
            view = get_plan(store, plan_id)
            return view, audit_plan(store, view)

        def failed(exc: BaseException) -> bool:
            self._set_findings(None, [])  # the plan is gone, or the check failed (shown)
            return isinstance(exc, NotFound)

        self.header.setText("Проверка плана…")
        self.window_.tasks.run(
            work,
            parent=self.window_,
            success=lambda result: self._set_findings(*result),
            failure=failed,
            label="Проверка плана по типовому плану…",
        )

    def refresh(self) -> None:
        self.check(self.window_.current_plan_id or (self.plan.id if self.plan else None))

    def _plan_opened(self, plan_id: int) -> None:
        if self.isVisible() and plan_id and (self.plan is None or plan_id != self.plan.id):
            self.check(plan_id)

    def _changes(self, changes: Any) -> None:
        if self.isVisible() and self.plan is not None and self.plan.id in changes.plan_ids:
            self.check(self.plan.id)

    # --- showing -----------------------------------------------------------------------------
    def _set_findings(self, plan: PlanView | None, findings: list[Finding]) -> None:
        self.plan, self.findings = plan, findings
        self.tree.clear()
        self.detail.clear()
        if plan is None:
            self.header.setText("Откройте план, чтобы проверить его.")
            self.empty.hide()
            self.split.hide()
            self.export_button.setEnabled(False)
            return
        org = html.escape(C.flat(plan.org or plan.title))
        count = plural(len(findings), "замечание", "замечания", "замечаний")
        self.header.setText(
            f"<b>{org}</b><br>Проверено {B.today_text()}: {count}." if findings
            else f"<b>{org}</b><br>Проверено {B.today_text()}."
        )  # fmt: skip
        self.empty.setVisible(not findings)
        self.split.setVisible(bool(findings))
        self.export_button.setEnabled(True)
        rows = {r.id: r for r in plan.rows}
        first: QTreeWidgetItem | None = None
        for kind, name in PROBLEMS.items():
            group = [f for f in findings if f.problem == kind]
            if not group:
                continue
            head = QTreeWidgetItem(self.tree, [f"{name} ({len(group)})"])
            head.setFirstColumnSpanned(True)
            head.setForeground(0, GROUP_INK)
            head.setToolTip(0, f"{name}: {len(group)}")
            head.setBackground(0, GROUP_BACKGROUND)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for f in group:
                row = rows.get(f.row_id) if f.row_id is not None else None
                node = template_node(plan, f.ref) if row is None and f.ref else None
                if row is not None:
                    number, text = row.number, C.flat(row.title)
                elif node is not None:
                    number, text = node.number, f"нет в плане: {C.flat(node.title)}"
                else:
                    number, text = f.item, C.flat(f.detail)
                child = QTreeWidgetItem(head, [number, text])
                child.setData(0, FINDING_ROLE, f)
                child.setToolTip(1, f.detail)
                child.setToolTip(0, f.detail)
                if row is None:
                    italic = QFont(self.tree.font())
                    italic.setItalic(True)
                    child.setFont(1, italic)
                first = first or child
            head.setExpanded(True)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        finding = item.data(0, FINDING_ROLE) if item is not None else None
        if not isinstance(finding, Finding) or self.plan is None:
            self.detail.clear()
            return
        self.detail.setHtml(detail_html(self.plan, finding))

    # --- going to the item -------------------------------------------------------------------
    def target_row(self, finding: Finding) -> int | None:
        """The row a finding selects: its own, or for an absent one the nearest present parent."""
        if finding.row_id is not None or self.plan is None:
            return finding.row_id
        node = template_node(self.plan, finding.ref)
        by_ref = {r.ref: r.id for r in self.plan.rows if r.ref}
        tid = self.plan.template_id
        while node is not None:
            found = by_ref.get(f"{tid}:{node.ref}")
            if found is not None:
                return found
            node = node.parent
        return None

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        finding = item.data(0, FINDING_ROLE)
        if not isinstance(finding, Finding) or self.plan is None:
            return
        row_id = self.target_row(finding)
        if row_id is not None:
            B.go_to_item(self.window_, self.plan.id, row_id)

    # --- export ------------------------------------------------------------------------------
    def export(
        self, path: Path | None = None, then: Callable[[Path | None], object] | None = None
    ) -> None:
        """«Экспорт…»: the list as docx or xlsx (asks for the file when ``path`` is None);
        ``then`` gets the file, or None."""
        done = then or C.nothing
        plan = self.plan
        if plan is None:
            done(None)
            return
        org = C.flat(plan.org or plan.title)
        name = f"Проверка — {B.file_base(org)} — {B.today_text()}.docx"
        chosen = B.export_target(self, path, "Сохранить замечания", name, ("docx", "xlsx"))
        if chosen is None:
            done(None)
            return
        target, fmt = chosen
        findings = list(self.findings)

        def written(_result: object) -> None:
            B.remember(self, target)
            C.finished(self, f"Список замечаний сохранён в файл «{target.name}».", target,
                       detail=f"Папка: {target.parent}")  # fmt: skip
            done(target)

        B.write_file(
            self,
            lambda _store: export_findings(findings, org, target, fmt),
            f"Запись «{target.name}»…",
            written,
            done,
            self.export_button,
        )


def detail_html(plan: PlanView, finding: Finding) -> str:
    """The details of one finding for the pane under the list."""
    esc = html.escape
    parts = [f"<b>{esc(finding.problem_ru)}</b>"]
    row = next((r for r in plan.rows if r.id == finding.row_id), None)
    if row is not None:
        parts.append(f"Пункт {esc(row.number)} «{esc(C.flat(row.title))}»")
        parts.append(esc(finding.detail))
        return "<br>".join(parts)
    node = template_node(plan, finding.ref)
    parts.append(esc(finding.detail).replace("\n", "<br>"))
    if node is not None and node.kind == "item":
        if node.title not in finding.detail:
            parts.append(f"<i>Формулировка типового плана:</i> {esc(node.title)}")
        parent = node.parent
        if parent is not None:
            kind = {"block": "блоке", "section": "разделе"}.get(parent.kind, "части")
            parts.append(f"<i>Место в плане:</i> в {kind} {esc(parent.number.rstrip('.'))} "
                         f"«{esc(parent.title)}»")  # fmt: skip
        if node.deadline:
            parts.append(f"<i>Срок в типовом плане:</i> {esc(node.deadline)}")
        if node.document:
            parts.append(f"<i>Вид документа:</i> {esc(C.flat(node.document))}")
    return "<br>".join(parts)
