"""the portfolio's additional documents

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:30:00

«Дополнительные документы» of either portfolio part: a named item (the portal's naming,
«Смирнов А.В. трудовая книжка на 3 л.») backed by a file of the document library. Before
this, files could only be attached to an application.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "additional_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("synced_version", sa.Integer(), nullable=False),
        sa.Column("remote_version", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sync_error", sa.String(), nullable=True),
        sa.Column("sync_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_additional_document_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_additional_document")),
    )
    op.create_index(
        op.f("ix_additional_document_document_id"),
        "additional_document",
        ["document_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_additional_document_document_id"), table_name="additional_document")
    op.drop_table("additional_document")
