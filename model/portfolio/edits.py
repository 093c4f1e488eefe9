"""«Портфолио» and the rest of the profile's lists: one generic, validated editor per table.

The report on professional activity has its own editor (model/report/record.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from frmr.model.portfolio.library_links import parse_document_reference, resolve_document
from frmr.model.portfolio.reporting_period import (
    SpecialtyPeriod,
    last_document,
    portfolio_period,
)
from frmr.model.portfolio.seniority import Seniority, seniority
from frmr.model.profile.card import FieldSpec
from frmr.model.rules.clock import today as local_today
from frmr.model.rules.dates import check_period, check_plausible, format_date, parse_date
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.identity import check_passport, normalize_division_code, normalize_fias_guid
from frmr.model.rules.record_version import RecordChanged, is_stale
from frmr.model.rules.text import check_field
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.tables import (
    AdditionalDocument,
    Address,
    AddressKind,
    Certificate,
    CertificateKind,
    Course,
    CourseKind,
    Education,
    EducationKind,
    Employment,
    IdentityDocument,
    PortfolioPart,
    PositionType,
    Skill,
    SyncColumns,
)


def _int(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise FieldInvalid(
                "Введите целое число", f"{name}: not an integer", field=name
            ) from None
        if not low <= number <= high:
            raise FieldInvalid(
                f"Введите число от {low} до {high}", f"{name}: {number} out of range", field=name
            )
        return number

    return parse


def _past_year(name: str, label: str, low: int) -> Callable[[str], int]:
    """A year that has already come: a graduation in 2035 is a typo, not a plan."""

    def parse(value: str) -> int:
        this_year = local_today().year
        number = _int(name, low, this_year + 1000)(value)
        if number > this_year:
            raise FieldInvalid(
                f"{label} не может быть позже текущего года ({this_year})",
                f"{name}: {number} is in the future",
                field=name,
            )
        return number

    return parse


def _rate(value: str) -> float:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise FieldInvalid(
            "Ставка — число, например 1 или 0,5", "rate: not a number", field="rate"
        ) from None
    if not 0 < number <= 2:
        raise FieldInvalid("Ставка — от 0,05 до 2", f"rate {number} out of range", field="rate")
    return number


def _choice(enum_cls: type[StrEnum], name: str) -> Callable[[str], StrEnum]:
    # An enum may hold members kept only for old rows (CourseKind); a form offers the rest.
    members = getattr(enum_cls, "selectable", lambda: tuple(enum_cls))()

    def parse(value: str) -> StrEnum:
        folded = value.strip().casefold()
        for member in members:
            label = str(getattr(member, "label", member.value))
            if folded in {member.value, label.casefold()}:
                return member
        labels = ", ".join(f"«{getattr(m, 'label', m.value)}»" for m in members)
        raise FieldInvalid(
            f"Выберите одно из: {labels}", f"{name}: bad choice {value!r}", field=name
        )

    return parse


def _label(value: Any) -> str:
    return str(getattr(value, "label", value))


def _f(
    name: str,
    label: str,
    parse: Callable[[str], Any],
    required: bool = False,
    display: Callable[[Any], str] = str,
) -> FieldSpec:
    return FieldSpec(name, label, parse, required, display)


@dataclass(frozen=True)
class CollectionSpec:
    name: str
    label: str
    table: type[SyncColumns]
    fields: Sequence[FieldSpec]
    # (begin, end) field pairs that must be in order.
    periods: Sequence[tuple[str, str]] = ()
    # Fields holding a document of the library (model.portfolio.library_links).
    documents: Sequence[str] = ()
    # Fields whose values together may appear in one live row only, and what a second one
    # is told (str.format with the fields' labels of the row).
    unique: Sequence[str] = ()
    duplicate: str = "Такая запись уже есть"
    # A check across the row's fields (model.rules.identity.check_passport); raises FieldInvalid.
    row_check: Callable[[Any], None] | None = None

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise NotFound(
            f"Нет поля «{name}»", f"{self.name}: unknown field {name!r}", code="field_unknown"
        )

    def title(self, row: Any) -> str:
        first = self.fields[0].name
        return str(_label(getattr(row, first)) or "")


def _t(collection: str, name: str, label: str, required: bool = False) -> FieldSpec:
    """A free-text field under model.rules.text's rule and the contract's limit for it."""
    return _f(name, label, lambda value: check_field(collection, name, value, label), required)


def _checked(collection: str, name: str, label: str, normalize: Callable[[str], str]) -> FieldSpec:
    """A text field with a format of its own (model.rules.identity) on top of the text rule
    (model.rules.text)."""
    return _f(name, label, lambda value: normalize(check_field(collection, name, value, label)))


def _d(name: str, label: str, required: bool = False) -> FieldSpec:
    """An end date that may lie ahead, within model.rules.dates.check_plausible's range."""

    def parse(value: str) -> date:
        return check_plausible(parse_date(value, name), "end", field=name, today=local_today())

    return _f(name, label, parse, required, format_date)


