"""The main window: plans on the left, the open plan's tree in the middle, the item on the right.

Data flows one way: an action calls a service through :attr:`MainWindow.tasks` (one worker
thread), the service returns :class:`~cxdesk.services.common.Changes`, and
:meth:`MainWindow.apply_changes` redraws what they flag: the plans list, the tree (rebuilt only
when the structure changed, else just the changed rows), the item panel and the status bar.
Every edit of an item goes onto the plan's QUndoStack (one stack per plan, in a QUndoGroup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cxdesk.errors import NotFound, UserError
from cxdesk.services.shapes import Changes, PlanSummary, PlanView, people

from ui import settings as S
from ui.mainwindow import context_menu, plan_ops
from ui.mainwindow.actions import (
    PLAN_ACTIONS,
    STORE_ACTIONS,
    Act,
    build_menus,
    create_actions,
    install_features,
)
from ui.mainwindow.filter_bar import Criteria, FilterBar
from ui.mainwindow.item_panel import ItemPanel
from ui.mainwindow.plan_model import COLUMNS, ROW_ROLE, PlanModel
from ui.mainwindow.plan_tree import PlanTree
from ui.mainwindow.plans_list import PlansList
from ui.mainwindow.status import StatusBar
from ui.mainwindow.welcome import WelcomeView
from ui.settings import Settings
from ui.tasks import Tasks
from ui.undo import ServiceCommand, item_edit

if TYPE_CHECKING:  # the features' parts the window holds, once installed
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from cxdesk.services.first_view import FirstView
    from cxdesk.storage.db import Store
    from cxdesk.storage.versions import Conflict

    from ui.beyond.audit_dock import AuditDock
    from ui.beyond.summary_window import SummaryWindow
    from ui.beyond.upcoming import UpcomingBanner
    from ui.exchange.install import DropFilter
    from ui.safety.watcher import ExternalChanges
    from ui.timeline.page import TimelinePage
    from ui.tracking.check_dialog import CheckDialog
    from ui.tracking.install import Tracking

#: The item's history is read this long after the current row changed (not while painting).
HISTORY_DELAY_MS = 40


def changes_of(result: Any) -> Changes | None:
    """The Changes in a service's result: itself, its ``changes``, or those of the first
    element of a tuple that has them (``apply_merge`` gives the preview and the undo record)."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    if isinstance(found, Changes):
        return found
    if isinstance(result, tuple):
        return next(filter(None, map(changes_of, result)), None)
    return None


# The services the window reads with, imported on the database thread when first used: at the
# start the store's modules load behind the painted window (ui.app), and the main thread must
# not import them at the same time.
def _list_plans(store: Store) -> list[PlanSummary]:
    from cxdesk.services.views import list_plans

    return list_plans(store)


def _get_plan(store: Store, plan_id: int) -> PlanView:
    from cxdesk.services.views import get_plan

    return get_plan(store, plan_id)


