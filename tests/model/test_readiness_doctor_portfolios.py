"""Portfolios a doctor would bring, written from the published sources before the rules.

Each test names what the sources say the commission checks (docs/domain.md, «Готовность»):
стаж in the specialty from the positions held (qualification requirements 206н/83н,
positions of 205н), 144 h with at least 72 h of ДПП ПК under 709н, the route after expiry,
a passed accreditation starting the next cycle, a break of more than five years.
Today is 01.12.2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from frmr.model.readiness.calendar import WorkingCalendar, from_holidays
from frmr.model.readiness.evaluate import Readiness, evaluate
from frmr.model.readiness.facts import CourseRecord, CredentialRecord, DoctorFacts, JobRecord
from frmr.model.readiness.findings import Verdict
from frmr.model.readiness.kinds import CourseKind
from frmr.model.readiness.positions import position_map
from frmr.model.readiness.rules import load_rules
from frmr.model.rules.statuses import ApplicationKind
from frmr.model.store.reference import load_specialties

TODAY = date(2026, 12, 1)
ORG = "ГБУЗ ГКБ № 1"


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return from_holidays(2015, 2031)


def accreditation(specialty: str, passed: date, end: date | None = None) -> CredentialRecord:
    return CredentialRecord("accreditation", specialty, passed, end, "A-1")


def courses(specialty: str, pk: int = 72, nmo: int = 72) -> tuple[CourseRecord, ...]:
    return (
        CourseRecord(
            CourseKind.DPP_PK, specialty, pk, date(2024, 5, 1), date(2024, 5, 20), "У-1",
            date(2024, 5, 20), "ПК",
        ),
        CourseRecord(
            CourseKind.NMO_MODULE, specialty, nmo, date(2025, 4, 1), date(2025, 4, 10), "С-1",
            date(2025, 4, 10), "ИОМ",
        ),
    )  # fmt: skip


def portfolio(
    specialty: str,
    position: str,
    *,
    doc: CredentialRecord | None = None,
    job_begin: date = date(2015, 9, 1),
    job_end: date | None = None,
    pk: int = 72,
    nmo: int = 72,
) -> DoctorFacts:
    return DoctorFacts(
        courses=courses(specialty, pk, nmo),
        credentials=(doc or accreditation(specialty, date(2022, 3, 1), date(2027, 3, 1)),),
        jobs=(JobRecord(ORG, position, job_begin, job_end),),
        has_report=True,
        report_period_end=TODAY,
        report_agreed=True,
    )


def judge(
    facts: DoctorFacts,
    specialty: str,
    calendar: WorkingCalendar,
    *,
    today: date = TODAY,
    pk_hours: int | None = None,
    route: ApplicationKind | None = None,
) -> Readiness:
    return evaluate(facts, specialty, today, load_rules(pk_hours=pk_hours), calendar, route)


def codes(r: Readiness) -> set[str]:
    return {f.code for f in r.findings}


def test_therapist_with_72_pk_and_72_nmo_agreed_report_open_window_is_ready(
    calendar: WorkingCalendar,
) -> None:
    r = judge(portfolio("Терапия", "Врач-терапевт"), "Терапия", calendar)
    assert r.verdict is Verdict.READY, [f.detail for f in r.findings]
    assert r.as_json()["verdict"] == "ready"


def test_two_programmes_of_36_hours_meet_the_pk_minimum_by_default(
    calendar: WorkingCalendar,
) -> None:
    r = judge(portfolio("Терапия", "Врач-терапевт", pk=72, nmo=72), "Терапия", calendar)
    assert "hours_pk_short" not in codes(r)
    assert r.ledger is not None and r.ledger.need_pk == 72


def test_the_2021_letter_reading_quotes_74_hours_and_the_default_quotes_72(
    calendar: WorkingCalendar,
) -> None:
    facts = portfolio("Терапия", "Врач-терапевт", pk=60, nmo=84)
    default = judge(facts, "Терапия", calendar)
    letter = judge(facts, "Терапия", calendar, pk_hours=74)
    (short,) = [f for f in default.findings if f.code == "hours_pk_short"]
    (short74,) = [f for f in letter.findings if f.code == "hours_pk_short"]
    assert "60 ч из 72" in short.detail and "74" not in short.detail
    assert "60 ч из 74" in short74.detail
    assert "12-7" not in short74.source and "16-7/И/2-12339" in short74.source


def test_therapy_certificate_with_only_cardiologist_jobs_is_not_ready_naming_therapists(
    calendar: WorkingCalendar,
) -> None:
    r = judge(portfolio("Терапия", "Врач-кардиолог"), "Терапия", calendar)
    assert r.verdict is Verdict.NOT_READY
    (f,) = [f for f in r.findings if f.code == "no_experience_in_specialty"]
    assert f.blocking and "Врач-терапевт" in f.detail


def test_dentistry_with_one_job_as_chief_nurse_is_not_ready(calendar: WorkingCalendar) -> None:
    r = judge(portfolio("Стоматология", "Главная медицинская сестра"), "Стоматология", calendar)
    assert r.verdict is Verdict.NOT_READY
    (f,) = [f for f in r.findings if f.code == "no_experience_in_specialty"]
    assert "Врач-стоматолог" in f.detail


def test_a_job_ended_before_the_period_gives_no_experience_in_it(
    calendar: WorkingCalendar,
) -> None:
    facts = portfolio("Терапия", "Врач-терапевт", job_end=date(2022, 2, 1))
    r = judge(facts, "Терапия", calendar)
    assert "no_experience_in_specialty" in codes(r)


def test_overlapping_jobs_count_their_days_once(calendar: WorkingCalendar) -> None:
    facts = portfolio("Терапия", "Врач-терапевт")
    part_time = JobRecord(ORG, "Врач-терапевт участковый", date(2023, 1, 1), None)
    facts = DoctorFacts(**{**facts.__dict__, "jobs": (*facts.jobs, part_time)})
    r = judge(facts, "Терапия", calendar)
    assert r.position is not None
    # 01.03.2022 – 01.12.2026, both ends counted.
    assert r.position.days == (TODAY - date(2022, 3, 1)).days + 1


def test_a_certificate_expired_ten_days_ago_names_the_route_and_promises_no_decision_date(
    calendar: WorkingCalendar,
) -> None:
    doc = accreditation("Терапия", date(2021, 11, 21), date(2026, 11, 21))
    r = judge(portfolio("Терапия", "Врач-терапевт", doc=doc), "Терапия", calendar)
    (f,) = [f for f in r.findings if f.code == "document_expired"]
    assert "периодическ" in f.detail and "21.11.2026" in f.detail
    assert r.as_json()["expected"] is None
    assert r.verdict is not Verdict.READY


def test_a_passed_accreditation_starts_the_next_cycle(calendar: WorkingCalendar) -> None:
    old = accreditation("Терапия", date(2021, 12, 20), date(2026, 12, 20))
    passed = accreditation("Терапия", date(2026, 11, 20), None)
    facts = portfolio("Терапия", "Врач-терапевт", doc=old)
    facts = DoctorFacts(**{**facts.__dict__, "credentials": (old, passed)})
    r = judge(facts, "Терапия", calendar)
    assert r.period is not None and r.period.start == date(2026, 11, 20)
    assert r.cycle is not None and r.cycle.expires == date(2031, 11, 20)
    assert r.cycle.opens == date(2030, 11, 20)
    # The hours of the old cycle do not count in the new one.
    assert r.ledger is not None and r.ledger.total == 0
    assert r.verdict is Verdict.NOT_READY and "window_not_open" in codes(r)


def test_a_break_of_more_than_five_years_is_named_with_the_day_it_began(
    calendar: WorkingCalendar,
) -> None:
    doc = accreditation("Терапия", date(2019, 3, 1), date(2024, 3, 1))
    facts = portfolio(
        "Терапия", "Врач-терапевт", doc=doc, job_begin=date(2012, 1, 1), job_end=date(2021, 5, 31)
    )
    r = judge(facts, "Терапия", calendar)
    assert r.route is ApplicationKind.PRIMARY
    assert r.break_since == date(2021, 6, 1)
    (f,) = [f for f in r.findings if f.code == "break_over_five_years"]
    assert "перерыв" in f.message.casefold() and "01.06.2021" in f.detail
    # The expired document stays on the card.
    assert r.as_json()["document"]["expires"] == "2024-03-01"


def test_every_specialty_with_only_an_unrelated_position_is_not_ready_naming_positions(
    calendar: WorkingCalendar,
) -> None:
    mapping = position_map()
    names = {(i.name, i.level) for i in load_specialties().items}
    assert names, "the nomenclature is empty"
    for name, level in sorted(names, key=lambda n: (n[0], n[1] or "")):
        allowed = mapping.positions(name, level)
        assert allowed, f"{name} ({level}) has no positions in the data"
        unrelated = "Водитель автомобиля"
        assert unrelated not in allowed
        r = judge(portfolio(name, unrelated), name, calendar)
        assert r.verdict is Verdict.NOT_READY, name
        (f,) = [f for f in r.findings if f.code == "no_experience_in_specialty"]
        assert f.blocking
        assert allowed[0] in f.detail, (name, f.detail)


def test_nmo_is_measured_against_what_is_left_after_pk_above_its_minimum(
    calendar: WorkingCalendar,
) -> None:
    """74 h of ПК and 50 of НМО: 20 h are missing in all (144 − 124). The НМО share the
    portfolio needs is 70, not the rule's 72, since the 2 ПК hours above the minimum count
    toward the total; a finding that said «50 ч из 72, не хватает 20» contradicted itself."""
    r = judge(portfolio("Терапия", "Врач-терапевт", pk=74, nmo=50), "Терапия", calendar)
    assert r.ledger is not None
    assert (r.ledger.need_nmo, r.ledger.nmo_target, r.ledger.missing_nmo) == (72, 70, 20)
    (short,) = [f for f in r.findings if f.code == "hours_nmo_short"]
    assert "НМО: 50 ч из 70, не хватает 20 ч" in short.detail
    hours = r.as_json()["hours"]
    assert (hours["nmo_target"], hours["missing_nmo"], hours["missing_total"]) == (70, 20, 20)


def test_a_staj_verdict_says_when_its_list_of_positions_was_not_checked(
    calendar: WorkingCalendar,
) -> None:
    """The positions that give стаж are our reading of the orders, each list marked in
    positions.json; a verdict resting on an unchecked list says so, in the JSON and on the
    card, and one marked checked says nothing."""
    from dataclasses import replace

    from frmr.model.readiness.positions import UNVERIFIED_NOTE, position_map
    from frmr.tui.screens.readiness import render

    r = judge(portfolio("Терапия", "Врач-терапевт"), "Терапия", calendar)
    assert r.position is not None and r.position.matches
    assert r.position.verified is False
    assert r.as_json()["position"]["list_verified"] is False
    assert UNVERIFIED_NOTE in render(r).plain
    assert position_map().is_verified("Терапия") is False

    checked = replace(r, position=replace(r.position, verified=True))
    assert UNVERIFIED_NOTE not in render(checked).plain