def _past(name: str, label: str, required: bool = False) -> FieldSpec:
    """A date of something that has happened (model.rules.dates.check_plausible, «past»)."""

    def parse(value: str) -> date:
        return check_plausible(parse_date(value, name), "past", field=name, today=local_today())

    return _f(name, label, parse, required, format_date)


COLLECTIONS: Mapping[str, CollectionSpec] = {
    spec.name: spec
    for spec in (
        CollectionSpec(
            "identity-documents",
            "Документы, удостоверяющие личность",
            IdentityDocument,
            [
                _t("identity-documents", "doc_type", "Вид документа", True),
                _t("identity-documents", "serial", "Серия"),
                _t("identity-documents", "number", "Номер", True),
                _past("issue_date", "Дата выдачи"),
                _t("identity-documents", "issuer", "Кем выдан"),
                _checked(
                    "identity-documents",
                    "division_code",
                    "Код подразделения",
                    normalize_division_code,
                ),
            ],
            row_check=lambda row: check_passport(row.doc_type, row.serial, row.number),
        ),
        CollectionSpec(
            "addresses",
            "Адреса",
            Address,
            [
                _f("kind", "Тип адреса", _choice(AddressKind, "kind"), True, _label),
                _t("addresses", "region", "Регион", True),
                _t("addresses", "area", "Район"),
                _t("addresses", "city", "Населённый пункт"),
                _t("addresses", "street", "Улица"),
                _t("addresses", "house", "Дом"),
                _t("addresses", "building", "Корпус"),
                _t("addresses", "flat", "Квартира"),
                _checked("addresses", "fias_guid", "ГУИД ФИАС", normalize_fias_guid),
            ],
        ),
        CollectionSpec(
            "education",
            "Образование",
            Education,
            [
                _t("education", "institution", "Учебное заведение", True),
                _f("kind", "Вид", _choice(EducationKind, "kind"), True, _label),
                _t("education", "specialty", "Специальность"),
                _t("education", "qualification", "Квалификация"),
                _t("education", "doc_serial", "Серия документа"),
                _t("education", "doc_number", "Номер документа"),
                _past("doc_date", "Дата документа"),
                _f(
                    "graduation_year",
                    "Год окончания",
                    _past_year("graduation_year", "Год окончания", 1940),
                ),
            ],
        ),
        CollectionSpec(
            "courses",
            "Курсы и НМО",
            Course,
            [
                _t("courses", "theme", "Тема", True),
                _f("kind", "Вид", _choice(CourseKind, "kind"), True, _label),
                _f("hours", "Часов", _int("hours", 1, 3000), True),
                _t("courses", "specialty", "Специальность"),
                _t("courses", "institution", "Организация", True),
                _past("begin_date", "Начало", True),
                _d("end_date", "Окончание"),
                _t("courses", "doc_number", "Номер документа"),
                _past("doc_date", "Дата документа"),
            ],
            periods=[("begin_date", "end_date")],
        ),
        CollectionSpec(
            "certificates",
            "Сертификаты и аккредитации",
            Certificate,
            [
                _t("certificates", "number", "Номер", True),
                _f("kind", "Вид", _choice(CertificateKind, "kind"), True, _label),
                _t("certificates", "specialty_name", "Специальность"),
                _t("certificates", "specialty_code", "Код"),
                _past("pass_date", "Дата прохождения", True),
                _d("end_date", "Действует до"),
            ],
            periods=[("pass_date", "end_date")],
        ),
        CollectionSpec(
            "employment",
            "Опыт работы",
            Employment,
            [
                _t("employment", "organization", "Организация", True),
                _t("employment", "position", "Должность", True),
                _t("employment", "department", "Подразделение"),
                _f(
                    "position_type",
                    "Тип занятости",
                    _choice(PositionType, "position_type"),
                    True,
                    _label,
                ),
                _f("rate", "Ставка", _rate),
                _past("begin_date", "Дата приёма", True),
                _d("end_date", "Дата увольнения"),
            ],
            periods=[("begin_date", "end_date")],
        ),
        CollectionSpec(
            "skills",
            "Навыки",
            Skill,
            [_t("skills", "name", "Навык", True), _t("skills", "description", "Описание")],
        ),
        CollectionSpec(
            "additional-documents",
            "Дополнительные документы",
            AdditionalDocument,
            [
                _t("additional-documents", "name", "Название", True),
                _f("part", "Часть портфолио", _choice(PortfolioPart, "part"), True, _label),
                _f("document_id", "Документ", parse_document_reference, True),
            ],
            documents=["document_id"],
            unique=["part", "document_id"],
            duplicate="Этот документ уже есть в части «{part}» портфолио",
        ),
    )
}


