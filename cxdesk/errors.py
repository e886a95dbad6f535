"""The two kinds of failure cxdesk knows.

:class:`UserError` is bad input or the environment's fault (an unknown plan, a wrong date, a broken
file, a full disk): it carries a message in Russian that says what is wrong and what to do, and the
command line exits with 2 (or 1 for :class:`EnvironmentProblem`). Anything else is a bug: it goes to
the log file and the user is told where the log is.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input: the message says what is wrong and what to do. Nothing was changed."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """An unknown plan, item, template or file."""


class BadFile(UserError):
    """A file that cannot be read as what it claims to be (broken, hostile, wrong format)."""


class EnvironmentProblem(UserError):
    """The machine's fault, not the input's: disk full, folder read-only, database locked."""

    exit_code = 1
