"""«Отчёт о профессиональной деятельности»: its facts, its blocks, and how it is signed.

Structure. The ФАЦ (fmza.ru) publishes report templates under «Шаблоны и образцы
документов»; that page was not among the searchable copies, so its current template could
not be compared. The blocks follow a public guide that states it is based on Приказ
Минздрава № 709н and on practice with the ФАЦ (uc-socium.info, «Как правильно оформить
отчет для аккредитации? Пошаговая инструкция», 2025-07-23,
https://uc-socium.info/tpost/bod9eij6k1-kak-pravilno-oformit-otchet-dlya-akkredi): seven
blocks, the organisation (profile, structure), the
department (tasks, functions), стаж in the specialty, functional duties, professional
achievements, mentoring, and proposals for improving one's work. The report covers the
five years of the reporting period and is agreed (signed) by the head of the organisation
unless the worker does not work, got a motivated refusal, is the head, or is an individual
entrepreneur (medcol.ru; kdpconsulting.ru, «Куда отправлять документы для аккредитации»:
«Согласование отчёта» is «Нет» exactly in those cases).

Facts (organisation, department, position, стаж, period) are pre-filled from the
portfolio's employment; a fact the worker edits is remembered in `edited_facts` and never
refreshed again, the others follow the portfolio every time the report is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from frmr.model.account import Account
from frmr.model.clock import today as local_today
from frmr.model.dates import format_date, parse_date
from frmr.model.errors import FieldInvalid, NotFound
from frmr.model.readiness.facts import edited_names
from frmr.model.reporting_period import ReportingPeriod, reporting_period
from frmr.model.seniority import seniority
from frmr.model.tables import (
    Certificate,
    CertificateKind,
    Employment,
    Person,
    PositionType,
    ProfessionalReport,
    ReportVariant,
)

# The wire contract carries each block in at most this many characters (sync/protocol.py).
MAX_BLOCK_CHARS = 20000
MAX_FACT_CHARS = 500

# Tab and line feed are how multi-line text is written; every other control character
# (C0, DEL, C1) is invisible on screen and breaks printing, so it is refused.
_ALLOWED_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class ReportBlock:
    name: str
    title: str
    hint: str
    short: str


BLOCKS: tuple[ReportBlock, ...] = (
    ReportBlock(
        "organization_text",
        "Характеристика организации",
        "Краткое описание организации: профиль деятельности, структура, мощность",
        "1. Организация",
    ),
    ReportBlock(
        "department_text",
        "Характеристика подразделения",
        "Задачи и функции подразделения, в котором вы работаете, его особенности",
        "2. Подразделение",
    ),
    ReportBlock(
        "experience_text",
        "Стаж работы по специальности",
        "Стаж по специальности, по которой вы проходите аккредитацию, и места работы",
        "3. Стаж",
    ),
    ReportBlock(
        "duties",
        "Функциональные обязанности",
        "Что входит в ваши обязанности: приём, манипуляции, документация, дежурства",
        "4. Обязанности",
    ),
    ReportBlock(
        "achievements",
        "Профессиональные достижения",
        "Освоенные методики, показатели работы, публикации, участие в конференциях",
        "5. Достижения",
    ),
    ReportBlock(
        "mentoring",
        "Наставничество",
        "Обучение молодых специалистов, стажёров, студентов, участие в наставничестве",
        "6. Наставничество",
    ),
    ReportBlock(
        "proposals",
        "Предложения по совершенствованию профессиональной деятельности",
        "Что вы предлагаете улучшить в своей работе и работе подразделения",
        "7. Предложения",
    ),
)
BLOCK_NAMES = tuple(b.name for b in BLOCKS)


@dataclass(frozen=True)
class ReportFact:
    name: str
    label: str


FACTS: tuple[ReportFact, ...] = (
    ReportFact("organization", "Организация"),
    ReportFact("department", "Подразделение"),
    ReportFact("position", "Должность"),
    ReportFact("seniority", "Стаж работы"),
    ReportFact("period_start", "Начало отчётного периода"),
    ReportFact("period_end", "Окончание отчётного периода"),
)
FACT_NAMES = tuple(f.name for f in FACTS)
_DATE_FACTS = frozenset({"period_start", "period_end"})

SIGNER_FIELDS: Mapping[str, str] = {
    "signer_name": "Подписывающий: Ф.И.О.",
    "signer_position": "Подписывающий: должность",
    "signed_on": "Дата подписи",
}
# Who signs: the head for an agreement or a refusal; nobody else's name fits the rest.
SIGNED_BY_HEAD = frozenset({ReportVariant.AGREED, ReportVariant.REFUSED})


def field_label(name: str) -> str:
    for block in BLOCKS:
        if block.name == name:
            return block.title
    for fact in FACTS:
        if fact.name == name:
            return fact.label
    if name == "variant":
        return "Согласование"
    if name in SIGNER_FIELDS:
        return SIGNER_FIELDS[name]
    raise NotFound(
        f"В отчёте нет поля «{name}». Поля: " + ", ".join(all_field_names()),
        f"report: unknown field {name!r}",
        code="field_unknown",
    )


def all_field_names() -> tuple[str, ...]:
    return (*FACT_NAMES, *BLOCK_NAMES, "variant", *SIGNER_FIELDS)


def check_text(value: str, field: str, *, limit: int, multiline: bool) -> str:
    """The one text rule every report field goes through (control characters, length)."""
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    # Windows line ends (a paste from Word) are line ends; a lone CR is not.
    value = value.replace("\r\n", "\n")
    for ch in value:
        code = ord(ch)
        if (code < 0x20 or 0x7F <= code < 0xA0) and ch not in allowed:
            raise FieldInvalid(
                f"Поле «{field_label(field)}» содержит недопустимый управляющий символ "
                f"(код {code:#04x}); удалите его",
                f"{field}: control character {code:#04x}",
                field=field,
            )
    cleaned = value.strip() if multiline else " ".join(value.split())
    if len(cleaned) > limit:
        raise FieldInvalid(
            f"Поле «{field_label(field)}» — не длиннее {limit} символов, сейчас {len(cleaned)}",
            f"{field}: {len(cleaned)} characters, limit {limit}",
            field=field,
        )
    return cleaned


def parse_variant(value: str) -> ReportVariant:
    folded = value.strip().casefold()
    for member in ReportVariant:
        if folded in {member.value, member.label.casefold()}:
            return member
    labels = ", ".join(f"«{m.label}» ({m.value})" for m in ReportVariant)
    raise FieldInvalid(
        f"Согласование: выберите одно из: {labels}", f"bad variant {value!r}", field="variant"
    )


def parse_field(name: str, value: str) -> Any:
    """What was typed for one report field, validated; dates and the variant parsed."""
    if name == "variant":
        return parse_variant(check_text(value, name, limit=64, multiline=False))
    if name in _DATE_FACTS or name == "signed_on":
        text = check_text(value, name, limit=32, multiline=False)
        return parse_date(text, name) if text else None
    if name in BLOCK_NAMES:
        return check_text(value, name, limit=MAX_BLOCK_CHARS, multiline=True)
    field_label(name)
    return check_text(value, name, limit=MAX_FACT_CHARS, multiline=False)


# --- the pre-filled facts ------------------------------------------------------------


def report_period(certificates: Sequence[Certificate], today: date) -> ReportingPeriod:
    """The period the report covers: the portfolio's reporting period, from one call."""
    passes = [
        c.pass_date
        for c in certificates
        if c.kind is CertificateKind.ACCREDITATION and c.pass_date is not None and not c.deleted
    ]
    return reporting_period(max(passes, default=None), today)


