"""The first schema: plans, rows, history, attachments.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("template_id", sa.String(40), nullable=False, server_default=""),
        sa.Column("template_version", sa.String(20), nullable=False, server_default=""),
        sa.Column("org", sa.Text, nullable=False, server_default=""),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("approver_position", sa.Text, nullable=False, server_default=""),
        sa.Column("approver_name", sa.Text, nullable=False, server_default=""),
        sa.Column("approval_date", sa.Text, nullable=False, server_default=""),
        sa.Column("answers", sa.Text, nullable=False, server_default="{}"),
        sa.Column("done_refs", sa.Text, nullable=False, server_default="[]"),
        sa.Column("auto_number", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("numbering", sa.String(10), nullable=False, server_default="dotted"),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("columns", sa.Text, nullable=False, server_default=""),
        sa.Column("synced_at", sa.String(32), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("depth", sa.Integer, nullable=False, server_default="0"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ref", sa.String(60), nullable=False, server_default=""),
        sa.Column("number", sa.String(40), nullable=False, server_default=""),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("start", sa.Text, nullable=False, server_default=""),
        sa.Column("deadline", sa.Text, nullable=False, server_default=""),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("responsible", sa.Text, nullable=False, server_default=""),
        sa.Column("result", sa.Text, nullable=False, server_default=""),
        sa.Column("document", sa.Text, nullable=False, server_default=""),
        sa.Column("materials", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="not_started"),
        sa.Column("basis", sa.Text, nullable=False, server_default=""),
        sa.Column("done_date", sa.String(10), nullable=False, server_default=""),
    )
    op.create_index("ix_rows_plan_position", "rows", ["plan_id", "position"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "row_id", sa.Integer, sa.ForeignKey("rows.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user", sa.Text, nullable=False, server_default=""),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old", sa.Text, nullable=False, server_default=""),
        sa.Column("new", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_history_row", "history", ["row_id"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "row_id", sa.Integer, sa.ForeignKey("rows.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("removed_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_attachments_row", "attachments", ["row_id"])


def downgrade() -> None:
    op.drop_table("attachments")
    op.drop_table("history")
    op.drop_table("rows")
    op.drop_table("plans")
