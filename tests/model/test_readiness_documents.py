"""The documents filed with a periodic application, judged from the list the sources publish.

СЗГМУ им. И. И. Мечникова (szgmu.ru/rus/m/3230, read 2026-12-06): «Для прохождения
периодической аккредитации представляются: заявление; копия документа, удостоверяющего
личность; отчет за последние пять лет о профессиональной деятельности … (далее - портфолио);
копия сертификата специалиста (при наличии) или свидетельства об аккредитации специалиста
(при наличии); копии документов о высшем образовании и о квалификации (с приложениями) …».
ИПК Пермь (ipk-perm.ru/akkreditatsiya/periodicheskaya/voprosy-i-otvety): «Почему вы можете не
пройти периодическую аккредитацию? - некомплектность документов …». The list is set by
пп. 89–90 of the Положение (709н), as mi.khsu.ru cites it. So a listed document without its
file blocks; a file no list names (трудовая книжка, a scan of the report) is an оговорка.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from frmr.model.readiness.calendar import WorkingCalendar, from_holidays
from frmr.model.readiness.checklist import guess_item
from frmr.model.readiness.evaluate import Readiness, evaluate
from frmr.model.readiness.facts import CredentialRecord
from frmr.model.readiness.findings import Finding, Verdict
from frmr.model.readiness.rules import load_rules
from frmr.model.rules.statuses import ApplicationKind
from tests.model.test_readiness_doctor_portfolios import TODAY, portfolio

CERTIFICATE = CredentialRecord("certificate", "Терапия", date(2022, 3, 1), date(2027, 3, 1), "1")
LISTED = (
    ("Смирнов А.В. паспорт на 2 л.pdf", None),
    ("Смирнов А.В. диплом с приложением на 6 л.pdf", None),
    ("Смирнов А.В. сертификат специалиста терапия на 1 л.pdf", None),
    ("Смирнов А.В. удостоверение о повышении квалификации на 1 л.pdf", None),
)
UNLISTED = (
    ("Смирнов А.В. трудовая книжка на 3 л.pdf", None),
    ("Смирнов А.В. отчет о профессиональной деятельности на 5 л.pdf", None),
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return from_holidays(2015, 2031)


def judge(
    files: tuple[tuple[str, str | None], ...],
    calendar: WorkingCalendar,
    doc: CredentialRecord = CERTIFICATE,
    route: ApplicationKind | None = None,
) -> Readiness:
    facts = replace(portfolio("Терапия", "Врач-терапевт", doc=doc), documents=files)
    return evaluate(facts, "Терапия", TODAY, load_rules(), calendar, route)


def finding(r: Readiness, code: str) -> Finding:
    (f,) = [f for f in r.findings if f.code == code]
    return f


def test_a_listed_document_without_its_file_blocks_and_says_which(
    calendar: WorkingCalendar,
) -> None:
    r = judge(UNLISTED, calendar)
    assert r.verdict is Verdict.NOT_READY
    missing = finding(r, "documents_missing")
    assert missing.blocking
    for short in ("паспорт", "диплом", "сертификат/аккредитация", "удостоверения об обучении"):
        assert short in missing.detail, missing.detail
    assert "трудовая" not in missing.detail and "отчёт" not in missing.detail
    assert "неполный комплект" in missing.detail
    assert "пп. 89–90" in missing.source and "szgmu.ru" in missing.source
    # The fix names where the files go and how to mark what a file covers.
    assert "frmr documents tag" in missing.fix
    assert [line["required"] for line in r.as_json()["checklist"]] == [
        True,  # identity
        True,  # the certificate in force
        True,  # diploma
        True,  # training documents
        False,  # report scan
        False,  # трудовая книжка
    ]


def test_every_listed_file_present_leaves_the_unlisted_ones_as_a_caveat(
    calendar: WorkingCalendar,
) -> None:
    r = judge(LISTED, calendar)
    assert r.verdict is Verdict.READY_WITH_CAVEATS
    (only,) = r.findings
    assert only.code == "documents_extra_missing" and not only.blocking
    assert "трудовая" in only.detail and "отчёт" in only.detail
    assert judge(LISTED + UNLISTED, calendar).verdict is Verdict.READY


def test_an_accreditation_record_needs_no_copy_the_list_asks_only_where_one_exists(
    calendar: WorkingCalendar,
) -> None:
    """«копия … свидетельства об аккредитации специалиста (при наличии)»: since 2021 a
    passed accreditation is a record, not a paper, so its copy is not a condition."""
    record = CredentialRecord("accreditation", "Терапия", date(2022, 3, 1), date(2027, 3, 1))
    without = tuple(f for f in LISTED if "сертификат" not in f[0])
    r = judge(without + UNLISTED, calendar, doc=record)
    assert r.verdict is Verdict.READY_WITH_CAVEATS
    assert "сертификат/аккредитация" in finding(r, "documents_extra_missing").detail
    # The same files beside a paper certificate: its copy is missing, and that blocks.
    assert judge(without + UNLISTED, calendar).verdict is Verdict.NOT_READY


def test_a_snils_scan_is_not_taken_for_an_identity_document(calendar: WorkingCalendar) -> None:
    assert guess_item("Смирнов А.В. СНИЛС.pdf") is None
    files = tuple(f for f in LISTED if "паспорт" not in f[0])
    r = judge((("Смирнов А.В. СНИЛС.pdf", None), *files, *UNLISTED), calendar)
    assert "паспорт" in finding(r, "documents_missing").detail


def test_on_the_primary_route_the_retraining_scan_is_a_caveat_the_passport_blocks(
    calendar: WorkingCalendar,
) -> None:
    r = judge((("диплом.pdf", None),), calendar, route=ApplicationKind.PRIMARY)
    missing = finding(r, "documents_missing")
    assert "паспорт" in missing.detail and "переподготовка" not in missing.detail
    assert "переподготовка/ординатура" in finding(r, "documents_extra_missing").detail
