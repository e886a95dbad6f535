"""Database work off the main thread, results back on it.

All work on the store goes through one worker thread (SQLite likes one writer), in the order it
was asked for. The caller gets the result on the main thread (``success``); a failure goes to
``failure`` if given and not handled there, to the error dialog. Work that takes longer than
600 ms shows a progress dialog; work given a :class:`~cxdesk.progress.Progress` can report its
steps and be cancelled. In synchronous mode (tests) the work runs at once, in the caller's thread.

    window.tasks.run(lambda store: delete_plan(store, plan_id), parent=window,
                     success=window.apply_changes, label="Удаление плана…")
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cxdesk.progress import Cancelled, Progress

from ui import msgbox

if TYPE_CHECKING:
    from cxdesk.storage.db import Store

#: Work that ends sooner than this shows no progress dialog.
PROGRESS_DELAY_MS = 600

T = TypeVar("T")
Success = Callable[[Any], object]
Failure = Callable[[BaseException], bool | None]


class _Bridge(QObject):
    """Carries progress reports from the worker to the dialog (queued across threads).

    Signals: changed(float, str): share done (0…1, or -1 when unknown) and the step's name.
    """

    changed = Signal(float, str)


class UiProgress(Progress):
    """A Progress that the worker fills and the progress dialog shows."""

    def __init__(self) -> None:
        super().__init__()
        self.bridge = _Bridge()

    def report(self) -> None:
        self.bridge.changed.emit(self.value, self.status)


class _Job:
    """One piece of work: what to call afterwards and its (possibly not yet shown) dialog."""

    def __init__(
        self,
        parent: QWidget | None,
        success: Success | None,
        failure: Failure | None,
        label: str,
        progress: UiProgress | None,
    ) -> None:
        self.parent = parent
        self.success = success
        self.failure = failure
        self.label = label
        self.progress = progress
        self.dialog: QProgressDialog | None = None
        self.finished = False

    def show_dialog(self) -> None:
        if self.finished or not self.label:
            return
        cancellable = self.progress is not None
        dialog = QProgressDialog(self.label, "Прервать", 0, 0, self.parent)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle("cxdesk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self.progress is not None:
            self.progress.bridge.changed.connect(self._on_progress)
            dialog.canceled.connect(self.progress.request_cancel)
            if self.progress.value > 0:
                self._set(dialog, self.progress.value, self.progress.status)
        dialog.show()
        self.dialog = dialog

    def _on_progress(self, value: float, status: str) -> None:
        if self.dialog is not None:
            self._set(self.dialog, value, status)

    def _set(self, dialog: QProgressDialog, value: float, status: str) -> None:
        if value >= 0:
            dialog.setMaximum(1000)
            dialog.setValue(int(value * 1000))
        if status:
            dialog.setLabelText(f"{self.label}\n{status}")

    def close(self) -> None:
        self.finished = True
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


class Tasks(QObject):
    """Runs work on the store through one worker thread.

    Signals: busy_changed(bool): True when work starts with nothing else queued, False when the
    queue empties (the window shows a busy cursor in between).
    """

    busy_changed = Signal(bool)
    #: A continuation (``success`` or ``failure``) raised: the flow it belonged to will not
    #: reach its end, so whoever waits for that end (a menu entry refusing a second press)
    #: stops waiting. The error itself goes on to the error dialog.
    broken = Signal()
    _delivered = Signal(object)

    def __init__(
        self, store: Store | None, synchronous: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        #: None while the store is still being opened (the window's start): work asked for
        #: meanwhile waits, in order, and starts when :meth:`attach` gives the store.
        self.store = store
        self.synchronous = synchronous
        self.pending = 0
        self._waiting: list[tuple[Callable[..., Any], _Job]] = []
        self._executor: ThreadPoolExecutor | None = None
        if not synchronous:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxdesk-db")
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[..., T],
        *,
        parent: QWidget | None = None,
        success: Callable[[T], object] | None = None,
        failure: Failure | None = None,
        label: str = "",
        progress: bool = False,
    ) -> None:
        """Runs ``fn(store)`` (or ``fn(store, progress)`` with ``progress=True``), then
        ``success(result)`` on the main thread.

        This is the one way the window runs work: a flow that needs a result goes on in
        ``success`` (a continuation), it never waits for it. ``label`` names the work in the
        progress dialog (none without a label). ``failure`` returns True when it has shown the
        error itself; a cancelled work calls neither.
        """
        reporter = UiProgress() if progress else None
        job = _Job(parent, success, failure, label, reporter)
        if self._executor is None:
            try:
                result = fn(*self._args(job))
            except BaseException as exc:  # noqa: BLE001 - delivered like the threaded case
                self._finish(job, None, exc)
            else:
                self._finish(job, result, None)
            return
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        if label:
            QTimer.singleShot(PROGRESS_DELAY_MS, job.show_dialog)
        if self.store is None:
            self._waiting.append((fn, job))
            return
        self._submit(fn, job)

    def attach(self, store: Store) -> None:
        """Gives the store opened after the runner was made; the work waiting for it starts."""
        self.store = store
        waiting, self._waiting = self._waiting, []
        for fn, job in waiting:
            self._submit(fn, job)

    def _args(self, job: _Job) -> tuple[Any, ...]:
        return (self.store, job.progress) if job.progress is not None else (self.store,)

    def _submit(self, fn: Callable[..., Any], job: _Job) -> None:
        assert self._executor is not None
        future = self._executor.submit(fn, *self._args(job))
        future.add_done_callback(lambda f: self._delivered.emit((job, f)))

    def _deliver(self, payload: tuple[_Job, Future[Any]]) -> None:
        job, future = payload
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        exc = future.exception()
        self._finish(job, None if exc else future.result(), exc)

    def _finish(self, job: _Job, result: Any, exc: BaseException | None) -> None:
        job.close()
        try:
            self._continue(job, result, exc)
        except BaseException:
            self.broken.emit()
            raise

    def _continue(self, job: _Job, result: Any, exc: BaseException | None) -> None:
        if exc is None:
            if job.success is not None:
                job.success(result)
            return
        if isinstance(exc, Cancelled):
            return
        if job.failure is not None and job.failure(exc):
            return
        data_dir = self.store.data_dir if self.store is not None else None
        msgbox.error(job.parent, exc, data_dir, context=_describe(job))

    def shutdown(self) -> None:
        """Waits for queued work to end (the window calls this when it closes)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def tasks_of(widget: QObject | None) -> Tasks:
    """The task runner of the window above ``widget`` (the first ancestor with ``tasks``)."""
    while widget is not None:
        found = getattr(widget, "tasks", None)
        if isinstance(found, Tasks):
            return found
        widget = widget.parent()
    raise LookupError("no window with a task runner above this widget")


def _describe(job: _Job) -> str:
    if job.label:
        return job.label
    if job.success is not None:
        return f"while running work for {getattr(job.success, '__qualname__', job.success)}"
    return "background work"
