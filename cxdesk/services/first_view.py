"""What the window shows first, read through the light path (:mod:`cxdesk.storage.light`): the
plans list and the plan to open, so that the window paints them before the store (and
SQLAlchemy, 0.3–0.5 s) is loaded. The store then opens behind the painted window and takes over.

It reads only; it builds the same views as :mod:`cxdesk.services.views` with the same builders
(:mod:`cxdesk.services.shapes`). It applies to the data folder's own SQLite file at the current
schema revision; for anything else (a shared database, a file to migrate, a damaged one, no file
yet) :func:`first_view` returns None and the window starts the normal way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cxdesk.services.shapes import PlanSummary, PlanView, plan_summary, plan_view, today
from cxdesk.storage.light import open_reader


@dataclass(frozen=True)
class FirstView:
    """The plans list, and the plan the window opens on (None: no plans yet)."""

    plans: list[PlanSummary]
    plan: PlanView | None


def first_view(db_path: Path, wanted: int | None, on: date | None = None) -> FirstView | None:
    """The plans and the plan ``wanted`` (the one open when the window last closed; else the
    first), read from the SQLite file ``db_path``; None when the light path does not apply."""
    reader = open_reader(db_path)
    if reader is None:
        return None
    on = on or today()
    try:
        with reader:
            states = reader.item_states()
            stored = reader.plans()
            plans = [plan_summary(p, states.get(p.id, []), on) for p in stored]
            chosen = next((p for p in stored if p.id == wanted), stored[0] if stored else None)
            if chosen is None:
                return FirstView(plans, None)
            names: dict[int, list[str]] = {}
            for a in reader.attachments(chosen.id):
                names.setdefault(a.row_id, []).append(a.name)
            return FirstView(plans, plan_view(chosen, reader.rows(chosen.id), names, on))
    except sqlite3.Error:
        return None
