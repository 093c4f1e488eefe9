"""The checks the registry runs on an application's portfolio, with the registry's own texts.

Both sides call `check_portfolio`: the client when the worker forms an application (so the
problems show before anything is sent), the registry when it is submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from frmr.model.portfolio.reporting_period import specialty_period, training_hours_in_period
from frmr.model.readiness.facts import CourseRecord, CredentialRecord, JobRecord
from frmr.model.rules.dates import format_date
from frmr.model.rules.errors import (
    ORGANIZATION_FIX,
    ORGANIZATION_MISSING,
    PORTFOLIO_FIX,
    PORTFOLIO_INCONSISTENT,
    VALIDATION_ERROR,
    FrmrError,
)
from frmr.model.rules.limits import MAX_FILES, MAX_TOTAL_BYTES, VALIDATION_FIX, format_size

ORGANIZATION_MISSING_CODE = "organization_missing"
PORTFOLIO_INCONSISTENT_CODE = "portfolio_inconsistent"
VALIDATION_ERROR_CODE = "validation_error"


@dataclass(frozen=True)
class PortfolioFacts:
    # The jobs and courses as readiness reads them (model.readiness.from_rows builds both).
    employments: Sequence[JobRecord]
    courses: Sequence[CourseRecord]
    report_organization: str | None
    report_agreed: bool | None
    attachment_sizes: Sequence[int]
    # The application's specialty and the documents on record: its reporting period is the
    # one readiness reckons (reporting_period.specialty_period), not one from the latest
    # document of any specialty.
    specialty: str
    credentials: Sequence[CredentialRecord]
    # Primary specialised accreditation needs no employer and no course hours (an ordinatura
    # graduate has neither); periodic needs both.
    periodic: bool = True


@dataclass(frozen=True)
class PortfolioProblem:
    code: str
    message: str
    fix: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "fix": self.fix, "detail": self.detail}


class PortfolioRejected(FrmrError):
    """Forming or submitting refused; `problems` lists each one with its fix."""

    def __init__(self, problems: Sequence[PortfolioProblem]) -> None:
        first = problems[0]
        lines = [f"{p.message}: {p.detail}" for p in problems]
        super().__init__(
            "\n".join(lines),
            "portfolio check failed: " + ", ".join(p.code for p in problems),
            code=first.code,
            fix=first.fix,
            details={"problems": [p.as_dict() for p in problems]},
        )
        self.problems = list(problems)


def _same_org(a: str, b: str) -> bool:
    def fold(s: str) -> str:
        return " ".join(s.casefold().replace("ё", "е").replace("«", "").replace("»", "").split())

    return fold(a) == fold(b)


def _validation(facts: PortfolioFacts) -> list[PortfolioProblem]:
    count, total = len(facts.attachment_sizes), sum(facts.attachment_sizes)
    details = []
    if count > MAX_FILES:
        details.append(f"приложено файлов: {count}, допускается не более {MAX_FILES}")
    if total > MAX_TOTAL_BYTES:
        details.append(
            f"общий размер файлов {format_size(total)}, "
            f"допускается не более {format_size(MAX_TOTAL_BYTES)}"
        )
    return [
        PortfolioProblem(VALIDATION_ERROR_CODE, VALIDATION_ERROR, VALIDATION_FIX, detail)
        for detail in details
    ]


def _organization(facts: PortfolioFacts) -> list[PortfolioProblem]:
    if not any(e.organization.strip() for e in facts.employments):
        detail = "в профессиональной части нет ни одного места работы с названием организации"
    elif facts.report_organization is not None and not facts.report_organization.strip():
        detail = "в отчёте о профессиональной деятельности не указана организация"
    else:
        return []
    return [
        PortfolioProblem(ORGANIZATION_MISSING_CODE, ORGANIZATION_MISSING, ORGANIZATION_FIX, detail)
    ]


def _inconsistent(facts: PortfolioFacts, today: date) -> list[PortfolioProblem]:
    problems: list[PortfolioProblem] = []

    def problem(detail: str, fix: str = PORTFOLIO_FIX) -> None:
        problems.append(
            PortfolioProblem(PORTFOLIO_INCONSISTENT_CODE, PORTFOLIO_INCONSISTENT, fix, detail)
        )

    dated = []
    for e in facts.employments:
        name = e.organization or "без названия"
        if e.begin is None:
            problem(f"у места работы «{name}» не указана дата начала", "Укажите дату приёма")
        elif e.begin > today:
            problem(
                f"место работы «{name}» начинается в будущем ({format_date(e.begin)})",
                "Исправьте дату приёма",
            )
        elif e.end is not None and e.end < e.begin:
            problem(
                f"у места работы «{name}» дата окончания раньше даты начала",
                "Исправьте даты работы",
            )
        else:
            dated.append(e)
    if not dated:
        return problems

    period = specialty_period(facts.credentials, facts.specialty, today)
    current = [e for e in dated if e.end is None or e.end >= today]
    last = max(dated, key=lambda e: e.end or today)
    if not current:
        assert last.end is not None
        if facts.report_agreed:
            problem(
                f"вы не работаете с {format_date(last.end)}, а согласование отчёта указано «Да»",
                "Если вы не работаете, укажите «Согласование отчёта: Нет». " + PORTFOLIO_FIX,
            )
        if last.end < period.start:
            problem(
                f"в отчётном периоде {period} нет ни одного места работы "
                f"(последнее окончилось {format_date(last.end)})"
            )
    report_org = (facts.report_organization or "").strip()
    if report_org and not any(_same_org(report_org, e.organization) for e in (current or [last])):
        names = ", ".join(f"«{e.organization}»" for e in (current or [last]))
        problem(
            f"отчёт составлен для «{report_org}», а текущее или последнее место работы — {names}",
            "Составьте отчёт для текущей или последней организации",
        )
    hours = training_hours_in_period(
        ((c.begin, c.end, c.hours) for c in facts.courses if c.begin is not None), period
    )
    if hours == 0:
        problem(
            f"в образовательной части нет курсов за отчётный период {period}",
            "Добавьте курсы повышения квалификации и мероприятия НМО за отчётный период",
        )
    return problems


def check_portfolio(facts: PortfolioFacts, today: date) -> list[PortfolioProblem]:
    """Every problem, in the order the registry reports them; empty when the portfolio is fine."""
    if not facts.periodic:
        return _validation(facts)
    return _validation(facts) + _organization(facts) + _inconsistent(facts, today)


def require_consistent(facts: PortfolioFacts, today: date) -> None:
    problems = check_portfolio(facts, today)
    if problems:
        raise PortfolioRejected(problems)
