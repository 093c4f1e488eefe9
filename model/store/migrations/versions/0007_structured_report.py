"""the report on professional activity as structured data; one place for its agreement

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 22:45:00

The report gains its facts (department, position, стаж, period), its blocks, its variant
and its signer. «Согласование отчёта» was stored twice (the report's `agreed` and each
application's `report_agreed`) and only the application's copy was used; the answer now
lives in the report's variant alone. Upgrading keeps the answer the worker last gave: the
newest application's copy wins, then the report's own. A «Нет» did not say why; it becomes
«Не работаю» when no job is open and «Мотивированный отказ» otherwise (Decision: those are
the two «Нет» cases a worker with a job or without one most likely meant), and the worker
can change it in the report. The old one-line text moves into the duties block.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    "department",
    "position",
    "seniority",
    "edited_facts",
    "organization_text",
    "department_text",
    "experience_text",
    "duties",
    "achievements",
    "mentoring",
    "proposals",
    "signer_name",
    "signer_position",
)


def _last_answer(conn: sa.Connection) -> bool | None:
    row = conn.execute(
        sa.text("SELECT report_agreed FROM application WHERE deleted = 0 ORDER BY created_at DESC")
    ).first()
    return None if row is None else bool(row[0])


def _has_open_job(conn: sa.Connection) -> bool:
    today = date.today().isoformat()
    row = conn.execute(
        sa.text(
            "SELECT 1 FROM employment WHERE deleted = 0 "
            "AND (end_date IS NULL OR end_date >= :today) LIMIT 1"
        ),
        {"today": today},
    ).first()
    return row is not None


def upgrade() -> None:
    with op.batch_alter_table("professional_report") as batch:
        for name in _TEXT_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("variant", sa.String(length=32), nullable=False, server_default="agreed")
        )
        batch.add_column(sa.Column("signed_on", sa.Date(), nullable=True))

    conn = op.get_bind()
    answer = _last_answer(conn)
    no_variant = "refused" if _has_open_job(conn) else "not_working"
    reports = conn.execute(
        sa.text(
            "SELECT id, agreed, text, organization FROM professional_report "
            "WHERE deleted = 0 ORDER BY updated_at DESC"
        )
    ).all()
    for index, (report_id, agreed, text, organization) in enumerate(reports):
        # The application's copy was the one in use; it speaks for the newest report.
        said = answer if index == 0 and answer is not None else agreed
        conn.execute(
            sa.text(
                "UPDATE professional_report SET variant = :variant, duties = :duties, "
                "edited_facts = :edited WHERE id = :id"
            ),
            {
                "variant": "agreed" if said in (None, True, 1) else no_variant,
                "duties": text or "",
                # The old organization was typed by the worker: pre-fill must not replace it.
                "edited": "organization" if str(organization or "").strip() else "",
                "id": report_id,
            },
        )
    if not reports and answer is False:
        # A «Нет» given only on an application must not turn into «Да».
        conn.execute(
            sa.text(
                "INSERT INTO professional_report (id, version, synced_version, deleted, "
                "updated_at, sync_attempts, organization, year, text, variant) VALUES "
                "(:id, 1, 0, 0, :now, 0, '', :year, '', :variant)"
            ),
            {
                "id": str(uuid4()),
                "now": datetime.now(UTC).replace(tzinfo=None),
                # The wire contract needs a year before the worker ever opens the report.
                "year": date.today().year,
                "variant": no_variant,
            },
        )

    with op.batch_alter_table("professional_report") as batch:
        batch.drop_column("text")
        batch.drop_column("agreed")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("report_agreed")


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(
            sa.Column("report_agreed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("professional_report") as batch:
        batch.add_column(sa.Column("text", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("agreed", sa.Boolean(), nullable=True))
    conn = op.get_bind()
    conn.execute(
        sa.text("UPDATE professional_report SET text = duties, agreed = (variant = 'agreed')")
    )
    newest = conn.execute(
        sa.text(
            "SELECT variant FROM professional_report WHERE deleted = 0 ORDER BY updated_at DESC"
        )
    ).first()
    if newest is not None:
        conn.execute(
            sa.text("UPDATE application SET report_agreed = :agreed"),
            {"agreed": newest[0] == "agreed"},
        )
    with op.batch_alter_table("professional_report") as batch:
        for name in (*_TEXT_COLUMNS, "period_start", "period_end", "variant", "signed_on"):
            batch.drop_column(name)
