"""The lists of «Портфолио» and «Профиль» (education, courses, certificates, employment,
skills, additional documents, identity documents, addresses): each one's fields, how a typed
value is parsed and a stored one shown. Free of the ORM: the read model's records
(model.store.reads.portfolio) and the CLI and TUI lists use them; model.portfolio.edits writes
through the ORM with the same specs.

The report on professional activity has its own editor (model/report/record.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from frmr.model.portfolio.parts import PortfolioPart
from frmr.model.portfolio.row_kinds import AddressKind, CertificateKind, EducationKind, PositionType
from frmr.model.profile.card_fields import FieldSpec, record_json
from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.clock import today as local_today
from frmr.model.rules.dates import check_plausible, format_date, parse_date
from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.rules.identity import check_passport, normalize_division_code, normalize_fias_guid
from frmr.model.rules.text import check_field
from frmr.model.store.reads import stored_day

# An id is 36 characters and a sha256 64: a longer reference is no reference at all.
MAX_REFERENCE = 64


def parse_document_reference(value: str) -> str:
    """What was typed, checked for shape only; the library is asked when the row is saved
    (model.portfolio.library_links)."""
    ref = value.strip()
    if len(ref) > MAX_REFERENCE or not ref.isascii() or not ref.replace("-", "").isalnum():
        raise FieldInvalid(
            "Укажите документ библиотеки: его номер из «frmr documents list»",
            f"document reference {ref[:80]!r} is not an id or a hash",
            field="document_id",
        )
    return ref


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


def value_label(value: Any) -> str:
    return str(getattr(value, "label", value))


def _f(
    name: str,
    label: str,
    parse: Callable[[str], Any],
    required: bool = False,
    display: Callable[[Any], str] = str,
    load: Callable[[Any], Any] | None = None,
) -> FieldSpec:
    return FieldSpec(name, label, parse, required, display, load)


def _e(name: str, label: str, enum_cls: type[StrEnum]) -> FieldSpec:
    """A choice of `enum_cls`'s members, stored by value and shown by label."""
    return _f(name, label, _choice(enum_cls, name), True, value_label, enum_cls)


@dataclass(frozen=True)
class CollectionSpec:
    name: str
    label: str
    # The table of model.store.tables its rows live in.
    table: str
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
        return str(value_label(getattr(row, first)) or "")


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

    return _f(name, label, parse, required, format_date, stored_day)


def _past(name: str, label: str, required: bool = False) -> FieldSpec:
    """A date of something that has happened (model.rules.dates.check_plausible, «past»)."""

    def parse(value: str) -> date:
        return check_plausible(parse_date(value, name), "past", field=name, today=local_today())

    return _f(name, label, parse, required, format_date, stored_day)


COLLECTIONS: Mapping[str, CollectionSpec] = {
    spec.name: spec
    for spec in (
        CollectionSpec(
            "identity-documents",
            "Документы, удостоверяющие личность",
            "identity_document",
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
            "address",
            [
                _e("kind", "Тип адреса", AddressKind),
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
            "education",
            [
                _t("education", "institution", "Учебное заведение", True),
                _e("kind", "Вид", EducationKind),
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
            "course",
            [
                _t("courses", "theme", "Тема", True),
                _e("kind", "Вид", CourseKind),
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
            "certificate",
            [
                _t("certificates", "number", "Номер", True),
                _e("kind", "Вид", CertificateKind),
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
            "employment",
            [
                _t("employment", "organization", "Организация", True),
                _t("employment", "position", "Должность", True),
                _t("employment", "department", "Подразделение"),
                _e("position_type", "Тип занятости", PositionType),
                _f("rate", "Ставка", _rate),
                _past("begin_date", "Дата приёма", True),
                _d("end_date", "Дата увольнения"),
            ],
            periods=[("begin_date", "end_date")],
        ),
        CollectionSpec(
            "skills",
            "Навыки",
            "skill",
            [_t("skills", "name", "Навык", True), _t("skills", "description", "Описание")],
        ),
        CollectionSpec(
            "additional-documents",
            "Дополнительные документы",
            "additional_document",
            [
                _t("additional-documents", "name", "Название", True),
                _e("part", "Часть портфолио", PortfolioPart),
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
    return {name: spec.field(name).read(text) for name, text in values.items()}


def row_as_dict(spec: CollectionSpec, row: Any) -> dict[str, Any]:
    return record_json(row, (field.name for field in spec.fields))
