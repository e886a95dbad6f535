"""The log file in the data folder, where unexpected errors are written for the developers.

Text that cannot be encoded (a file name that is not UTF-8, kept as surrogate escapes) is
written escaped, never lost: the log is the one place an unexpected error is kept.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

LOG_NAME = "cxdesk.log"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def write_exception(data_dir: Path, exc: BaseException, context: str = "") -> Path:
    """Writes an exception with its traceback to the rotating log; returns the log's path.

    Falls back to the system temporary folder when the data folder cannot be written.
    """
    path = log_path(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        path = Path(tempfile.gettempdir()) / LOG_NAME
    logger = logging.getLogger(f"cxdesk.errors.{path}")
    if not logger.handlers:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", errors="backslashreplace"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    logger.error("%s\n%s", context or "unexpected error", text)
    for h in logger.handlers:
        h.flush()
    return path
