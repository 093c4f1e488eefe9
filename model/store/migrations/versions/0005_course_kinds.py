"""course specialty, the four course kinds, document checklist item

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-01 22:40:00

Courses gain the specialty they were taken for. Their kind column keeps its values: the
two kinds older stores knew («Повышение квалификации», «НМО») do not say which of the four
kinds a course is (ДПП ПК or переподготовка; interactive module or event), so those rows
are left as they are and the readiness check asks the worker for each one instead of
guessing. Documents gain the checklist item they cover.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.add_column(sa.Column("specialty", sa.String(), nullable=True))
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("checklist_item", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("checklist_item")
    with op.batch_alter_table("course") as batch:
        batch.drop_column("specialty")
