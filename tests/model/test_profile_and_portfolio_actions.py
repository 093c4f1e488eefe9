"""Profile and portfolio editing: validated values saved, invalid ones refused, nothing partial."""

from __future__ import annotations

from datetime import date

import pytest

from frmr.model.portfolio.edits import add_row, delete_row, update_row
from frmr.model.profile.card import get_person, set_profile_field, update_profile
from frmr.model.rules.errors import FieldInvalid, InvalidDate, InvalidSnils
from frmr.model.store.account import Account
from tests.support.portfolio_reads import listed, summary_of


def test_valid_snils_is_stored_bare_and_bumps_the_version(account: Account) -> None:
    person = set_profile_field(account, "snils", "112-233-445 95")
    assert person.snils == "11223344595"
    assert person.version > person.synced_version


def test_wrong_snils_checksum_saves_nothing(account: Account) -> None:
    update_profile(account, {"last_name": "Иванова"})
    with pytest.raises(InvalidSnils):
        update_profile(account, {"last_name": "Петрова", "snils": "112-233-445 96"})
    assert get_person(account).last_name == "Иванова"
    assert get_person(account).snils is None


def test_birth_date_in_the_future_is_refused(account: Account) -> None:
    with pytest.raises(InvalidDate):
        set_profile_field(account, "birth_date", "01.01.2999")


def test_required_field_cannot_be_blanked(account: Account) -> None:
    with pytest.raises(FieldInvalid) as err:
        set_profile_field(account, "last_name", "  ")
    assert err.value.field == "last_name"


def test_employment_end_before_begin_is_refused(account: Account) -> None:
    with pytest.raises(InvalidDate):
        add_row(
            account,
            "employment",
            {
                "organization": "ГКБ",
                "position": "Врач",
                "position_type": "Основное",
                "begin_date": "01.01.2020",
                "end_date": "01.01.2019",
            },
        )
    assert listed(account, "employment") == []


def test_summary_merges_overlapping_jobs_and_counts_hours_in_period(account: Account) -> None:
    for begin, end in (("01.01.2020", "31.12.2021"), ("01.06.2021", "31.12.2022")):
        add_row(
            account,
            "employment",
            {
                "organization": "ГКБ",
                "position": "Врач",
                "position_type": "main",
                "begin_date": begin,
                "end_date": end,
            },
        )
    add_row(
        account,
        "certificates",
        {
            "number": "0177240000001",
            "kind": "certificate",
            "specialty_name": "Терапия",
            "pass_date": "01.02.2022",
        },
    )
    for begin, hours in (("01.03.2024", "36"), ("01.03.2012", "144")):
        add_row(
            account,
            "courses",
            {
                "theme": "Курс",
                "kind": "НМО: интерактивный модуль",
                "specialty": "Терапия",
                "institution": "Портал НМО",
                "hours": hours,
                "begin_date": begin,
                "doc_number": "НМО-1",
            },
        )
    summary = summary_of(account, date(2026, 11, 26))
    assert (summary.seniority.years, summary.seniority.months) == (3, 0)
    assert summary.hours_in_period == 36


def test_deleting_a_never_synced_row_removes_it_and_a_synced_one_leaves_a_tombstone(
    account: Account,
) -> None:
    local = add_row(account, "skills", {"name": "ЭКГ"})
    synced = add_row(account, "skills", {"name": "УЗИ"})
    with account.store.write() as session:
        row = session.get(type(synced), synced.id)
        assert row is not None
        row.synced_version = row.version
        session.add(row)
    delete_row(account, "skills", local.id)
    delete_row(account, "skills", synced.id)
    assert listed(account, "skills") == []
    with account.store.read() as session:
        assert session.get(type(local), local.id) is None
        tomb = session.get(type(synced), synced.id)
        assert tomb is not None and tomb.deleted and tomb.version > tomb.synced_version


def test_update_row_validates_and_marks_dirty(account: Account) -> None:
    row = add_row(account, "skills", {"name": "ЭКГ"})
    updated = update_row(account, "skills", row.id, {"description": "расшифровка"})
    assert updated.version == row.version + 1
