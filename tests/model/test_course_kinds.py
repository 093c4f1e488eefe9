"""Migration 0005: old course kinds survive and are asked for, never guessed."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from frmr.model.portfolio.edits import add_row, update_row
from frmr.model.readiness.from_store import readiness
from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.errors import FieldInvalid
from frmr.model.store.account import Account, open_account
from frmr.model.store.engine import open_store
from frmr.model.store.settings import load_settings
from tests.support.portfolio_reads import listed

TODAY = date(2026, 12, 1)


def _old_store_with_two_courses(home: Path) -> None:
    with open_store(home, migrate_to="0002") as store:
        db_path = store.db_path
    with sqlite3.connect(db_path) as conn:
        for i, kind in enumerate(("further_training", "nmo")):
            conn.execute(
                "INSERT INTO course (id, version, synced_version, deleted, updated_at,"
                " sync_attempts, kind, institution, theme, hours, begin_date, end_date,"
                " doc_number) VALUES (?, 1, 0, 0, '2026-01-01 00:00:00', 0, ?, 'РМАНПО',"
                " ?, 36, '2025-03-01', '2025-03-05', 'У-1')",
                (f"00000000-0000-0000-0000-00000000000{i}", kind, f"Курс {kind}"),
            )


def test_old_kinds_survive_the_migration_and_each_asks_for_its_kind(frmr_home: Path) -> None:
    _old_store_with_two_courses(frmr_home)
    with open_account(load_settings()) as account:
        courses = listed(account, "courses")
        assert {c.kind for c in courses} == {CourseKind.FURTHER_TRAINING, CourseKind.NMO}
        assert all(c.specialty is None for c in courses)
        add_row(
            account,
            "certificates",
            {
                "number": "1",
                "kind": "accreditation",
                "specialty_name": "Терапия",
                "pass_date": "01.03.2022",
                "end_date": "01.03.2027",
            },
        )
        (verdict,) = readiness(account, "Терапия", TODAY)
        asked = [f for f in verdict.findings if f.code == "course_nmo_kinds"]
        assert len(asked) == 2
        assert verdict.ledger is not None and verdict.ledger.total == 0
        # Answering the question makes the course count.
        old_pk = next(c for c in courses if c.kind is CourseKind.FURTHER_TRAINING)
        update_row(account, "courses", old_pk.id, {"kind": "dpp_pk", "specialty": "терапия"})
        (verdict,) = readiness(account, "Терапия", TODAY)
        assert verdict.ledger is not None and verdict.ledger.pk == 36


def test_a_form_offers_only_the_four_kinds(account: Account) -> None:
    with pytest.raises(FieldInvalid) as err:
        add_row(
            account,
            "courses",
            {
                "theme": "x",
                "kind": "further_training",
                "institution": "y",
                "hours": "1",
                "begin_date": "01.01.2025",
            },
        )
    assert "ДПП ПК" in err.value.user_message
    for kind in CourseKind.selectable():
        add_row(
            account,
            "courses",
            {
                "theme": kind.label,
                "kind": kind.label,
                "institution": "y",
                "hours": "1",
                "begin_date": "01.01.2025",
            },
        )
    assert len(listed(account, "courses")) == 4