def _alive(session: Session, table: Any) -> list[Any]:
    return list(session.exec(select(table).where(table.deleted == False)))  # noqa: E712


def report_job(employments: Sequence[Employment], today: date) -> Employment | None:
    """The current or last place of work: an open main job first, then the latest one."""
    dated = [e for e in employments if e.begin_date is not None]
    if not dated:
        return None
    current = [e for e in dated if e.end_date is None or e.end_date >= today]
    pool = current or dated
    return max(
        pool,
        key=lambda e: (
            e.position_type is PositionType.MAIN,
            e.end_date or date.max,
            e.begin_date,
        ),
    )


def prefilled_facts(session: Session, today: date) -> dict[str, Any]:
    employments: list[Employment] = _alive(session, Employment)
    job = report_job(employments, today)
    period = report_period(_alive(session, Certificate), today)
    dated = [(e.begin_date, e.end_date) for e in employments if e.begin_date is not None]
    return {
        "organization": job.organization if job else "",
        "department": (job.department or "") if job else "",
        "position": job.position if job else "",
        "seniority": str(seniority(dated, today)) if dated else "",
        "period_start": period.start,
        "period_end": period.end,
    }


def edited_facts(report: ProfessionalReport) -> set[str]:
    return edited_names(report.edited_facts)


