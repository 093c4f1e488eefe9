"""notifications: the outbox of events told to the doctor, and which go where

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 20:00:00

The daemon tells the doctor of decisions, refused files and deadlines by e-mail and a hook;
each event is recorded before it is sent so a restart never repeats or loses it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("event_key", "channel", name=op.f("uq_notification_event_key")),
    )
    op.create_index(op.f("ix_notification_next_attempt_at"), "notification", ["next_attempt_at"])
    op.create_table(
        "notification_choice",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("hook", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_notification_choice")),
    )


def downgrade() -> None:
    op.drop_table("notification_choice")
    op.drop_index(op.f("ix_notification_next_attempt_at"), table_name="notification")
    op.drop_table("notification")