class MainWindow(QMainWindow):
    """The main window.

    Signals:
        changes_applied(object): a service's Changes, after the views were told to redraw.
        plan_opened(int): the plan now shown (its id), 0 when none.

    Parts, for tests and features: ``acts`` (Act → QAction), ``menus`` (title → QMenu),
    ``plans_list``, ``filter_bar``, ``model``, ``views`` (the tabs: the tree and what features
    add), ``tree``, ``panel``, ``welcome``,
    ``status_bar``, ``undo_group``, ``tasks``, ``settings``, ``store``.
    """

    # set by the features when they are installed (ui/*/install.py and the like)
    exchange_actions: dict[str, QAction]
    exchange_drops: DropFilter
    safety_actions: dict[str, QAction]
    external_changes: ExternalChanges
    connection_action: QAction
    tracking: Tracking
    tracking_check: CheckDialog | None
    beyond_actions: dict[str, QAction]
    beyond_audit: AuditDock
    beyond_upcoming: UpcomingBanner
    beyond_summary: SummaryWindow
    context_menu: QMenu
    timeline: TimelinePage
    timeline_action: QAction

    changes_applied = Signal(object)
    plan_opened = Signal(int)

    def __init__(
        self,
        store: Store | None,
        settings: Settings | None = None,
        tasks: Tasks | None = None,
        first: FirstView | None = None,
    ) -> None:
        """The window on ``store``; or, at the start (``store`` None), the window showing
        ``first`` (read without the store) until :meth:`attach` gives the store: work asked
        for meanwhile waits for it, and the commands that need it are disabled."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("cxdesk")
        # None only before attach(), while nothing that reads it can run (see STORE_ACTIONS)
        self.store: Store = cast("Store", store)
        self.settings = settings or Settings()
        self.tasks = tasks or Tasks(store, parent=self)
        self.current_plan_id: int | None = None
        self.plans: list[PlanSummary] = []
        self.plans_loaded = False  # the plans list has been read once
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._header_restored = False
        self._first_load = True
        self._restore_row = True
        self._history_row = 0
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(HISTORY_DELAY_MS)
        self._history_timer.timeout.connect(self._load_pending_history)

        self.acts = create_actions(self)
        self.menus = build_menus(self.menuBar(), self.acts)
        self.status_bar = StatusBar(self)
        self.setStatusBar(self.status_bar)

        self.plans_list = PlansList(self)
        self.filter_bar = FilterBar(self)
        self.model = PlanModel(self)
        self.tree = PlanTree(self)
        self.tree.setModel(self.model)
        # row heights hang on the rows' positions, which a filter does not change
        self.model.plan_replaced.connect(self.tree.delegate.forget)
        self.model.rows_changed.connect(self.tree.delegate.forget)
        self.tree.apply_default_widths()
        self.panel = ItemPanel(self, self)
        self.welcome = WelcomeView(self.acts[Act.NEW_PLAN], self.acts[Act.OPEN_FILE], self)

        center = QWidget(self)
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(4)
        cl.addWidget(self.filter_bar)
        # the table, and the views of the same rows that features add beside it (ui.timeline)
        self.views = QTabWidget(self)
        self.views.setObjectName("planViews")
        self.views.setDocumentMode(True)
        self.views.addTab(self.tree, "&Таблица")
        cl.addWidget(self.views)
        self.plan_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.plan_splitter.setObjectName("planSplitter")
        self.plan_splitter.addWidget(center)
        self.plan_splitter.addWidget(self.panel)
        self.plan_splitter.setStretchFactor(0, 1)
        self.plan_splitter.setCollapsible(0, False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.plans_list)
        self.main_splitter.addWidget(self.plan_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([220, 1060])
        self.plan_splitter.setSizes([450, 290])
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.main_splitter)
        self.setCentralWidget(self.pages)
        self.resize(1280, 800)

        self.plans_list.plan_selected.connect(self.open_plan)
        self.filter_bar.changed.connect(self._on_filter)
        self.filter_bar.search.escaped.connect(self.tree.setFocus)
        self.tree.selectionModel().currentChanged.connect(self._on_current_row)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.tree.setAccessibleName("Пункты плана")
        edit_cell = QShortcut(QKeySequence(Qt.Key.Key_F2), self.tree)
        edit_cell.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit_cell.activated.connect(lambda: self._on_double_click(self.tree.currentIndex()))
        self.panel.edit_requested.connect(self.edit_item)
        context_menu.install(self)
        self._enable_plan_actions(False)
        self.restore_settings()
        self.features: list[str] = []
        #: The window was painted from the light read, the store opened behind it.
        self.painted_before_store = store is None
        self._close_when_attached = False
        if store is None:
            if first is not None:
                self._show_first(first)
            return
        self.features = install_features(self)
        self.reload_plans()

    def _show_first(self, first: FirstView) -> None:
        """What the start read without the store: the plans list and the plan to open."""
        self.plans = first.plans
        if not first.plans or first.plan is None:
            return  # the welcome view: nothing to show before the store
        self.pages.setCurrentWidget(self.main_splitter)
        self._first_load = False
        self.plans_list.set_plans(first.plans, first.plan.id)
        self._show_plan(first.plan)

    def attach(self, store: Store) -> None:
        """Gives the store opened behind the first paint: the features come in, the work that
        waited runs, and the plans are read again (the open plan stays as it is shown)."""
        self.store = store
        self.tasks.attach(store)
        self.features = install_features(self)
        self._enable_plan_actions(self.model.plan is not None)
        self.reload_plans()
        if self._close_when_attached:  # closed before the store was open: close now
            QTimer.singleShot(0, self.close)

    # --- plans -----------------------------------------------------------------------------
    def reload_plans(self, select: int | None = None) -> None:
        """Reads the plans' summaries again; opens ``select`` (or keeps the open one)."""
        self.tasks.run(_list_plans, parent=self, success=lambda p: self._plans_loaded(p, select))

    def _plans_loaded(self, plans: list[PlanSummary], select: int | None) -> None:
        self.plans = plans
        self.plans_loaded = True
        ids = [p.id for p in plans]
        if not plans:
            self.pages.setCurrentWidget(self.welcome)
            self._show_plan(None)
            self.plans_list.set_plans([], None)
            return
        self.pages.setCurrentWidget(self.main_splitter)
        want = select or self.current_plan_id
        if want is None and self._first_load:
            want = self.settings.get(S.LAST_PLAN)
        self._first_load = False
        if want not in ids:
            want = ids[0]
        self.plans_list.set_plans(plans, want)
        if want != self.current_plan_id:
            self.open_plan(want)
        self._update_title()

    def open_plan(self, plan_id: int) -> None:
        """Shows a plan (read in one query)."""
        self.panel.commit()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, NotFound):
                self.current_plan_id = None
                self.reload_plans()
                return True
            return False

        self.tasks.run(
            lambda st: _get_plan(st, plan_id),
            parent=self,
            success=self._show_plan,
            failure=failed,
            label="Открытие плана…",
        )

    def open_plan_then(self, plan_id: int, then: Callable[[], None]) -> None:
        """Calls ``then`` once the plan is shown: at once when it is, else when it has opened."""
        if self.current_plan_id == plan_id:
            then()
            return

        def opened(shown: int) -> None:
            self.plan_opened.disconnect(opened)
            if shown == plan_id:
                then()

        self.plan_opened.connect(opened)
        self.open_plan(plan_id)

    def _show_plan(self, plan: PlanView | None) -> None:
        keep = self.panel.row.id if plan and self.panel.row and self._same_plan(plan) else None
        self.current_plan_id = plan.id if plan else None
        self.model.set_plan(plan)
        if plan is not None and not self._header_restored:
            state = self.settings.get(S.TREE_HEADER)
            if not state.isEmpty():
                self.tree.header().restoreState(state)
            self._header_restored = True
        self.tree.expand_headings()
        self.filter_bar.set_people(people(plan) if plan else [])
        self._update_count()
        self._update_status()
        self._enable_plan_actions(plan is not None)
        if plan is not None:
            self.undo_group.setActiveStack(self.stack_for(plan.id))
            self.plans_list.mark(plan.id)
        else:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        if keep is None and plan is not None and self._restore_row:
            self._restore_row = False  # the row selected when the window last closed
            last = int(self.settings.get(S.LAST_ROW) or 0)
            if plan.id == self.settings.get(S.LAST_PLAN) and any(r.id == last for r in plan.rows):
                keep = last
        if keep is None and plan is not None:
            keep = next((r.id for r in plan.rows if r.kind == "item"), None)
        index = self.model.index_of(keep) if keep else QModelIndex()
        if index.isValid():
            self.select_row(keep or 0)
        else:
            self.panel.show_row(plan, None)
        self._update_title()
        self.plan_opened.emit(plan.id if plan else 0)

    def _same_plan(self, plan: PlanView) -> bool:
        return self.current_plan_id == plan.id

    def reload_plan(self) -> None:
        if self.current_plan_id is not None:
            self.open_plan(self.current_plan_id)

    def stack_for(self, plan_id: int) -> QUndoStack:
        """The undo stack of a plan (made on first use)."""
        stack = self._stacks.get(plan_id)
        if stack is None:
            stack = QUndoStack(self.undo_group)
            stack.setObjectName(f"undo_{plan_id}")
            self.undo_group.addStack(stack)
            self._stacks[plan_id] = stack
        return stack

    def drop_stack(self, plan_id: int) -> None:
        """Forgets a plan's undo history (its rows changed under it, or it is gone)."""
        stack = self._stacks.pop(plan_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    # --- rows ------------------------------------------------------------------------------
    def current_row(self) -> Any:
        return self.panel.row

    def select_row(self, row_id: int) -> None:
        """Selects a row by id (clears the filter if the row is hidden by it)."""
        index = self.model.index_of(row_id)
        if not index.isValid() and self.model.row_by_id(row_id) is not None:
            self.filter_bar.clear()
            index = self.model.index_of(row_id)
        if index.isValid():
            self._go_to(index)

    def _go_to(self, index: QModelIndex) -> None:
        self.tree.go_to(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.panel.commit()
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is not None and row is self.panel.row and self.model.plan is self.panel.plan:
            return  # the same item chosen again (a filter rebuilt the tree): nothing to redraw
        self.panel.show_row(self.model.plan, row)
        if row is None:
            return
        if self.tasks.synchronous:
            self._load_history(row.id)
        else:  # once the tree is painted, and once for a run of rows passed with the arrow keys
            self._history_row = row.id
            self._history_timer.start()

    def _load_pending_history(self) -> None:
        row = self.panel.row
        if row is not None and row.id == self._history_row:
            self._load_history(row.id)

    def _load_history(self, row_id: int) -> None:
        plan_id = self.current_plan_id
        if plan_id is None:
            return

        def work(st: Store) -> Any:
            from cxdesk.services.items import item_history

            return item_history(st, plan_id, f"#{row_id}")

        self.tasks.run(
            work,
            parent=self,
            success=lambda entries: self.panel.show_history(row_id, entries),
            failure=lambda exc: isinstance(exc, NotFound),
        )

    def _on_double_click(self, index: QModelIndex) -> None:
        """Double-click or F2 on a cell: the cursor goes to that field of the item panel."""
        if not index.isValid():
            return
        key = COLUMNS[index.column()][0]
        target = {"number": "title", "status": "status"}.get(key, key)
        self.panel.focus_field(target)

    def edit_item(
        self, row_id: int, values: dict[str, str], note: str, over: Conflict | None = None
    ) -> None:
        """Saves fields of an item (from the panel); the change goes onto the undo stack.

        The save is checked against the version the panel showed; ``over`` is a conflict the
        user has resolved (the save then goes over the version it named)."""
        plan_id = self.current_plan_id
        if plan_id is None:
            return
        from ui.connection import conflict as conflict_ui

        token = f"#{row_id}"
        shown = (
            self.panel.row if self.panel.row is not None and self.panel.row.id == row_id else None
        )
        version = over.version if over else (shown.version if shown else None)
        base = None if over else conflict_ui.values_seen(self.panel, values)

        from cxdesk.services.items import item_view, update_item
        from cxdesk.storage.versions import Conflict

        def work(store: Any) -> tuple[Changes, Any, Any]:
            before = item_view(store, plan_id, token)
            changes = update_item(store, plan_id, token, values, note, False, version, base)
            return changes, before, item_view(store, plan_id, token)

        def done(result: tuple[Changes, Any, Any]) -> None:
            changes, before, after = result
            fields = set(values) | ({"done_date", "basis"} if "status" in values else set())
            old = {f: str(getattr(before, f)) for f in fields}
            new = {f: str(getattr(after, f)) for f in fields}
            changed = sorted(f for f in fields if old[f] != new[f])
            self.panel.edit_done(row_id, {f: new[f] for f in values})
            if changed:
                self._push_item_edit(plan_id, row_id, after.number, old, new, changed)
            self.apply_changes(changes)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, Conflict) and exc.fields:
                number = shown.number if shown else token
                QTimer.singleShot(
                    0, lambda: self._resolve_conflict(row_id, values, note, exc, number)
                )
                return True
            if isinstance(exc, UserError):
                self.panel.edit_done(row_id, None, exc.message)
                return True
            self.panel.edit_done(row_id, None, "Изменение не сохранено.")
            return False

        self.tasks.run(work, parent=self, success=done, failure=failed)

    def _resolve_conflict(
        self, row_id: int, values: dict[str, str], note: str, conflict: Conflict, number: str
    ) -> None:
        """Shows a conflicting save field by field; saves what the user keeps of their own."""
        from ui.connection import conflict as conflict_ui

        chosen = conflict_ui.ask(self, conflict, number)
        others = {k: v for k, v in values.items() if k not in {f.name for f in conflict.fields}}
        if chosen is None:
            self.panel.edit_done(row_id, None, "Не сохранено: пункт изменён другим пользователем.")
            self.reload_plan()
            return
        self.panel.edit_done(row_id, None, "")
        if chosen or others:
            self.edit_item(row_id, others | chosen, note, over=conflict)
        self.reload_plan()

    def _push_item_edit(
        self, plan_id: int, row_id: int, number: str, old: dict, new: dict, changed: list[str]
    ) -> None:
        before = {f: old[f] for f in changed}
        after = {f: new[f] for f in changed}
        self.stack_for(plan_id).push(
            item_edit(plan_id, row_id, number, before, after, self.run_undo_call)
        )

    def commit_edits(self) -> None:
        """Saves the field being edited in the item panel (before a command reads the plan)."""
        self.panel.commit()

    def push_command(self, plan_id: int, command: ServiceCommand) -> None:
        """Puts an already made change onto the plan's undo stack."""
        self.stack_for(plan_id).push(command)

    def run_undo_call(self, call: Any) -> None:
        """Runs an undo or redo step; if it fails, the plan's undo history is dropped."""
        plan_id = self.current_plan_id

        def failed(exc: BaseException) -> bool:
            if plan_id is not None:
                stack = self._stacks.get(plan_id)
                if stack is not None:
                    QTimer.singleShot(0, stack.clear)
            return False

        self.tasks.run(call, parent=self, success=self.apply_changes, failure=failed)

    # --- services --------------------------------------------------------------------------
    def run_service(
        self,
        call: Any,
        *,
        label: str = "",
        then: Any = None,
        progress: bool = False,
    ) -> None:
        """Runs a service that returns Changes (or a tuple starting with them) and redraws.

        ``then(result)`` runs afterwards on the main thread (e.g. to push an undo command).
        """

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.apply_changes(changes_of(result))

        self.tasks.run(call, parent=self, success=done, label=label, progress=progress)

    def apply_changes(self, changes: Changes | None) -> None:
        """Redraws what a service changed."""
        if changes is None:
            return
        plan_id = self.current_plan_id
        if changes.plans_list or changes.structure:  # counts change with the rows
            self.reload_plans()
        if plan_id is not None and plan_id in changes.plan_ids:
            if changes.structure:
                self.reload_plan()
            elif changes.row_ids:
                ids = set(changes.row_ids)
                from cxdesk.services.views import load_rows

                self.tasks.run(
                    lambda st: load_rows(st, plan_id, ids),
                    parent=self,
                    success=lambda views: self._rows_loaded(plan_id, views, changes.history),
                )
        self.changes_applied.emit(changes)

    def _rows_loaded(self, plan_id: int, views: list[Any], history: bool) -> None:
        if plan_id != self.current_plan_id:
            return
        known = self.model.update_rows(views)
        self._update_status()
        self._update_count()
        if self.model.plan is not None:
            self.filter_bar.set_people(people(self.model.plan))
        row = self.panel.row
        if row is not None and row.id in known:
            self.panel.show_row(self.model.plan, self.model.row_by_id(row.id))
            if history:
                self._load_history(row.id)

    # --- filter and view -------------------------------------------------------------------
    def _on_filter(self, criteria: Criteria) -> None:
        self.panel.commit()
        row = self.panel.row
        changed = self.model.set_criteria(criteria)
        self._update_count()
        if not changed:  # the same rows pass: nothing moves
            return
        self.tree.expand_headings()
        index = self.model.index_of(row.id) if row is not None else QModelIndex()
        if not index.isValid():  # the row is hidden now: the first item shown takes its place
            first = self.model.first_shown_item()
            index = self.model.index_of(first) if first is not None else QModelIndex()
        if index.isValid():
            self._go_to(index)
        else:
            self.panel.show_row(self.model.plan, None)

    def _update_count(self) -> None:
        m = self.model
        items, _done, _overdue, excluded = m.counts()
        self.filter_bar.show_count(m.shown_items, items, m.criteria.active, excluded)

    def show_view(self, key: str) -> None:
        """Вид → Все пункты / Просроченные / Ближайшие сроки."""
        self.filter_bar.clear()
        if key != "all":
            self.filter_bar.set_status(key)

    def set_wrap(self, wrap: bool) -> None:
        self.tree.set_wrap(wrap)
        self.settings.set(S.WRAP_TEXT, wrap)

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def _update_status(self) -> None:
        if self.model.plan is None:
            self.status_bar.clear_progress()
        else:
            self.status_bar.show_progress(*self.model.counts())

    def _update_title(self) -> None:
        org = next((p.org for p in self.plans if p.id == self.current_plan_id), "")
        self.setWindowTitle(f"{org} — cxdesk" if org else "cxdesk")

    def _enable_plan_actions(self, enabled: bool) -> None:
        ready = self.store is not None  # the commands that write wait for the store
        for key in PLAN_ACTIONS:
            if key in self.acts:
                self.acts[key].setEnabled(enabled and (ready or key not in STORE_ACTIONS))
        for key in STORE_ACTIONS - PLAN_ACTIONS:
            self.acts[key].setEnabled(ready)
        self.filter_bar.setEnabled(enabled)

    # --- menu commands (in plan_ops, to keep this file short) ------------------------------
    def new_plan(self) -> None:
        plan_ops.new_plan(self)

    def change_answers(self) -> None:
        plan_ops.change_answers(self)

    def plan_properties(self) -> None:
        plan_ops.plan_properties(self)

    def delete_plan(self) -> None:
        from cxdesk.services.plans import delete_plan

        plan_ops.confirm_delete(self, delete_plan)

    def show_about(self) -> None:
        plan_ops.about(self)

    # --- settings --------------------------------------------------------------------------
    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.get(S.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.get(S.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        for splitter, setting in (
            (self.main_splitter, S.MAIN_SPLITTER),
            (self.plan_splitter, S.PLAN_SPLITTER),
            (self.panel.splitter, S.ITEM_SPLITTER),
        ):
            value = s.get(setting)
            if not value.isEmpty():
                splitter.restoreState(value)
        wrap = bool(s.get(S.WRAP_TEXT))
        self.tree.set_wrap(wrap)
        if Act.WRAP_TEXT in self.acts:
            self.acts[Act.WRAP_TEXT].setChecked(wrap)

    def save_settings(self) -> None:
        s = self.settings
        s.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        s.set(S.WINDOW_STATE, self.saveState())
        s.set(S.MAIN_SPLITTER, self.main_splitter.saveState())
        s.set(S.PLAN_SPLITTER, self.plan_splitter.saveState())
        s.set(S.ITEM_SPLITTER, self.panel.splitter.saveState())
        if self._header_restored:
            s.set(S.TREE_HEADER, self.tree.header().saveState())
        s.set(S.LAST_PLAN, self.current_plan_id or 0)
        s.set(S.LAST_ROW, self.panel.row.id if self.panel.row is not None else 0)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.store is None:  # the start: what was typed meanwhile waits for the store
            self.panel.commit()
            self._close_when_attached = True
            event.ignore()
            return
        self.panel.commit()
        self.save_settings()
        self.tasks.shutdown()
        event.accept()
