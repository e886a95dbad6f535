"""A shared database: attachments kept in the database, the people behind database roles, and
(on PostgreSQL) a notification on every change for the open windows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION cxdesk_notify() RETURNS trigger AS $$
DECLARE
    changed integer;
BEGIN
    IF TG_TABLE_NAME = 'plans' THEN
        changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    ELSE
        changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.plan_id ELSE NEW.plan_id END;
    END IF;
    PERFORM pg_notify('cxdesk', changed::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

NOTIFIED = ("plans", "rows", "history")


def upgrade() -> None:
    # Attachment files in the database (used on a shared database): one row per file, its bytes
    # in chunks of 1 MiB so that neither side ever holds a whole file in memory.
    op.create_table(
        "blob_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=True, unique=True),  # NULL while written
        sa.Column("size", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("chunks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("added_at", sa.String(32), nullable=False, server_default=""),
    )
    op.create_table(
        "blob_chunks",
        sa.Column(
            "blob_id",
            sa.Integer,
            sa.ForeignKey("blob_files.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    # Who is who on a shared database: a database role (login) and the person's name as the
    # plans write it in «Ответственный» (one person per line), with the product's role.
    op.create_table(
        "people",
        sa.Column("login", sa.String(63), primary_key=True),
        sa.Column("person", sa.Text, nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False, server_default="viewer"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        for table in NOTIFIED:
            op.execute(
                f"CREATE TRIGGER cxdesk_notify_{table} AFTER INSERT OR UPDATE OR DELETE ON "
                f"{table} FOR EACH ROW EXECUTE FUNCTION cxdesk_notify()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER IF EXISTS cxdesk_notify_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS cxdesk_notify()")
    op.drop_table("people")
    op.drop_table("blob_chunks")
    op.drop_table("blob_files")
