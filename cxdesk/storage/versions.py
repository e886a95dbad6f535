"""Versions of plans and rows, so that several people can work on one shared database.

Every row carries a version (``rows.version``) that the ORM raises by one with each save and
checks in the save itself (``UPDATE … WHERE id = … AND version = …``: SQLAlchemy's
``version_id_col``, set on the model). A save over a row that another person saved meanwhile
therefore changes nothing and comes out as :class:`Conflict`. A service that knows which version
the user edited (the item panel shows one and saves later) passes it to :func:`expect_version`,
which raises a :class:`Conflict` naming every field whose stored value differs from what the user
saw, so the window can show both values side by side. A plan's ``version`` rises with every save
that touches the plan (its own fields or ``updated_at``), as an atomic ``version + 1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from cxdesk.errors import UserError
from cxdesk.storage.models import Plan


@dataclass
class FieldConflict:
    """One field: what the user started from, what they want, what is stored now."""

    name: str
    base: str
    mine: str
    theirs: str


class Conflict(UserError):
    """A save over a newer version: nothing was saved.

    ``fields`` lists each field that someone else changed (with the three values); ``version``
    is the version stored now, to be passed back when the user has decided.
    """

    def __init__(
        self,
        message: str,
        row_id: int | None = None,
        version: int | None = None,
        fields: list[FieldConflict] | None = None,
    ) -> None:
        super().__init__(message)
        self.row_id = row_id
        self.version = version
        self.fields: list[FieldConflict] = fields or []

    @classmethod
    def from_stale(cls, exc: BaseException, shared: bool = False) -> Conflict:
        """The save found the row at another version than it read (or, on a shared database,
        not at all: row-level security hides another's item from an executor's change)."""
        rights = (
            " Если пункт не ваш: исполнитель меняет только пункты, где он указан ответственным."
            if shared
            else ""
        )
        return cls(
            "Эту строку только что изменил другой пользователь; ваше изменение не сохранено. "
            "Откройте пункт заново (данные обновятся) и повторите изменение." + rights
        )


def expect_version(
    row: Any,
    expected: int | None,
    base: Mapping[str, str] | None,
    wanted: Mapping[str, str],
) -> None:
    """Raises :class:`Conflict` when ``row`` is no longer at the ``expected`` version.

    ``base`` holds the values the user saw (when known): only fields changed since then by
    someone else, and set differently by this save, count; with no ``base`` every wanted field
    whose stored value differs is listed.
    """
    if expected is None or row.version == expected:
        return
    fields = []
    for name, mine in wanted.items():
        theirs = str(getattr(row, name) or "")
        seen = base.get(name, theirs) if base is not None else None
        if theirs == mine:
            continue
        if base is not None and seen == theirs:
            continue  # nobody else changed this one
        fields.append(FieldConflict(name, seen if seen is not None else "", mine, theirs))
    if base is not None and not fields:
        return  # others changed other fields only: this save does not overwrite anything
    names = ", ".join(f.name for f in fields) or "—"
    raise Conflict(
        f"Пункт изменён другим пользователем, пока вы его редактировали (версия {row.version}, "
        f"у вас {expected}); расходятся поля: {names}. Ничего не сохранено: выберите значения "
        "и сохраните снова.",
        row_id=row.id,
        version=row.version,
        fields=fields,
    )


def _bump_plans(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, Plan) and session.is_modified(obj, include_collections=False):
            state = inspect(obj)
            if "version" in state.attrs and state.attrs.version.history.has_changes():
                continue
            obj.version = Plan.version + 1


def install_versioning() -> None:
    """Makes every session raise a plan's version with each save that touches it (once)."""
    if not event.contains(Session, "before_flush", _bump_plans):
        event.listen(Session, "before_flush", _bump_plans)
