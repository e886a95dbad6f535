"""The product's roles on a shared PostgreSQL database, enforced by the server itself.

Three group roles: ``cxdesk_coordinator`` edits the plans, ``cxdesk_executor`` edits the status,
result and documents of the items where they are responsible, ``cxdesk_viewer`` reads. Each
person signs in as their own login role, made a member of one group by :func:`grant`, and is
listed in ``people`` with their name as the plans write it in «Ответственный». Grants give each
group its tables and columns; row-level security on ``rows``, ``attachments`` and ``history``
lets an executor's change through only on their own items, whatever program sends the SQL.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from cxdesk.domain.item_fields import EXECUTOR_FIELDS
from cxdesk.errors import UserError

ROLES = {
    "coordinator": "cxdesk_coordinator",
    "executor": "cxdesk_executor",
    "viewer": "cxdesk_viewer",
}
TABLES = ("plans", "rows", "history", "attachments", "blob_files", "blob_chunks", "people")
#: What an executor may change in an item of theirs.
EXECUTOR_COLUMNS = EXECUTOR_FIELDS

_RESPONSIBLE = """
CREATE OR REPLACE FUNCTION cxdesk_responsible(responsible text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM people p, regexp_split_to_table(coalesce(responsible, ''), E'\\n') line
        WHERE p.login = current_user AND p.person <> ''
          AND strpos(lower(line), lower(p.person)) > 0
    )
$$
"""
_OWN_ROW = """
CREATE OR REPLACE FUNCTION cxdesk_own_row(row_id integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM rows r WHERE r.id = row_id AND cxdesk_responsible(r.responsible))
$$
"""


def _policies() -> list[str]:
    c, e = ROLES["coordinator"], ROLES["executor"]
    out = []
    for table in ("rows", "attachments", "history"):
        out += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS cx_read ON {table}",
            f"CREATE POLICY cx_read ON {table} FOR SELECT USING (true)",
            f"DROP POLICY IF EXISTS cx_coordinator ON {table}",
            f"CREATE POLICY cx_coordinator ON {table} FOR ALL TO {c} USING (true) "
            "WITH CHECK (true)",
        ]
    own = "cxdesk_responsible(responsible)"
    out += [
        "DROP POLICY IF EXISTS cx_executor ON rows",
        f"CREATE POLICY cx_executor ON rows FOR UPDATE TO {e} USING ({own}) WITH CHECK ({own})",
        "DROP POLICY IF EXISTS cx_executor_add ON attachments",
        f"CREATE POLICY cx_executor_add ON attachments FOR INSERT TO {e} "
        "WITH CHECK (cxdesk_own_row(row_id))",
        "DROP POLICY IF EXISTS cx_executor ON attachments",
        f"CREATE POLICY cx_executor ON attachments FOR UPDATE TO {e} "
        "USING (cxdesk_own_row(row_id)) WITH CHECK (cxdesk_own_row(row_id))",
        "DROP POLICY IF EXISTS cx_executor ON history",
        f"CREATE POLICY cx_executor ON history FOR INSERT TO {e} "
        "WITH CHECK (row_id IS NOT NULL AND cxdesk_own_row(row_id))",
    ]
    return out


def setup(engine: Engine) -> list[str]:
    """Creates (or brings up to date) the three roles, their grants and the policies; returns
    the statements run. Needs a role that owns the tables (the one that migrated them)."""
    c, e, v = ROLES["coordinator"], ROLES["executor"], ROLES["viewer"]
    statements = []
    for role in (c, e, v):
        statements.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
    tables = ", ".join(TABLES)
    cols = ", ".join(EXECUTOR_COLUMNS + ("version",))
    statements += [
        f"GRANT USAGE ON SCHEMA public TO {c}, {e}, {v}",
        f"GRANT SELECT ON {tables}, alembic_version TO {c}, {e}, {v}",
        f"GRANT INSERT, UPDATE, DELETE ON {tables} TO {c}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {c}, {e}",
        f"GRANT UPDATE ({cols}) ON rows TO {e}",
        f"GRANT UPDATE (updated_at, version) ON plans TO {e}",
        f"GRANT INSERT ON history, attachments TO {e}",
        f"GRANT UPDATE (removed_at) ON attachments TO {e}",
        f"GRANT INSERT, UPDATE, DELETE ON blob_files, blob_chunks TO {e}",
        _RESPONSIBLE,
        _OWN_ROW,
        *_policies(),
    ]
    with engine.begin() as con:
        for sql in statements:
            con.execute(text(sql))
    return statements


_LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


def grant(engine: Engine, role: str, login: str, person: str = "", password: str = "") -> None:
    """Makes ``login`` (created if new) a member of the product role ``role`` only, and records
    the person's name as the plans write it."""
    if role not in ROLES:
        raise UserError(f"Нет роли «{role}». Роли: {', '.join(ROLES)}.")
    if not _LOGIN.match(login):
        raise UserError(
            f"Имя входа «{login}» не подходит: латинские строчные буквы, цифры, «_», «.», «-»."
        )
    quoted = '"' + login + '"'
    with engine.begin() as con:
        exists = con.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login})
        if exists.first() is None:
            con.execute(text(f"CREATE ROLE {quoted} LOGIN"))
        if password:
            literal = "'" + password.replace("'", "''") + "'"
            con.execute(text(f"ALTER ROLE {quoted} PASSWORD {literal}"))
        for other in ROLES.values():
            con.execute(text(f"REVOKE {other} FROM {quoted}"))
        con.execute(text(f"GRANT {ROLES[role]} TO {quoted}"))
        con.execute(
            text(
                "INSERT INTO people (login, person, role) VALUES (:l, :p, :r) ON CONFLICT (login) "
                "DO UPDATE SET person = excluded.person, role = excluded.role"
            ),
            {"l": login, "p": person, "r": role},
        )