def _refresh(report: ProfessionalReport, facts: Mapping[str, Any]) -> bool:
    """Copy the pre-filled facts the worker has not edited; True when anything changed."""
    edited = edited_facts(report)
    changed = False
    for name, value in facts.items():
        if name not in edited and getattr(report, name) != value:
            setattr(report, name, value)
            changed = True
    year = report.period_end.year if report.period_end else None
    if report.year != year:
        report.year = year
        changed = True
    return changed


# --- reading and editing -------------------------------------------------------------


def current_report(session: Session) -> ProfessionalReport | None:
    """The report in use: the newest live one (a store holds one; imports may bring more)."""
    return session.exec(
        select(ProfessionalReport)
        .where(ProfessionalReport.deleted == False)  # noqa: E712
        .order_by(col(ProfessionalReport.updated_at).desc())
    ).first()


def report_agreement(session: Session) -> bool:
    """«Согласование отчёта о профессиональной деятельности» for every application.

    With no report yet, the default variant answers: «Да», as for most workers
    (kdpconsulting.ru: «В остальных случаях — выбираем ДА»).
    """
    report = current_report(session)
    variant = report.variant if report is not None else ReportVariant.AGREED
    return variant.agreed


@dataclass(frozen=True)
class ReportView:
    report: ProfessionalReport
    author: str
    saved: bool

    @property
    def edited(self) -> set[str]:
        return edited_facts(self.report)

    def value(self, name: str) -> str:
        raw = getattr(self.report, name)
        if isinstance(raw, date):
            return format_date(raw)
        if isinstance(raw, ReportVariant):
            return raw.value
        return "" if raw is None else str(raw)

    def as_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "id": r.id if self.saved else None,
            "author": self.author,
            "facts": {
                f.name: {"value": self.value(f.name), "edited": f.name in self.edited}
                for f in FACTS
            },
            "blocks": {b.name: getattr(r, b.name) for b in BLOCKS},
            "variant": r.variant.value,
            "variant_label": r.variant.label,
            "agreed": r.agreed,
            "signer": {
                "name": r.signer_name,
                "position": r.signer_position,
                "date": r.signed_on.isoformat() if r.signed_on else None,
            },
        }


def author_name(session: Session) -> str:
    """«Фамилия Имя Отчество» of the account holder, as a report is signed."""
    person = session.exec(select(Person)).first()
    if person is None:
        return ""
    return " ".join(p for p in (person.last_name, person.first_name, person.patronymic) if p)


def load_report(account: Account, today: date | None = None) -> ReportView:
    """The report with its untouched facts refreshed from the portfolio (saved if it exists)."""
    today = today or local_today()
    with account.store.write() as session:
        report = current_report(session)
        saved = report is not None
        if report is None:
            report = ProfessionalReport()
        if _refresh(report, prefilled_facts(session, today)) and saved:
            report.touch()
            session.add(report)
        author = author_name(session)
    return ReportView(report, author, saved)


def update_report(
    account: Account, values: Mapping[str, str], today: date | None = None
) -> ReportView:
    """Save what the worker typed; every value is checked before anything is written.

    An empty fact gives it back to the portfolio: it is pre-filled again.
    """
    today = today or local_today()
    parsed = {name: parse_field(name, text) for name, text in values.items()}
    with account.store.write() as session:
        report = current_report(session) or ProfessionalReport()
        edited = edited_facts(report)
        for name, value in parsed.items():
            if name in FACT_NAMES:
                if value in ("", None):
                    edited.discard(name)
                    continue
                edited.add(name)
            setattr(report, name, "" if value is None and name not in _NULLABLE else value)
        report.edited_facts = ",".join(n for n in FACT_NAMES if n in edited)
        _refresh(report, prefilled_facts(session, today))
        report.touch()
        session.add(report)
        author = author_name(session)
    return ReportView(report, author, saved=True)


_NULLABLE = frozenset({"signed_on", "period_start", "period_end"})
