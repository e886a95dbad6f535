"""A Qt-free progress and cancel protocol for long work (import, export, check, pack).

The window passes an object that drives a progress dialog; the command line passes one that
prints to stderr; tests pass :class:`Progress` itself, which only records.
"""

from __future__ import annotations


class Cancelled(Exception):
    """Raised inside long work when the user asked to stop; the service undoes what it began."""


class Progress:
    """Receives progress of long work. Subclasses override :meth:`report`."""

    def __init__(self) -> None:
        self.value = 0.0
        self.status = ""
        self._cancel = False

    def set_status(self, text: str) -> None:
        """Names the current step in words the user understands."""
        self.status = text
        self.report()

    def set_value(self, value: float) -> None:
        """Sets the share done, 0.0 … 1.0."""
        self.value = max(0.0, min(1.0, value))
        self.report()

    def request_cancel(self) -> None:
        self._cancel = True

    def check(self) -> None:
        """Raises :class:`Cancelled` if the user asked to stop."""
        if self._cancel:
            raise Cancelled()

    def report(self) -> None:
        """Called on every change; the default does nothing."""


NO_PROGRESS = Progress()
