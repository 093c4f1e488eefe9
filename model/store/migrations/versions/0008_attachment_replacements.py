"""the history of attachments a changed file replaced

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:40:00

One path in an application's folder is one attachment: when the file changes, its new
version replaces the old attachment, or is refused and the old one stays. Each time a row
says so — the file, the old and the new hash and size, the outcome and when — so the
doctor can see on the Заявления screen that an attachment was replaced.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachment_replacement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("source_path", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("old_document_id", sa.String(), nullable=False),
        sa.Column("old_sha256", sa.String(length=64), nullable=False),
        sa.Column("old_size", sa.Integer(), nullable=False),
        sa.Column("new_document_id", sa.String(), nullable=True),
        sa.Column("new_sha256", sa.String(length=64), nullable=True),
        sa.Column("new_size", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_attachment_replacement_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_replacement")),
    )
    with op.batch_alter_table("attachment_replacement") as batch:
        batch.create_index(
            batch.f("ix_attachment_replacement_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attachment_replacement") as batch:
        batch.drop_index(batch.f("ix_attachment_replacement_application_id"))
    op.drop_table("attachment_replacement")
