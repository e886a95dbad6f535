"""Shows in the window what the command line (or another program, or another person on a shared
database) changed in the database.

Every two seconds the store's change probe asks whether another connection committed: on SQLite
a read-only connection reads ``PRAGMA data_version`` (one counter); on a shared PostgreSQL
database a connection LISTENs on the ``cxdesk`` channel, to which the database's triggers send
every changed plan's id, and a look (every half second) sends no query at all until a
notification came. Only then it looks at what changed: the plans
(added, removed, ``updated_at``) and the history entries added since the last look (each names
its plan). A change the window did not make itself is a change from outside: the plans list is
read again, the undo steps of every plan changed underneath are dropped (they may no longer
fit), and the open plan, if it changed, is read again with its selection and scroll position
kept, with a note in the status bar.

The window's own changes are told apart without guessing from time: while work is queued on the
database worker the check waits; plans named in the Changes the window applied since the last
look are its own; and writes made through the window's engine with no Changes applied (a feature
that redraws by itself) are taken as its own too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer

from cxdesk.services.watching import watch

if TYPE_CHECKING:
    from cxdesk.services.common import Changes

    from ui.mainwindow.window import MainWindow

POLL_MS = 2000
#: On a shared database a look costs no query until a notification came: look more often.
LISTEN_POLL_MS = 500
NOTE_MS = 10000
NOTE = "План изменён вне окна (например, командой cxdesk): показано новое состояние{undo}."


class ExternalChanges(QObject):
    """Polls the database for changes made outside the window (see the module's docstring)."""

    def __init__(self, window: MainWindow, store: Any) -> None:
        super().__init__(window)
        self.window = window
        self.watch = watch(store)
        self._version: int | None = None
        self._plans: dict[int, str] = {}
        self._history = 0
        self._writes_seen = 0
        self._touched: set[int] = set()
        self.mark_seen()
        window.changes_applied.connect(self._on_changes)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS if store.kind == "sqlite" else LISTEN_POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    # --- reading ---------------------------------------------------------------------------
    def _read(self, since: int | None) -> tuple[Any, dict[int, str], int, set[int]] | None:
        """The probe's marker, the plans' last changes, the last history id, and the plans
        named since ``since`` (see :mod:`cxdesk.services.watching`)."""
        return self.watch.read(since)

    @property
    def _own_writes(self) -> int:
        return self.watch.own_writes

    def _on_changes(self, changes: Changes) -> None:
        self._touched.update(changes.plan_ids)

    # --- checking --------------------------------------------------------------------------
    def mark_seen(self, *_args: Any) -> None:
        """Takes the database as it is now as known (after the window's own restore, say)."""
        got = self._read(None)
        if got is not None:
            self._version, self._plans, self._history, _named = got
        self._writes_seen = self._own_writes
        self._touched.clear()

    def changed_plans(self) -> set[int] | None:
        """Plans changed since the last look (None: nothing committed since)."""
        got = self._read(self._history)
        if got is None or got[0] == self._version:
            return None
        version, plans, last, named = got
        changed = set(named)
        if last < self._history:  # the database went back (a restore): all of it is new
            changed |= set(plans) | set(self._plans)
        changed |= {p for p in set(plans) | set(self._plans) if plans.get(p) != self._plans.get(p)}
        self._version, self._plans, self._history = version, plans, last
        return changed

    def poll(self) -> bool:
        """Checks once; True when a change from outside was found and shown."""
        if self.window.tasks.pending:
            return False  # the window's own work may be committing: look next time
        changed = self.changed_plans()
        if changed is None:
            return False
        own_writes = self._own_writes != self._writes_seen
        touched = set(self._touched)
        self._writes_seen = self._own_writes
        self._touched.clear()
        if not own_writes:
            outside = changed
        elif touched:
            outside = changed - touched
        else:
            outside = set()  # written by the window, redrawn by the feature that wrote
        if not outside:
            return False
        self.refresh(outside)
        return True

    # --- showing ---------------------------------------------------------------------------
    def refresh(self, plans: set[int]) -> None:
        """Reads the plans list again; drops the undo steps of ``plans``; reads the open plan
        again if it is among them, keeping its selection and scroll position."""
        w = self.window
        stacks = {s.objectName(): s for s in w.undo_group.stacks()}
        dropped = False
        for plan_id in plans:
            stack = stacks.get(f"undo_{plan_id}")  # named so by the window's stack_for
            dropped = dropped or bool(stack is not None and stack.count())
            w.drop_stack(plan_id)
        open_id = w.current_plan_id
        if open_id is not None and open_id in plans:
            w.undo_group.setActiveStack(w.stack_for(open_id))
            self._keep_view()
            w.reload_plan()
        w.reload_plans()
        undo = "; прежние действия отменить уже нельзя" if dropped else ""
        w.statusBar().showMessage(NOTE.format(undo=undo), NOTE_MS)

    def _keep_view(self) -> None:
        tree = self.window.tree
        top = tree.verticalScrollBar().value()
        left = tree.horizontalScrollBar().value()

        def restore(_plan_id: int) -> None:
            tree.executeDelayedItemsLayout()
            tree.verticalScrollBar().setValue(top)
            tree.horizontalScrollBar().setValue(left)

        self.window.plan_opened.connect(restore, Qt.ConnectionType.SingleShotConnection)

    def stop(self) -> None:
        """Stops watching (the window closes)."""
        self.timer.stop()
        self.watch.close()
