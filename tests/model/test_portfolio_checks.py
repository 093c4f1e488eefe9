"""Portfolio checks produce the registry's own texts, each with its fix."""

from __future__ import annotations

from datetime import date

from frmr.model.portfolio.checks import (
    PortfolioFacts,
    PortfolioRejected,
    check_portfolio,
    require_consistent,
)
from frmr.model.readiness.facts import CourseRecord, CredentialRecord, JobRecord
from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.errors import (
    ORGANIZATION_FIX,
    ORGANIZATION_MISSING,
    PORTFOLIO_INCONSISTENT,
    VALIDATION_ERROR,
)
from frmr.model.rules.limits import MAX_TOTAL_BYTES, VALIDATION_FIX

TODAY = date(2026, 11, 26)
JOB = JobRecord("ГБУЗ ГКБ № 1", "Врач-терапевт", date(2015, 9, 1), None)
COURSE = CourseRecord(CourseKind.DPP_PK, None, 144, date(2024, 3, 1), date(2024, 3, 30))


def facts(**kw: object) -> PortfolioFacts:
    base: dict[str, object] = {
        "employments": [JOB],
        "courses": [COURSE],
        "report_organization": "ГБУЗ ГКБ № 1",
        "report_agreed": True,
        "attachment_sizes": [1000],
        "specialty": "Терапия",
        "credentials": [],
    }
    base.update(kw)
    return PortfolioFacts(**base)  # type: ignore[arg-type]


def test_a_complete_portfolio_has_no_problems() -> None:
    assert check_portfolio(facts(), TODAY) == []
    require_consistent(facts(), TODAY)


def test_six_files_or_over_ten_mib_is_a_validation_error() -> None:
    six = check_portfolio(facts(attachment_sizes=[1] * 6), TODAY)
    big = check_portfolio(facts(attachment_sizes=[MAX_TOTAL_BYTES, 1]), TODAY)
    for problems in (six, big):
        assert [(p.message, p.fix) for p in problems] == [(VALIDATION_ERROR, VALIDATION_FIX)]
    assert check_portfolio(facts(attachment_sizes=[MAX_TOTAL_BYTES]), TODAY) == []


def test_no_organization_is_reported_with_the_registry_text() -> None:
    problems = check_portfolio(facts(employments=[]), TODAY)
    assert [(p.message, p.fix) for p in problems] == [(ORGANIZATION_MISSING, ORGANIZATION_FIX)]
    blank = JobRecord("  ", "Врач", date(2015, 1, 1), None)
    assert check_portfolio(facts(employments=[blank]), TODAY)[0].message == ORGANIZATION_MISSING


def test_not_working_with_agreed_report_is_inconsistent() -> None:
    left = JobRecord("ГБУЗ ГКБ № 1", "Врач", date(2015, 9, 1), date(2025, 6, 30))
    problems = check_portfolio(facts(employments=[left], report_agreed=True), TODAY)
    assert [p.message for p in problems] == [PORTFOLIO_INCONSISTENT]
    assert "Нет" in problems[0].fix
    assert check_portfolio(facts(employments=[left], report_agreed=False), TODAY) == []


def test_no_work_inside_the_reporting_period_is_inconsistent() -> None:
    long_ago = JobRecord("ГБУЗ ГКБ № 1", "Врач", date(2010, 1, 1), date(2019, 12, 31))
    problems = check_portfolio(facts(employments=[long_ago], report_agreed=False), TODAY)
    assert [p.message for p in problems] == [PORTFOLIO_INCONSISTENT]
    assert "увольнения" in problems[0].fix


def test_report_for_another_organization_is_inconsistent() -> None:
    problems = check_portfolio(facts(report_organization="ООО Клиника"), TODAY)
    assert [p.message for p in problems] == [PORTFOLIO_INCONSISTENT]
    # Quotes, case and spacing don't make a different organization.
    assert check_portfolio(facts(report_organization="гбуз  «ГКБ № 1»"), TODAY) == []


def test_no_courses_in_the_period_is_inconsistent() -> None:
    old = CourseRecord(CourseKind.DPP_PK, None, 144, date(2015, 1, 1), date(2015, 2, 1))
    problems = check_portfolio(facts(courses=[old]), TODAY)
    assert [p.message for p in problems] == [PORTFOLIO_INCONSISTENT]


def test_rejection_carries_every_problem_for_the_user() -> None:
    bad = facts(employments=[], courses=[], attachment_sizes=[1] * 6)
    try:
        require_consistent(bad, TODAY)
    except PortfolioRejected as exc:
        assert [p.message for p in exc.problems] == [VALIDATION_ERROR, ORGANIZATION_MISSING]
        assert VALIDATION_ERROR in exc.user_message and ORGANIZATION_MISSING in exc.user_message
    else:
        raise AssertionError("expected PortfolioRejected")


def test_the_period_is_the_applications_specialtys_not_the_latest_document_of_any() -> None:
    """Терапия runs from its certificate of 2022; a Кардиология accreditation of 2025 does not
    move it: the job that ended in 2024 and the course of 2024 lie inside it."""
    documents = [
        CredentialRecord("certificate", "Терапия", date(2022, 11, 6), None),
        CredentialRecord("accreditation", "Кардиология", date(2025, 6, 1), None),
    ]
    left = JobRecord("ГБУЗ ГКБ № 1", "Врач", date(2015, 9, 1), date(2024, 12, 31))
    therapy = facts(employments=[left], report_agreed=False, credentials=documents)
    assert check_portfolio(therapy, TODAY) == []
    cardiology = facts(
        employments=[left], report_agreed=False, credentials=documents, specialty="Кардиология"
    )
    assert [p.detail.split(" (")[0] for p in check_portfolio(cardiology, TODAY)] == [
        "в отчётном периоде с 01.06.2025 по 26.11.2026 нет ни одного места работы",
        "в образовательной части нет курсов за отчётный период с 01.06.2025 по 26.11.2026",
    ]
