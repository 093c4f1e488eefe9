"""One reporting period, named with its specialty, in Портфолио, the report and Готовность.

A worker with a сертификат специалиста in one specialty and an accreditation in another has
two periods. The portfolio summary once took the latest document of any kind and any
specialty, the report the latest accreditation of any specialty: for the same store they
named two different starts, neither saying whose. Each now states the period the readiness
check reckons (model.reporting_period.specialty_period) for the specialty they are gathered
for, and says which.
"""

from __future__ import annotations

from datetime import date

from frmr.model.applications.lifecycle import new_application, portfolio_facts
from frmr.model.portfolio.checks import check_portfolio
from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.from_store import readiness
from frmr.model.report.document import build_document
from frmr.model.report.record import load_report, update_report
from frmr.model.store.account import Account
from frmr.model.store.lookup import find_application
from frmr.model.store.reads import open_current
from frmr.model.store.reads.report import read_report
from frmr.tui.screens.readiness import render
from tests.support.portfolio_reads import summary_of

TODAY = date(2026, 12, 6)


def _documents(account: Account, cardiology_passed: str = "07.10.2022") -> None:
    add_row(
        account,
        "certificates",
        {
            "number": "0177240000001",
            "kind": "certificate",
            "specialty_name": "Терапия",
            "pass_date": "06.11.2022",
        },
    )
    add_row(
        account,
        "certificates",
        {
            "number": "7722 031234567",
            "kind": "accreditation",
            "specialty_name": "Кардиология",
            "pass_date": cardiology_passed,
        },
    )


def _shown(account: Account, specialty: str) -> tuple[str, str, str]:
    """The period line as Портфолио, the report's document and Готовность (F8) print it."""
    summary = summary_of(account, TODAY)
    view = load_report(account, TODAY)
    [verdict] = readiness(account, specialty, TODAY)
    card = render(verdict).plain
    ready_line = next(line for line in card.splitlines() if "Отчётный период" in line)
    return (
        f"Отчётный период {summary.period}",
        build_document(view).period,
        ready_line.strip(),
    )


def test_without_an_application_all_three_state_the_latest_documents_specialty(
    account: Account,
) -> None:
    _documents(account)
    portfolio, report, ready = _shown(account, "Терапия")
    assert portfolio == "Отчётный период по специальности «Терапия» с 06.11.2022 по 06.12.2026"
    assert report == "по специальности «Терапия» за период с 06.11.2022 по 06.12.2026"
    assert ready == portfolio


def test_an_open_application_names_the_specialty_and_its_period_everywhere(
    account: Account,
) -> None:
    _documents(account)
    new_application(account, specialty="Кардиология", phone="+79123456789", email="a@b.ru")
    portfolio, report, ready = _shown(account, "Кардиология")
    assert portfolio == "Отчётный период по специальности «Кардиология» с 07.10.2022 по 06.12.2026"
    assert report == "по специальности «Кардиология» за период с 07.10.2022 по 06.12.2026"
    assert ready == portfolio
    summary = summary_of(account, TODAY)
    assert summary.last_accreditation == date(2022, 10, 7)


def test_the_quick_read_of_a_saved_report_states_the_same_period(account: Account) -> None:
    _documents(account)
    update_report(account, {"duties": "Приём"}, TODAY)
    orm = load_report(account, TODAY)
    with open_current(account.store.db_path) as conn:
        assert conn is not None
        quick = read_report(conn, TODAY)
    assert quick is not None
    assert quick.specialty == orm.specialty == "Терапия"
    assert build_document(quick).period == build_document(orm).period
    assert (quick.report.period_start, quick.report.period_end) == (date(2022, 11, 6), TODAY)


def _course(account: Account, specialty: str, hours: str, end: str, number: str = "") -> None:
    add_row(
        account,
        "courses",
        {
            "theme": f"Курс {hours} ч",
            "kind": "dpp_pk",
            "specialty": specialty,
            "institution": "РМАНПО",
            "hours": hours,
            "begin_date": end,
            "end_date": end,
            "doc_number": number,
        },
    )


def test_portfolio_counts_the_hours_readiness_counts_and_names_their_specialty(
    account: Account,
) -> None:
    """Inside the Терапия period: a Терапия course with its document (counts), a Кардиология
    course (another specialty) and a Терапия course without a document number (neither counts
    for readiness). Портфолио once said 36 + 72 + 18."""
    _documents(account)
    _course(account, "Терапия", "36", "01.03.2024", "772400012345")
    _course(account, "Кардиология", "72", "01.04.2024", "772400012346")
    _course(account, "Терапия", "18", "01.05.2024")
    summary = summary_of(account, TODAY)
    [verdict] = readiness(account, "Терапия", TODAY)
    assert verdict.ledger is not None
    assert summary.hours_in_period == verdict.ledger.total == 36
    assert summary.hours_label == "Часов в зачёт по «Терапия»"


def test_without_a_specialty_the_portfolio_counts_no_hours_and_says_why(
    account: Account,
) -> None:
    _course(account, "Терапия", "36", "01.03.2024", "772400012345")
    summary = summary_of(account, TODAY)
    assert summary.hours_in_period is None
    assert "специальность не известна" in summary.hours_label


def test_the_check_before_forming_reckons_the_applications_specialty_period(
    account: Account,
) -> None:
    """A Терапия application, its certificate of 2022, a later Кардиология accreditation: the
    Терапия course of 2024 is inside the Терапия period. The check once ran the period from
    the latest document of any specialty and refused it («нет курсов за отчётный период»)."""
    _documents(account, cardiology_passed="01.06.2025")
    add_row(
        account,
        "employment",
        {
            "organization": "ГБУЗ ГКБ № 1",
            "position": "Врач-терапевт",
            "position_type": "main",
            "begin_date": "01.09.2015",
        },
    )
    _course(account, "Терапия", "144", "01.03.2024", "772400012345")
    view = new_application(account, specialty="Терапия", phone="+79123456789", email="a@b.ru")
    with account.store.read() as session:
        facts = portfolio_facts(session, find_application(session, view.app.id))
    assert check_portfolio(facts, TODAY) == []
