"""The one place cxdesk reads the clock.

``CXDESK_TODAY=YYYY-MM-DD`` fixes the calendar date (tests, demonstrations, screenshots); the time
of day keeps running, so history stays in order. Everything that stamps, compares or names things
by date asks here, so a fixed date holds everywhere at once. File ages (temporary files left by a
killed process) are compared with the files' own times and use :func:`wall_time`.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime

ENV_TODAY = "CXDESK_TODAY"


def _fixed_date() -> date | None:
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def today() -> date:
    """Today's date, or the fixed one."""
    return _fixed_date() or date.today()


def now() -> datetime:
    """The current local moment (naive), on the fixed date when one is set."""
    real = datetime.now()
    fixed = _fixed_date()
    return datetime.combine(fixed, real.time()) if fixed else real


def now_aware() -> datetime:
    """The current moment with the local time zone, on the fixed date when one is set."""
    real = datetime.now().astimezone()
    fixed = _fixed_date()
    return datetime.combine(fixed, real.timetz()) if fixed else real


def now_utc() -> datetime:
    """The current moment in UTC (aware), on the fixed date when one is set."""
    return now_aware().astimezone(UTC)


def wall_time() -> float:
    """Seconds since the epoch, real: only for comparing with file modification times."""
    return time.time()
