"""The evaluation: one specialty's verdict, with its cycle, hours ledger and findings.

Pure: it reads `DoctorFacts` and the rule set, never the store, so the CLI, the TUI, «Сформировать»
and the registry's review all decide the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from frmr.model.portfolio.reporting_period import (
    ReportingPeriod,
    last_document,
    specialty_period,
)
from frmr.model.readiness.calendar import WorkingCalendar
from frmr.model.readiness.checklist import ChecklistLine, checklist
from frmr.model.readiness.cycle import Cycle, WindowState, cycle
from frmr.model.readiness.facts import CredentialRecord, DoctorFacts, dismissed_on
from frmr.model.readiness.findings import Finding, Severity, Verdict, Who
from frmr.model.readiness.kinds import CourseKind, distinct_specialties, fold_specialty
from frmr.model.readiness.ledger import HoursLedger, hours_ledger
from frmr.model.readiness.positions import PositionCheck, position_check
from frmr.model.readiness.rules import RuleSet
from frmr.model.rules.dates import add_years, format_date
from frmr.model.rules.errors import ORGANIZATION_FIX, ORGANIZATION_MISSING, PORTFOLIO_INCONSISTENT
from frmr.model.rules.statuses import ApplicationKind

PERIODIC = ApplicationKind.PERIODIC
PRIMARY = ApplicationKind.PRIMARY


@dataclass(frozen=True)
class Readiness:
    specialty: str
    route: ApplicationKind
    document: CredentialRecord | None
    period: ReportingPeriod | None
    cycle: Cycle | None
    ledger: HoursLedger | None
    findings: tuple[Finding, ...]
    today: date
    checklist: tuple[ChecklistLine, ...] = ()
    # The positions of the period against the specialty (periodic route only).
    position: PositionCheck | None = None
    # The day to set as the end of the report's period when no job goes on today.
    dismissal: date | None = None
    # The first day of a break of more than five years in the specialty, if there is one.
    break_since: date | None = None

    @property
    def verdict(self) -> Verdict:
        return Verdict.of(self.findings)

    @property
    def ready(self) -> bool:
        """«Готово»: nothing blocks and nothing is uncertain."""
        return self.verdict is Verdict.READY

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]

    def as_json(self) -> dict[str, Any]:
        c, doc = self.cycle, self.document
        return {
            "specialty": self.specialty,
            "route": self.route.value,
            "route_label": self.route.label,
            "verdict": self.verdict.value,
            "verdict_label": self.verdict.label,
            "ready": self.ready,
            "document": None
            if doc is None
            else {
                "kind": doc.kind,
                "number": doc.number,
                "passed": doc.pass_date.isoformat() if doc.pass_date else None,
                "expires": c.expires.isoformat() if c else None,
                "expired": c is not None and c.state is WindowState.CLOSED,
            },
            "period": None
            if self.period is None
            else {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "window": None
            if c is None
            else {
                "opens": c.opens.isoformat(),
                "closes": c.closes.isoformat(),
                "state": c.state.value,
                "days_left": c.days_left,
            },
            # No decision can be expected from a window already closed.
            "expected": None
            if c is None or c.state is WindowState.CLOSED
            else {
                "submit_on": c.submit_on.isoformat(),
                "review_by": c.review_by.isoformat(),
                "decision_by": c.decision_by.isoformat(),
                "preliminary": c.preliminary,
            },
            "hours": None
            if self.ledger is None
            else self.ledger.as_json(self.today, c.closes if c else None),
            "checklist": [line.as_json() for line in self.checklist],
            "position": None if self.position is None else self.position.as_json(),
            "dismissal": None if self.dismissal is None else self.dismissal.isoformat(),
            "break_since": None if self.break_since is None else self.break_since.isoformat(),
            "findings": [f.as_json() for f in self.findings],
        }


class _Findings:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.items: list[Finding] = []

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        detail: str,
        fix: str,
        who: Who,
        rule: str,
    ) -> None:
        source = self.rules.rule(rule).citation
        self.items.append(Finding(code, severity, message, detail, fix, who, rule, source))


def _last_worked(facts: DoctorFacts, today: date) -> date | None:
    """The last day worked: today while a job goes on, else the latest dismissal."""
    ends: list[date] = []
    for job in facts.jobs:
        if job.begin is None or job.begin > today:
            continue
        ends.append(today if job.end is None or job.end >= today else job.end)
    return max(ends, default=None)


def _primary_basis(facts: DoctorFacts, specialty: str, today: date) -> str | None:
    """What gives the right to primary specialised accreditation in `specialty`, if anything."""
    wanted = fold_specialty(specialty)
    for course in facts.courses:
        done = course.completed_on
        if (
            course.kind is CourseKind.RETRAINING
            and fold_specialty(course.specialty) == wanted
            and done is not None
            and done <= today
        ):
            return f"профессиональная переподготовка «{course.theme}» ({format_date(done)})"
    for edu in facts.educations:
        if (
            edu.kind == "postgraduate"
            and fold_specialty(edu.specialty) == wanted
            and (edu.finished is None or edu.finished <= today)
        ):
            return "ординатура по специальности"
    return None


def _break_start(
    facts: DoctorFacts, doc: CredentialRecord, specialty: str, today: date, years: int
) -> date | None:
    """The first day of a break in the specialty longer than `years`, else None.

    The last day of work is the last day in a position that gives стаж in the specialty
    (positions.json); where the specialty is outside that data, in any position. Without
    work since, the document's own date stands for it.
    """
    check = position_check(facts.jobs, specialty, None, today)
    last = check.last_day if check.compared else _last_worked(facts, today)
    if last is None:
        last = doc.pass_date
    if last is None:
        return None
    return last + timedelta(days=1) if add_years(last, years) < today else None


def evaluate(
    facts: DoctorFacts,
    specialty: str,
    today: date,
    rules: RuleSet,
    calendar: WorkingCalendar,
    route: ApplicationKind | None = None,
) -> Readiness:
    """The verdict for one specialty; `route` is what an application asks for, if any."""
    verdict = _evaluate(facts, specialty, today, rules, calendar, route)
    if facts.documents is None:
        return verdict
    holds = verdict.document.kind if verdict.document is not None else None
    lines = tuple(checklist(verdict.route.value, facts.documents, holds))
    out = _Findings(rules)
    _documents(lines, verdict.route, out)
    findings = (*verdict.findings, *out.items)
    return replace(verdict, checklist=lines, findings=findings)


_TAG_FIX = (
    "Добавьте сканы в «Документы» или отметьте, что покрывает файл: клавиша T в «Готовности» "
    "(F8) или frmr documents tag ID ПУНКТ"
)


def _documents(lines: Sequence[ChecklistLine], route: ApplicationKind, out: _Findings) -> None:
    """A file missing for an item the list of documents names blocks: an incomplete set is
    a reason the commission refuses (rules.json «documents»). The rest is an оговорка."""
    required = [line.item.short for line in lines if line.required and not line.covered]
    extra = [line.item.short for line in lines if not line.required and not line.covered]
    if required:
        out.add(
            "documents_missing",
            Severity.BLOCKING,
            "Не хватает документов к заявлению",
            f"нет файлов по {len(required)} из {sum(1 for line in lines if line.required)} "
            f"пунктов перечня ({route.label.lower()}): " + ", ".join(required) + "; неполный "
            "комплект документов — причина не пройти аккредитацию",
            _TAG_FIX,
            Who.WORKER,
            "documents",
        )
    if extra:
        out.add(
            "documents_extra_missing",
            Severity.WARNING,
            "Не все документы приложены",
            f"нет файлов по {len(extra)} пунктам, которых перечень документов не требует: "
            + ", ".join(extra)
            + " — приложите, если они у вас есть",
            _TAG_FIX,
            Who.WORKER,
            "documents",
        )


def _evaluate(
    facts: DoctorFacts,
    specialty: str,
    today: date,
    rules: RuleSet,
    calendar: WorkingCalendar,
    route: ApplicationKind | None,
) -> Readiness:
    out = _Findings(rules)
    doc = last_document(facts.credentials, specialty, today)
    break_since = _break_start(facts, doc, specialty, today, rules.break_years) if doc else None
    natural = PERIODIC if doc is not None and break_since is None else PRIMARY
    chosen = route or natural
    if break_since is not None and not _retrained_since(facts, specialty, break_since, today):
        out.add(
            "break_over_five_years",
            Severity.BLOCKING,
            "Перерыв в работе по специальности более пяти лет",
            f"перерыв с {format_date(break_since)}: периодическая аккредитация невозможна, "
            "нужны профессиональная переподготовка и первичная специализированная аккредитация",
            "Пройдите профессиональную переподготовку по специальности и подайте заявление на "
            "первичную специализированную аккредитацию",
            Who.WORKER,
            "break_years",
        )

    if chosen is PERIODIC and doc is None:
        held = sorted({c.specialty for c in facts.credentials if c.specialty})
        out.add(
            "no_document_in_specialty",
            Severity.BLOCKING,
            "Нет права на периодическую аккредитацию по специальности",
            f"нет сертификата специалиста или аккредитации по специальности «{specialty}»"
            + (f"; документы есть по: {', '.join(held)}" if held else ""),
            "Выберите специальность, по которой есть документ, или подайте на первичную "
            "специализированную аккредитацию после переподготовки",
            Who.WORKER,
            "right_to_work",
        )
    if chosen is PRIMARY:
        verdict = _primary(facts, specialty, today, rules, calendar, doc, break_since, out)
    else:
        verdict = _periodic(facts, specialty, today, rules, calendar, doc, break_since, out)
    return replace(verdict, break_since=break_since)


def _retrained_since(facts: DoctorFacts, specialty: str, since: date, today: date) -> bool:
    """A retraining in the specialty completed after the break began: the way back."""
    wanted = fold_specialty(specialty)
    return any(
        c.kind is CourseKind.RETRAINING
        and fold_specialty(c.specialty) == wanted
        and c.completed_on is not None
        and since <= c.completed_on <= today
        for c in facts.courses
    )


def _primary(
    facts: DoctorFacts,
    specialty: str,
    today: date,
    rules: RuleSet,
    calendar: WorkingCalendar,
    doc: CredentialRecord | None,
    break_since: date | None,
    out: _Findings,
) -> Readiness:
    # After a break the old document stays on the card with its expiry, though it no longer
    # sets a window.
    cyc = cycle(doc, today, rules, calendar) if doc and break_since else None
    if break_since is None and _primary_basis(facts, specialty, today) is None:
        out.add(
            "no_primary_basis",
            Severity.BLOCKING,
            "Нет документа для первичной специализированной аккредитации",
            f"нет завершённой ординатуры или профессиональной переподготовки по специальности "
            f"«{specialty}»",
            "Внесите диплом об окончании ординатуры или документ о переподготовке в портфолио",
            Who.WORKER,
            "right_to_work",
        )
    return Readiness(specialty, PRIMARY, doc, None, cyc, None, tuple(out.items), today)


def _periodic(
    facts: DoctorFacts,
    specialty: str,
    today: date,
    rules: RuleSet,
    calendar: WorkingCalendar,
    doc: CredentialRecord | None,
    break_since: date | None,
    out: _Findings,
) -> Readiness:
    period = specialty_period(facts.credentials, specialty, today)
    ledger = hours_ledger(facts.courses, specialty, period, rules)
    cyc = cycle(doc, today, rules, calendar) if doc else None
    if doc is not None and cyc is None:
        out.add(
            "document_undated",
            Severity.BLOCKING,
            "Не указан срок действия документа",
            f"у документа {doc.number or 'без номера'} нет даты выдачи и срока действия",
            "Укажите дату прохождения и «Действует до» в разделе «Сертификаты и аккредитации»",
            Who.WORKER,
            "validity",
        )
    if cyc is not None:
        _window(cyc, rules, break_since, out)
    _hours(ledger, period, cyc, today, out)
    _excluded(ledger, out)
    _employment(facts, today, out)
    positions = position_check(facts.jobs, specialty, period, today)
    if break_since is None:  # a break already says why the period holds no стаж
        _position(positions, specialty, period, out)
    dismissal = dismissed_on(facts.jobs, today)
    _dismissal(facts, dismissal, out)
    return Readiness(
        specialty,
        PERIODIC,
        doc,
        period,
        cyc,
        ledger,
        tuple(out.items),
        today,
        position=positions,
        dismissal=dismissal,
    )


def _window(cyc: Cycle, rules: RuleSet, break_since: date | None, out: _Findings) -> None:
    if cyc.state is WindowState.NOT_YET:
        out.add(
            "window_not_open",
            Severity.BLOCKING,
            "Срок подачи ещё не наступил",
            f"подать заявление можно с {format_date(cyc.opens)} по {format_date(cyc.closes)}",
            f"Подайте заявление не раньше {format_date(cyc.opens)}",
            Who.WORKER,
            "window_opens",
        )
    elif cyc.state is WindowState.CLOSED and break_since is None:
        primary_from = add_years(cyc.expires, rules.break_years)
        out.add(
            "document_expired",
            Severity.BLOCKING,
            "Срок действия документа истёк",
            f"документ действовал до {format_date(cyc.expires)}; срок подачи на периодическую "
            f"аккредитацию — не позже этого дня, и дату решения назвать нельзя. Путь: "
            f"периодическая аккредитация, пока перерыв не больше пяти лет — приём заявления "
            f"после окончания срока решает аккредитационный центр (прочитанные источники об этом "
            f"молчат); не позже {format_date(primary_from)} — иначе переподготовка и первичная "
            "специализированная аккредитация. До прохождения работать по специальности нельзя",
            "Обратитесь в аккредитационный центр с этим заявлением, не дожидаясь "
            f"{format_date(primary_from)}",
            Who.CENTRE,
            "window_closes",
        )
    elif cyc.decision_by > cyc.expires:
        out.add(
            "decision_after_expiry",
            Severity.WARNING,
            "Решение может прийти после окончания срока действия",
            f"ожидаемая дата решения {format_date(cyc.decision_by)}, документ действует до "
            f"{format_date(cyc.expires)}",
            "Подайте заявление как можно скорее",
            Who.WORKER,
            "review_cac",
        )


def _hours(
    ledger: HoursLedger, period: ReportingPeriod, cyc: Cycle | None, today: date, out: _Findings
) -> None:
    pace = ledger.pace_per_month(today, cyc.closes if cyc else None)
    pace_text = (
        f" (нужно около {pace:g} ч в месяц до закрытия окна)".replace(".", ",") if pace else ""
    )
    if ledger.missing_pk:
        out.add(
            "hours_pk_short",
            Severity.BLOCKING,
            "Недостаточно часов повышения квалификации",
            f"за период {period} ДПП ПК: {ledger.pk} ч из {ledger.need_pk}, не хватает "
            f"{ledger.missing_pk} ч{pace_text}",
            f"Пройдите программы повышения квалификации ещё на {ledger.missing_pk} ч по "
            "специальности и внесите удостоверения",
            Who.WORKER,
            "hours_pk_min",
        )
    if ledger.missing_nmo:
        out.add(
            "hours_nmo_short",
            Severity.BLOCKING,
            "Недостаточно часов НМО",
            f"за период {period} НМО: {ledger.nmo} ч из {ledger.nmo_target}, не хватает "
            f"{ledger.missing_nmo} ч (всего {ledger.total} ч из {ledger.need_total}){pace_text}",
            f"Освойте интерактивные модули или образовательные мероприятия НМО ещё на "
            f"{ledger.missing_nmo} ч (или ДПП ПК сверх минимума)",
            Who.WORKER,
            "hours_total",
        )


def _excluded(ledger: HoursLedger, out: _Findings) -> None:
    for entry in ledger.excluded:
        c = entry.course
        if entry.rule == "nmo_kinds":
            fix = "Укажите вид: ДПП ПК, переподготовка, интерактивный модуль НМО или мероприятие"
        elif c.specialty is None or not c.specialty.strip():
            fix = "Укажите специальность, по которой пройдено обучение"
        elif entry.rule == "document_required":
            fix = "Внесите номер и дату удостоверения или сертификата"
        else:
            continue  # another specialty, outside the period, retraining: shown in the ledger
        out.add(
            f"course_{entry.rule}",
            Severity.WARNING,
            "Обучение не учтено",
            f"«{c.theme or 'без темы'}», {c.hours} ч: {entry.reason}",
            fix,
            Who.WORKER,
            entry.rule or "hours_total",
        )


def _employment(facts: DoctorFacts, today: date, out: _Findings) -> None:
    if not any(j.organization.strip() for j in facts.jobs):
        out.add(
            "organization_missing",
            Severity.BLOCKING,
            ORGANIZATION_MISSING,
            "в профессиональной части нет места работы с названием организации",
            ORGANIZATION_FIX,
            Who.EMPLOYER,
            "employment",
        )
    if not facts.has_report:
        out.add(
            "report_missing",
            Severity.BLOCKING,
            "Нет отчёта о профессиональной деятельности",
            "отчёт за пять лет входит в портфолио периодической аккредитации",
            "Составьте отчёт в разделе «Портфолио» и согласуйте его с руководителем",
            Who.WORKER,
            "employment",
        )


def _position(
    check: PositionCheck, specialty: str, period: ReportingPeriod, out: _Findings
) -> None:
    if check.allowed is None:
        out.add(
            "position_not_compared",
            Severity.WARNING,
            "Стаж по специальности не сверен",
            f"для специальности «{specialty}» нет списка должностей: комиссия проверит стаж по "
            f"должностям отчётного периода ({', '.join(check.held) or 'нет должностей'}), "
            "а программа этого сделать не может",
            "Сверьте должность с квалификационными требованиями к специальности сами",
            Who.WORKER,
            "position_match",
        )
        return
    if check.days > 0:
        return
    held = ", ".join(check.held) if check.held else "нет ни одной должности"
    out.add(
        "no_experience_in_specialty",
        Severity.BLOCKING,
        "Нет стажа по специальности в отчётном периоде",
        f"за период {period} должности: {held}; стаж по специальности «{specialty}» дают "
        f"должности: {', '.join(check.allowed)}",
        "Если вы работали по этой специальности, попросите отдел кадров внести в ФРМР верную "
        "должность; иначе комиссия не засчитает стаж",
        Who.EMPLOYER,
        "position_match",
    )


def _dismissal(facts: DoctorFacts, dismissal: date | None, out: _Findings) -> None:
    """Someone not at work now ends the report's period on the dismissal day and answers
    «Согласование отчёта: Нет» (rules.json «dismissal_period_end»)."""
    end = facts.report_period_end
    if dismissal is None or end is None:
        return
    wrong = []
    if end != dismissal:
        wrong.append(f"отчётный период в отчёте кончается {format_date(end)}")
    if facts.report_agreed:
        wrong.append("согласование отчёта указано «Да»")
    if not wrong:
        return
    out.add(
        "dismissal_period_end",
        Severity.BLOCKING,
        PORTFOLIO_INCONSISTENT,
        f"вы не работаете с {format_date(dismissal)}, а " + " и ".join(wrong),
        f"Укажите дату увольнения {format_date(dismissal)} окончанием отчётного периода и "
        "«Согласование отчёта: Нет»: клавиша E в «Готовности» (F8) или frmr report set "
        f"period_end={format_date(dismissal)} variant=not_working",
        Who.WORKER,
        "dismissal_period_end",
    )


def overall(results: Sequence[Readiness]) -> Verdict:
    """The verdict of several specialties: the worst of them; none at all is not ready."""
    if not results:
        return Verdict.NOT_READY
    order = (Verdict.NOT_READY, Verdict.READY_WITH_CAVEATS, Verdict.READY)
    return next(v for v in order if any(r.verdict is v for r in results))


def specialties_of(facts: DoctorFacts) -> list[str]:
    """Every specialty the worker has a document, a retraining or an application in."""
    return distinct_specialties(
        [
            *(c.specialty for c in facts.credentials),
            *(c.specialty for c in facts.courses if c.kind is CourseKind.RETRAINING),
            *facts.wanted,
        ]
    )


def evaluate_all(
    facts: DoctorFacts, today: date, rules: RuleSet, calendar: WorkingCalendar
) -> list[Readiness]:
    return [evaluate(facts, s, today, rules, calendar) for s in specialties_of(facts)]


def evaluate_asked(
    facts: DoctorFacts,
    specialty: str | None,
    today: date,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> list[Readiness]:
    """Every specialty's verdict, or the one asked for (by name, any case)."""
    if specialty is None:
        return evaluate_all(facts, today, rules, calendar)
    return [evaluate(facts, specialty.strip(), today, rules, calendar)]
