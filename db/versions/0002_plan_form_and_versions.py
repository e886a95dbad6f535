"""Plan form, signature and executor; row and plan versions for shared databases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        # JSON of the plan's printed form (columns, numbering, title, blocks); "" = the template's.
        batch.add_column(sa.Column("form", sa.Text, nullable=False, server_default=""))
        # The signature block printed below the table, one line per line of the original.
        batch.add_column(sa.Column("signature", sa.Text, nullable=False, server_default=""))
        # The executor line («Исп.: …, тел. …») under the signature.
        batch.add_column(sa.Column("executor", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("rows") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("rows") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("plans") as batch:
        for name in ("version", "executor", "signature", "form"):
            batch.drop_column(name)
