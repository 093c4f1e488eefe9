"""sync bookkeeping and refused files

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:14:29.615660
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "rejected_file",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("rejected_path", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("application_id", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_rejected_file_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_file")),
    )


def downgrade() -> None:
    op.drop_table("rejected_file")
    op.drop_table("sync_state")