def collection(name: str) -> CollectionSpec:
    spec = COLLECTIONS.get(name)
    if spec is None:
        raise NotFound(
            f"Нет раздела «{name}». Разделы: " + ", ".join(COLLECTIONS),
            f"unknown collection {name!r}",
            code="collection_unknown",
        )
    return spec


def parse_values(spec: CollectionSpec, values: Mapping[str, str]) -> dict[str, Any]:
    """Validate what was typed for a row; raises the first FieldInvalid."""
    parsed: dict[str, Any] = {}
    for name, text in values.items():
        field = spec.field(name)
        if not text.strip():
            if field.required:
                raise FieldInvalid(
                    f"Поле «{field.label}» обязательно", f"{name} required", field=name
                )
            parsed[name] = None
            continue
        try:
            parsed[name] = field.parse(text)
        except FieldInvalid as exc:
            exc.field = name
            raise
    return parsed


def _check_row(spec: CollectionSpec, row: Any) -> None:
    for field in spec.fields:
        if field.required and getattr(row, field.name) in (None, ""):
            raise FieldInvalid(
                f"Поле «{field.label}» обязательно", f"{field.name} required", field=field.name
            )
    for begin_name, end_name in spec.periods:
        begin, end = getattr(row, begin_name), getattr(row, end_name)
        if begin is not None:
            check_period(begin, end, field=end_name)
    if spec.row_check is not None:
        spec.row_check(row)


def list_rows(account: Account, name: str) -> list[Any]:
    spec = collection(name)
    table: Any = spec.table
    with account.store.read() as session:
        return list(session.exec(select(table).where(table.deleted == False)))  # noqa: E712


def _check_links(session: Session, spec: CollectionSpec, row: Any) -> None:
    """Linked documents exist (the reference typed becomes the document's id), and no
    other live row holds the same values of the `unique` fields."""
    # An edited row holds the reference as typed until it is resolved: not flushed before.
    with session.no_autoflush:
        for name in spec.documents:
            if (ref := getattr(row, name)) is not None:
                setattr(row, name, resolve_document(session, ref, field=name).id)
        if not spec.unique:
            return
        table: Any = spec.table
        query = select(table).where(table.deleted == False, col(table.id) != row.id)  # noqa: E712
        for name in spec.unique:
            query = query.where(getattr(table, name) == getattr(row, name))
        duplicate = session.exec(query).first()
    if duplicate is not None:
        raise FieldInvalid(
            spec.duplicate.format(**{n: _label(getattr(row, n)) for n in spec.unique}),
            f"{spec.name}: duplicate {spec.unique}",
            field=spec.unique[-1],
        )


