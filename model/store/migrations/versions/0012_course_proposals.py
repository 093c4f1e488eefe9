"""course proposals: courses read from the documents dropped into the folder

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 20:30:00

A scanned удостоверение or НМО certificate becomes a proposed course the doctor confirms.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_proposal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=True),
        sa.Column("course_kind", sa.String(length=32), nullable=True),
        sa.Column("fields_json", sa.String(), nullable=False),
        sa.Column("pages_read", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("cut", sa.String(length=8), nullable=True),
        sa.Column("ocr", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("course_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_course_proposal_document_id_document"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_course_proposal_course_id_course")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_proposal")),
        sa.UniqueConstraint("document_id", name=op.f("uq_course_proposal_document_id")),
    )
    op.create_index(op.f("ix_course_proposal_status"), "course_proposal", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_course_proposal_status"), table_name="course_proposal")
    op.drop_table("course_proposal")
