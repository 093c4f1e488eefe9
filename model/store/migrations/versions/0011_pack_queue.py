"""the pack queue: files waiting to be packed onto their application

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 01:30:00

The daemon packs files the limits would refuse; the work now survives a restart.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pack_job",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("source_path", sa.String(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_pack_job_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_pack_job_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_job")),
        sa.UniqueConstraint(
            "application_id", "document_id", name=op.f("uq_pack_job_application_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("pack_job")
