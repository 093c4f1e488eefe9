"""Portfolios → verdicts: each row names the rule it tests (rules.json) and so its source.

Today is 01.12.2026 unless a row says otherwise. The base doctor holds an accreditation in
«Терапия» passed 01.03.2022 (expires 01.03.2027, window open since 01.03.2026), works, has a
report, and has 74 h of ДПП ПК and 70 h of НМО in the period: ready.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pytest

from frmr.model.readiness.calendar import WorkingCalendar, from_holidays
from frmr.model.readiness.evaluate import Readiness, evaluate
from frmr.model.readiness.facts import (
    CourseRecord,
    CredentialRecord,
    DoctorFacts,
    EducationRecord,
    JobRecord,
)
from frmr.model.readiness.kinds import CourseKind
from frmr.model.readiness.rules import bundled_rules, load_rules
from frmr.model.rules.statuses import ApplicationKind

T = "Терапия"
K = "Кардиология"
# A specialty of a reference book a user may load that the bundled data does not list.
ONCO_HAEM = "Детская онкология-гематология"
TODAY = date(2026, 12, 1)
BASE_DOC = CredentialRecord("accreditation", T, date(2022, 3, 1), date(2027, 3, 1), "7722-1")


def acc(passed: date, end: date | None = None, specialty: str = T) -> CredentialRecord:
    return CredentialRecord("accreditation", specialty, passed, end, "A-1")


def cert(passed: date, end: date | None = None, specialty: str = T) -> CredentialRecord:
    return CredentialRecord("certificate", specialty, passed, end, "C-1")


def course(
    kind: CourseKind,
    hours: int,
    on: date,
    specialty: str | None = T,
    doc: str | None = "У-0001",
) -> CourseRecord:
    return CourseRecord(kind, specialty, hours, on, on, doc, on, f"{kind.value} {hours}")


def pk(hours: int, on: date = date(2024, 5, 20), **kw: object) -> CourseRecord:
    return course(CourseKind.DPP_PK, hours, on, **kw)  # type: ignore[arg-type]


def nmo(hours: int, on: date = date(2025, 4, 10), **kw: object) -> CourseRecord:
    return course(CourseKind.NMO_MODULE, hours, on, **kw)  # type: ignore[arg-type]


def event(hours: int, on: date = date(2025, 9, 10), **kw: object) -> CourseRecord:
    return course(CourseKind.NMO_EVENT, hours, on, **kw)  # type: ignore[arg-type]


JOB = JobRecord("ГБУЗ ГКБ № 1", "Врач-терапевт", date(2015, 9, 1), None)
# A head of unit's position, written as the nomenclature writes it (Приказ № 205н).
CARDIO_JOB = JobRecord(
    "ГБУЗ ГКБ № 1", "Заведующий отделением — врач-кардиолог", date(2020, 1, 9), None
)
DISMISSED = replace(JOB, end=date(2026, 6, 30))
READY = (pk(74), nmo(70))


@dataclass(frozen=True)
class Row:
    name: str
    rule: str  # the rule under test, by its id in rules.json
    courses: tuple[CourseRecord, ...] = READY
    credentials: tuple[CredentialRecord, ...] = (BASE_DOC,)
    jobs: tuple[JobRecord, ...] = (JOB,)
    educations: tuple[EducationRecord, ...] = ()
    report: bool = True
    # What the report states: the end of its period and «Согласование отчёта».
    report_end: date | None = None
    agreed: bool | None = None
    specialty: str = T
    route: ApplicationKind | None = None
    today: date = TODAY
    # The table was written for the 2021 letter's 74 + 70 reading; the 709н default of 72 h
    # has its own tests (test_readiness_doctor_portfolios.py).
    pk_hours: int | None = 74
    window: str | None = None
    ready: bool = True  # nothing blocks (the verdict is «Готово» or «Готово с оговорками»)
    findings: frozenset[str] = frozenset()  # codes expected, exactly
    expect: dict[str, object] = field(default_factory=dict)  # JSON paths → values


def r(name: str, rule: str, **kw: object) -> Row:
    if "findings" in kw:
        kw["findings"] = frozenset(kw["findings"])  # type: ignore[arg-type]
    return Row(name, rule, **kw)  # type: ignore[arg-type]


ROWS = [
    # --- hours: just under / at / over each threshold -------------------------------------
    r("74 ПК + 70 НМО is ready", "hours_total", expect={"hours.total": 144}),
    r(
        "73 ПК + 71 НМО lacks 1 h of ПК",
        "hours_pk_min",
        courses=(pk(73), nmo(71)),
        ready=False,
        findings={"hours_pk_short"},
        expect={"hours.missing_pk": 1},
    ),
    r("75 ПК + 70 НМО is ready", "hours_pk_min", courses=(pk(75), nmo(70))),
    r(
        "74 ПК + 69 НМО lacks 1 h of НМО",
        "hours_total",
        courses=(pk(74), nmo(69)),
        ready=False,
        findings={"hours_nmo_short"},
        expect={"hours.missing_nmo": 1},
    ),
    r(
        "75 ПК + 69 НМО: ПК above its minimum covers НМО",
        "hours_total",
        courses=(pk(75), nmo(69)),
        expect={"hours.missing_total": 0},
    ),
    r("144 ПК alone is ready", "hours_total", courses=(pk(144),)),
    r(
        "144 НМО alone lacks all 74 h of ПК",
        "hours_pk_min",
        courses=(nmo(144),),
        ready=False,
        findings={"hours_pk_short"},
        expect={"hours.missing_pk": 74, "hours.missing_nmo": 0},
    ),
    r(
        "nothing at all lacks 74 ПК and 70 НМО",
        "hours_total",
        courses=(),
        ready=False,
        findings={"hours_pk_short", "hours_nmo_short"},
        expect={"hours.missing_total": 144},
    ),
    r(
        "with the 72-hour reading, 72 ПК + 72 НМО is ready",
        "hours_pk_min",
        courses=(pk(72), nmo(72)),
        pk_hours=72,
        expect={"hours.need_pk": 72},
    ),
    r(
        "with the default 74-hour reading, 72 ПК + 72 НМО is not",
        "hours_pk_min",
        courses=(pk(72), nmo(72)),
        ready=False,
        findings={"hours_pk_short"},
    ),
    r(
        "events count as НМО like modules",
        "nmo_kinds",
        courses=(pk(74), nmo(30), event(40)),
        expect={"hours.nmo": 70},
    ),
    # --- the period: first and last day, certificate vs accreditation ---------------------
    r(
        "a course on the period's first day counts",
        "period_start",
        courses=(pk(74, date(2022, 3, 1)), nmo(70)),
    ),
    r(
        "a course the day before the period does not",
        "period_start",
        courses=(pk(74, date(2022, 2, 28)), nmo(70)),
        ready=False,
        findings={"hours_pk_short"},
    ),
    r("a course finished today counts", "period_start", courses=(pk(74), nmo(70, TODAY))),
    r(
        "a course finishing tomorrow does not count yet",
        "period_start",
        courses=(pk(74), nmo(70, date(2026, 12, 2))),
        ready=False,
        findings={"hours_nmo_short"},
    ),
    r(
        "a later certificate starts the period, not the older accreditation",
        "period_start",
        credentials=(BASE_DOC, cert(date(2023, 1, 10), date(2028, 1, 10))),
        courses=(pk(74, date(2022, 6, 1)), nmo(70)),
        ready=False,
        findings={"hours_pk_short", "window_not_open"},
        expect={"period.start": "2023-01-10"},
    ),
    r(
        "a later accreditation starts the period, not the older certificate",
        "period_start",
        credentials=(cert(date(2021, 2, 1), date(2026, 2, 1)), BASE_DOC),
        expect={"period.start": "2022-03-01", "document.kind": "accreditation"},
    ),
    r(
        "a certificate alone starts the period on its date",
        "period_start",
        credentials=(cert(date(2021, 12, 15), date(2026, 12, 15)),),
        courses=(pk(74, date(2021, 12, 15)), nmo(70)),
        findings={"decision_after_expiry"},
        expect={"period.start": "2021-12-15"},
    ),
    r(
        "a document dated in the future is not the period's start",
        "period_start",
        credentials=(BASE_DOC, acc(date(2027, 1, 1), date(2032, 1, 1))),
        expect={"period.start": "2022-03-01"},
    ),
    r(
        "without «Действует до» the document lasts five years",
        "validity",
        credentials=(acc(date(2022, 3, 1)),),
        expect={"window.closes": "2027-03-01"},
    ),
    r(
        "a document passed on 29 February expires on 28 February",
        "validity",
        credentials=(acc(date(2024, 2, 29)),),
        courses=(pk(74, date(2024, 5, 1)), nmo(70)),
        ready=False,
        findings={"window_not_open"},
        expect={"window.closes": "2029-02-28"},
    ),
    # --- specialty: two specialties, other specialty, route ------------------------------
    r(
        "Терапия with its window open is ready beside Кардиология",
        "window_opens",
        credentials=(BASE_DOC, acc(date(2023, 6, 1), date(2028, 6, 1), K)),
        courses=(*READY, pk(74, specialty=K), nmo(70, specialty=K)),
    ),
    r(
        "Кардиология expiring later is not open yet beside Терапия",
        "window_opens",
        credentials=(BASE_DOC, acc(date(2023, 6, 1), date(2028, 6, 1), K)),
        courses=(*READY, pk(74, date(2024, 1, 1), specialty=K), nmo(70, specialty=K)),
        jobs=(JOB, CARDIO_JOB),
        specialty=K,
        ready=False,
        findings={"window_not_open"},
        expect={"window.opens": "2027-06-01", "window.state": "not_yet"},
    ),
    r(
        "courses in another specialty do not count",
        "specialty_match",
        courses=(pk(74, specialty=K), nmo(70)),
        ready=False,
        findings={"hours_pk_short"},
    ),
    r(
        "a course with no specialty asks for one and does not count",
        "specialty_match",
        courses=(pk(74, specialty=None), nmo(70)),
        ready=False,
        findings={"hours_pk_short", "course_specialty_match"},
    ),
    r(
        "periodic in a specialty with no document is refused (the Кардиология case)",
        "right_to_work",
        specialty=K,
        route=ApplicationKind.PERIODIC,
        courses=(pk(74, specialty=K), nmo(70, specialty=K)),
        jobs=(JOB, CARDIO_JOB),
        ready=False,
        findings={"no_document_in_specialty"},
        expect={"route": "periodic"},
    ),
    r(
        "no document and no basis routes to primary, which lacks its basis",
        "right_to_work",
        specialty=K,
        ready=False,
        findings={"no_primary_basis"},
        expect={"route": "primary"},
    ),
    r(
        "an ordinatura graduate with no job is ready for primary",
        "employment",
        specialty=K,
        credentials=(),
        jobs=(),
        report=False,
        educations=(EducationRecord("postgraduate", K, date(2026, 8, 31)),),
        expect={"route": "primary"},
    ),
    r(
        "a completed retraining is the basis for primary",
        "retraining",
        specialty=K,
        courses=(course(CourseKind.RETRAINING, 576, date(2026, 6, 1), specialty=K),),
        expect={"route": "primary"},
    ),
    r(
        "retraining hours do not count toward periodic",
        "retraining",
        courses=(course(CourseKind.RETRAINING, 576, date(2025, 6, 1)), nmo(70)),
        ready=False,
        findings={"hours_pk_short"},
    ),
    # --- a break of five years ± 1 day --------------------------------------------------
    r(
        "dismissed exactly five years ago: no break",
        "break_years",
        jobs=(replace(JOB, end=date(2021, 12, 1)),),
        ready=False,
        # No break, but no day of the period (from 01.03.2022) worked in the specialty.
        findings={"no_experience_in_specialty"},
        expect={"route": "periodic"},
    ),
    r(
        "dismissed five years and a day ago: primary route",
        "break_years",
        jobs=(replace(JOB, end=date(2021, 11, 30)),),
        ready=False,
        findings={"break_over_five_years"},
        expect={"route": "primary", "break_since": "2021-12-01"},
    ),
    r(
        "a break over five years refuses a periodic application",
        "break_years",
        jobs=(replace(JOB, end=date(2021, 11, 30)),),
        route=ApplicationKind.PERIODIC,
        ready=False,
        findings={"break_over_five_years"},
    ),
    r(
        "a break over five years with a retraining is ready for primary",
        "break_years",
        jobs=(replace(JOB, end=date(2021, 11, 30)),),
        courses=(course(CourseKind.RETRAINING, 504, date(2026, 5, 5)),),
        expect={"route": "primary"},
    ),
    # --- the window: not yet open / open / closed ---------------------------------------
    r(
        "window opening tomorrow is not open",
        "window_opens",
        credentials=(acc(date(2022, 12, 2), date(2027, 12, 2)),),
        courses=(pk(74, date(2023, 5, 1)), nmo(70)),
        ready=False,
        findings={"window_not_open"},
        expect={"window.opens": "2026-12-02"},
    ),
    r(
        "window opening today is open",
        "window_opens",
        credentials=(acc(date(2022, 12, 1), date(2027, 12, 1)),),
        courses=(pk(74, date(2023, 5, 1)), nmo(70)),
        expect={"window.state": "open"},
    ),
    r(
        "the last day before expiry is open, but the decision comes after it",
        "window_closes",
        credentials=(acc(date(2021, 12, 1), date(2026, 12, 1)),),
        findings={"decision_after_expiry"},
        expect={"window.days_left": 0},
    ),
    r(
        "the day after expiry the window is closed",
        "window_closes",
        credentials=(acc(date(2021, 11, 30), date(2026, 11, 30)),),
        ready=False,
        findings={"document_expired"},
        expect={"window.state": "closed"},
    ),
    r(
        "with the 90-day reading, expiry in 90 days opens today",
        "window_opens",
        window="90d",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1)),),
        expect={"window.opens": "2026-12-01"},
    ),
    r(
        "with the 90-day reading, expiry in 91 days is not open",
        "window_opens",
        window="90d",
        credentials=(acc(date(2022, 3, 2), date(2027, 3, 2)),),
        ready=False,
        findings={"window_not_open"},
    ),
    # --- working days across New Year and May holidays ----------------------------------
    r(
        "35 working days from 01.12.2026 skip New Year: 28.01.2027",
        "working_days",
        expect={"expected.review_by": "2026-12-29", "expected.decision_by": "2027-01-28"},
    ),
    r(
        "filed 20.12.2024: the Saturday 28.12 works, 30.12–08.01 do not",
        "working_days",
        today=date(2024, 12, 20),
        credentials=(acc(date(2020, 6, 1), date(2025, 6, 1)),),
        courses=(pk(74, date(2021, 5, 1)), nmo(70, date(2024, 1, 1))),
        expect={"expected.review_by": "2025-01-28", "expected.decision_by": "2025-02-18"},
    ),
    r(
        "filed 25.04.2025 across the May holidays and 12–13 June: 23.06.2025",
        "working_days",
        today=date(2025, 4, 25),
        credentials=(acc(date(2021, 1, 15), date(2026, 1, 15)),),
        courses=(pk(74, date(2023, 5, 1)), nmo(70, date(2024, 1, 1))),
        expect={"expected.decision_by": "2025-06-23"},
    ),
    r(
        "a window opening 20.04.2027 expects the decision on 10.06.2027",
        "working_days",
        credentials=(acc(date(2023, 4, 20), date(2028, 4, 20)),),
        courses=(pk(74, date(2024, 5, 1)), nmo(70)),
        ready=False,
        findings={"window_not_open"},
        expect={"expected.submit_on": "2027-04-20", "expected.decision_by": "2027-06-10"},
    ),
    # --- employment, report, documents, kinds -------------------------------------------
    r(
        "no employer: the portal's «Отсутствуют сведения об организации»",
        "employment",
        jobs=(),
        ready=False,
        findings={"organization_missing", "no_experience_in_specialty"},
    ),
    r(
        "no report on professional activity blocks periodic",
        "employment",
        report=False,
        ready=False,
        findings={"report_missing"},
    ),
    r(
        "a ДПП ПК without its удостоверение does not count",
        "document_required",
        courses=(pk(74, doc=None), nmo(70)),
        ready=False,
        findings={"hours_pk_short", "course_document_required"},
    ),
    r(
        "a course of the old kind «Повышение квалификации» is asked for",
        "nmo_kinds",
        courses=(course(CourseKind.FURTHER_TRAINING, 74, date(2024, 5, 20)), nmo(70)),
        ready=False,
        findings={"hours_pk_short", "course_nmo_kinds"},
    ),
    r(
        "a course of the old kind «НМО» is asked for",
        "nmo_kinds",
        courses=(pk(74), course(CourseKind.NMO, 70, date(2025, 1, 1))),
        ready=False,
        findings={"hours_nmo_short", "course_nmo_kinds"},
    ),
    r(
        "the pace needed before the window closes",
        "hours_total",
        courses=(pk(74), nmo(40)),
        ready=False,
        findings={"hours_nmo_short"},
        expect={"hours.missing_nmo": 30, "hours.pace_hours_per_month": 10.1},
    ),
    # --- the position held in the period against the specialty ----------------------------
    r(
        "a therapist's job gives no стаж in Кардиология: not ready",
        "position_match",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1), K),),
        courses=(pk(74, specialty=K), nmo(70, specialty=K)),
        specialty=K,
        ready=False,
        findings={"no_experience_in_specialty"},
        expect={"position.matches": False, "position.held": ["Врач-терапевт"]},
    ),
    r(
        "a head of unit «— врач-кардиолог» counts for Кардиология",
        "position_match",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1), K),),
        courses=(pk(74, specialty=K), nmo(70, specialty=K)),
        jobs=(CARDIO_JOB,),
        specialty=K,
        expect={"position.matches": True},
    ),
    r(
        "a cardiology job that ended the day before the period does not count in it",
        "position_match",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1), K),),
        courses=(pk(74, specialty=K), nmo(70, specialty=K)),
        jobs=(JOB, replace(CARDIO_JOB, end=date(2022, 2, 28))),
        specialty=K,
        ready=False,
        findings={"no_experience_in_specialty"},
        expect={"position.held": ["Врач-терапевт"]},
    ),
    r(
        "a cardiology job ending on the period's first day counts in it",
        "position_match",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1), K),),
        courses=(pk(74, specialty=K), nmo(70, specialty=K)),
        jobs=(JOB, replace(CARDIO_JOB, end=date(2022, 3, 1))),
        specialty=K,
        expect={"position.matches": True},
    ),
    r(
        "a specialty outside the bundled data is not compared, and says so as an оговорка",
        "position_match",
        credentials=(acc(date(2022, 3, 1), date(2027, 3, 1), ONCO_HAEM),),
        courses=(pk(74, specialty=ONCO_HAEM), nmo(70, specialty=ONCO_HAEM)),
        specialty=ONCO_HAEM,
        findings={"position_not_compared"},
        expect={
            "position.compared": False,
            "position.matches": None,
            "position.allowed": None,
            "verdict": "ready_with_caveats",
        },
    ),
    # --- not at work now: the dismissal day ends the report's period -----------------------
    r(
        "dismissed, the report runs to today and says «Да»: «Несогласованное портфолио»",
        "dismissal_period_end",
        jobs=(DISMISSED,),
        report_end=TODAY,
        agreed=True,
        ready=False,
        findings={"dismissal_period_end"},
        expect={"dismissal": "2026-06-30"},
    ),
    r(
        "dismissed, the period ends on the dismissal day but the report says «Да»",
        "dismissal_period_end",
        jobs=(DISMISSED,),
        report_end=date(2026, 6, 30),
        agreed=True,
        ready=False,
        findings={"dismissal_period_end"},
    ),
    r(
        "dismissed, the period ends on the dismissal day and the report says «Нет»: ready",
        "dismissal_period_end",
        jobs=(DISMISSED,),
        report_end=date(2026, 6, 30),
        agreed=False,
        expect={"dismissal": "2026-06-30"},
    ),
    r(
        "a job ending today is current: no dismissal to set",
        "dismissal_period_end",
        jobs=(replace(JOB, end=TODAY),),
        report_end=TODAY,
        agreed=True,
        expect={"dismissal": None},
    ),
    r(
        "a job that ended yesterday is a dismissal",
        "dismissal_period_end",
        jobs=(replace(JOB, end=date(2026, 11, 30)),),
        report_end=TODAY,
        agreed=False,
        ready=False,
        findings={"dismissal_period_end"},
        expect={"dismissal": "2026-11-30"},
    ),
    r(
        "one job ended, another goes on: at work, no dismissal",
        "dismissal_period_end",
        jobs=(DISMISSED, replace(JOB, organization="ГП № 3", begin=date(2026, 7, 1))),
        report_end=TODAY,
        agreed=True,
        expect={"dismissal": None},
    ),
]


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return from_holidays(2020, 2031)


def _path(data: object, path: str) -> object:
    for key in path.split("."):
        assert isinstance(data, dict), path
        data = data[key]
    return data


def test_the_table_has_at_least_forty_rows_and_every_rule_exists() -> None:
    assert len(ROWS) >= 40
    ids = {rule.id for rule in bundled_rules().rules}
    assert {row.rule for row in ROWS} <= ids
    assert len({row.name for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_portfolio_verdict(row: Row, calendar: WorkingCalendar) -> None:
    rules = load_rules(pk_hours=row.pk_hours, window=row.window)
    facts = DoctorFacts(
        courses=row.courses,
        credentials=row.credentials,
        educations=row.educations,
        jobs=row.jobs,
        has_report=row.report,
        report_period_end=row.report_end,
        report_agreed=row.agreed,
    )
    result: Readiness = evaluate(facts, row.specialty, row.today, rules, calendar, row.route)
    codes = {f.code for f in result.findings}
    assert codes == row.findings, [f.detail for f in result.findings]
    assert (not result.blocking) is row.ready
    data = result.as_json()
    for path, value in row.expect.items():
        assert _path(data, path) == value, path
    for finding in result.findings:
        # Every finding carries the source of its rule, as `frmr rules` prints it.
        assert finding.source == rules.rule(finding.rule).cite()
        assert finding.fix and finding.detail