def add_row(account: Account, name: str, values: Mapping[str, str]) -> Any:
    spec = collection(name)
    row = spec.table(**parse_values(spec, values))
    _check_row(spec, row)
    with account.store.write() as session:
        _check_links(session, spec, row)
        session.add(row)
    return row


def _shown(spec: CollectionSpec, row: Any) -> dict[str, str]:
    """The row's values as its editor shows them."""
    out: dict[str, str] = {}
    for field in spec.fields:
        value = getattr(row, field.name)
        out[field.name] = "" if value is None or value == "" else str(field.display(value))
    return out


def update_row(
    account: Account,
    name: str,
    row_id: str,
    values: Mapping[str, str],
    *,
    if_version: int | None = None,
) -> Any:
    """Change the given fields; with `if_version`, only if the row is still at that version
    (model.rules.record_version: refused with RecordChanged, never written over)."""
    spec = collection(name)
    parsed = parse_values(spec, values)
    with account.store.write() as session:
        row = session.get(spec.table, row_id)
        if row is None or row.deleted:
            raise NotFound("Запись не найдена", f"{name} {row_id} not found")
        if is_stale(if_version, row.version):
            assert if_version is not None
            raise RecordChanged(if_version, row.version, _shown(spec, row))
        for key, value in parsed.items():
            setattr(row, key, value)
        _check_row(spec, row)
        _check_links(session, spec, row)
        row.touch()
        session.add(row)
    return row


def delete_row(account: Account, name: str, row_id: str) -> None:
    """A row the registry never saw just goes; a synced one becomes a tombstone to push."""
    spec = collection(name)
    with account.store.write() as session:
        row = session.get(spec.table, row_id)
        if row is None or row.deleted:
            raise NotFound("Запись не найдена", f"{name} {row_id} not found")
        if row.synced_version == 0:
            session.delete(row)
        else:
            row.deleted = True
            row.touch()
            session.add(row)


def row_as_dict(spec: CollectionSpec, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id}
    for field in spec.fields:
        value = getattr(row, field.name)
        out[field.name] = value.isoformat() if isinstance(value, date) else value
    # What `frmr portfolio edit --if-version` compares against.
    out["version"] = row.version
    return out


@dataclass(frozen=True)
class PortfolioSummary:
    seniority: Seniority
    # The period readiness and the report state, with its specialty.
    period: SpecialtyPeriod
    # The hours readiness counts for the period's specialty (model.readiness.ledger): its
    # ДПП ПК and НМО with a document, completed in the period; None when no specialty is
    # known, so that nothing counts.
    hours_in_period: int | None
    last_accreditation: date | None
    # What the hours are measured against: the rule in force (rules.json «hours_total»),
    # not every hour ever recorded.
    hours_required: int

    @property
    def hours_label(self) -> str:
        """What `hours_in_period` counts, named with its specialty; or why nothing counts."""
        if self.period.specialty is None:
            return "Часы не посчитаны: специальность не известна (нет ни документа, ни заявления)"
        return f"Часов в зачёт по «{self.period.specialty}»"


def portfolio_summary(account: Account, today: date | None = None) -> PortfolioSummary:
    # Read once, only where a summary is made.
    from frmr.model.readiness.from_store import account_rules
    from frmr.model.readiness.ledger import hours_ledger
    from frmr.model.store.reads.facts import doctor_facts

    today = today or local_today()
    employments: list[Employment] = list_rows(account, "employment")
    with account.store.read() as session:
        conn = session_connection(session)
        facts = doctor_facts(conn, today)
    period = portfolio_period(facts.credentials, facts.wanted, today)
    # The document the period runs from, so the date shown is the period's start.
    doc = last_document(facts.credentials, period.specialty, today) if period.specialty else None
    rules = account_rules(account)
    return PortfolioSummary(
        seniority=seniority(
            ((e.begin_date, e.end_date) for e in employments if e.begin_date is not None), today
        ),
        period=period,
        hours_in_period=None
        if period.specialty is None
        else hours_ledger(facts.courses, period.specialty, period.period, rules).total,
        last_accreditation=doc.pass_date if doc is not None else None,
        hours_required=rules.hours_total,
    )
