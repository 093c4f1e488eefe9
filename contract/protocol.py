"""The wire contract between the frmr client and a registry.

Pydantic models only, shared by the client (sync/) and the server (registry/), which
serves them as OpenAPI at ``/openapi.json``. Everything lives under ``API_PREFIX``.

Conventions every endpoint follows:

- Ids are UUID strings made by the client and sent in each create body (or in the path
  for the ``PUT`` of a sub-resource); the registry keeps them as the resource ids.
- Requests that create something carry ``Idempotency-Key``; the registry stores the key
  with its answer and returns that answer on a repeat (``GET /idempotency/{key}`` reads
  it back after an unknown outcome).
- Versioned resources (the person card, portfolio items) answer with
  ``ETag: "<version>"`` and take ``If-Match: "<version>"`` on update (412 when stale)
  and ``If-None-Match: *`` on create.
- Every error answers ``ErrorBody``: a stable machine ``code``, the Russian ``message``
  the worker reads, and ``details``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from frmr.model.rules.contacts import EMAIL_PATTERN, PHONE_PATTERN
from frmr.model.rules.dates import DateKind, check_plausible
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.identity import check_passport, normalize_division_code, normalize_fias_guid
from frmr.model.rules.text import TextInvalid, clean_text, text_pattern, text_rule

API_PREFIX = "/api/v1"
CONTRACT_VERSION = "1.0"

# Header names.
IDEMPOTENCY_KEY = "Idempotency-Key"
CONTENT_SHA256 = "X-Content-SHA256"
DOCUMENT_ID = "X-Document-Id"
FILE_NAME = "X-File-Name"  # percent-encoded UTF-8
ADMIN_TOKEN = "X-Admin-Token"
RETRY_AFTER = "Retry-After"
ETAG = "ETag"
IF_MATCH = "If-Match"
IF_NONE_MATCH = "If-None-Match"


class Paths:
    """Every path of the contract; templates take ``str.format`` arguments."""

    HEALTH = f"{API_PREFIX}/health"
    LOGIN = f"{API_PREFIX}/auth/login"
    QR = f"{API_PREFIX}/auth/qr"
    QR_STATUS = f"{API_PREFIX}/auth/qr/{{code}}"
    ME = f"{API_PREFIX}/me"
    COLLECTION = f"{API_PREFIX}/me/{{collection}}"
    COLLECTION_ITEM = f"{API_PREFIX}/me/{{collection}}/{{id}}"
    DOCUMENTS = f"{API_PREFIX}/documents"
    APPLICATIONS = f"{API_PREFIX}/applications"
    APPLICATION = f"{API_PREFIX}/applications/{{id}}"
    APPLICATION_DOCUMENTS = f"{API_PREFIX}/applications/{{id}}/documents"
    APPLICATION_DOCUMENT = f"{API_PREFIX}/applications/{{id}}/documents/{{document_id}}"
    APPLICATION_SUBMIT = f"{API_PREFIX}/applications/{{id}}/submit"
    APPLICATION_CANCEL = f"{API_PREFIX}/applications/{{id}}/cancel"
    IDEMPOTENCY = f"{API_PREFIX}/idempotency/{{key}}"
    CHANGES = f"{API_PREFIX}/changes"
    ADMIN_FAULTS = f"{API_PREFIX}/admin/faults"


def etag(version: int) -> str:
    """The ``ETag`` / ``If-Match`` value for a version."""
    return f'"{version}"'


# A version on the wire: a quoted decimal (weak or strong), at most 18 digits so that it
# always fits a SQL BIGINT. The schema of If-Match publishes this pattern.
ETAG_PATTERN = r'^(?:W/)?"[0-9]{1,18}"$'
_ETAG = re.compile(ETAG_PATTERN)


def parse_etag(value: str) -> int | None:
    """The version in an ``ETag`` / ``If-Match`` value, or None when it is not one."""
    if not _ETAG.fullmatch(value):
        return None
    return int(value.removeprefix("W/").strip('"'))


@dataclass(frozen=True)
class FreeText:
    """A free-text field under model.rules.text's one rule and its limit for (collection, field):
    the registry refuses, in Russian, exactly what the client's editors refuse."""

    collection: str
    field: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        rule = text_rule(self.collection, self.field)

        def check(value: str) -> str:
            # The contract's limit is on the value as sent (its maxLength); the rule's, on
            # the tidied value, is never longer.
            if len(value) > rule.max_length:
                raise ValueError(
                    f"{self.field}: не длиннее {rule.max_length} символов (сейчас {len(value)})"
                )
            try:
                return clean_text(value, rule, field=self.field)
            except TextInvalid as error:
                raise ValueError(error.user_message) from None

        return core_schema.no_info_after_validator_function(check, core_schema.str_schema())

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        rule = text_rule(self.collection, self.field)
        json_schema = handler(schema)
        json_schema["maxLength"] = rule.max_length
        json_schema["minLength"] = 0 if rule.allow_empty else 1
        json_schema["pattern"] = text_pattern(rule)
        return json_schema


class ErrorCode(StrEnum):
    """The machine codes of ``ErrorBody.code``."""

    VALIDATION_ERROR = "validation_error"
    ORGANIZATION_MISSING = "organization_missing"
    PORTFOLIO_INCONSISTENT = "portfolio_inconsistent"
    EMPLOYEE_NOT_FOUND = "employee_not_found"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOGIN_LOCKED = "login_locked"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_INVALID = "request_invalid"
    VERSION_CONFLICT = "version_conflict"
    PRECONDITION_REQUIRED = "precondition_required"
    ALREADY_EXISTS = "already_exists"
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    TRANSITION_REFUSED = "transition_refused"
    APPLICATION_NOT_EDITABLE = "application_not_editable"
    SNILS_IMMUTABLE = "snils_immutable"
    RATE_LIMITED = "rate_limited"
    REQUEST_TOO_LARGE = "request_too_large"
    REQUEST_TIMEOUT = "request_timeout"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


class WireModel(BaseModel):
    """Every body of the contract. Its validator and serializer are built when a body of its
    kind is first checked or written, not at import: a process uses a few of the ~40 (`frmr
    login` two, a registry usage error none), and building them all cost about 0.06 s of CPU
    in each process that imports the contract."""

    model_config = ConfigDict(defer_build=True)


class ErrorBody(WireModel):
    """The one error shape of every answer that is not a success."""

    code: str
    message: str = Field(description="Russian text for the worker")
    details: dict[str, Any] = Field(default_factory=dict)


# Statuses as the registry reports them: the registry-side subset of
# model.rules.statuses.ApplicationStatus (draft and queued are local-only), same values.
RegistryStatus = Literal[
    "formed", "under_review", "not_delivered", "rejected", "cancelled", "refused", "passed"
]
ReviewDecision = Literal["rejected", "refused", "passed"]
ActorName = Literal["worker", "registry", "daemon"]
ApplicationKindName = Literal["primary", "periodic"]


class HealthOut(WireModel):
    status: Literal["ok"] = "ok"
    contract_version: str
    sandbox: bool


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer is a number with no fraction (2.0 is one), never a string or a
    # boolean; pydantic's lax int would take "5" and true, its strict one refuses 2.0.
    if isinstance(value, bool | str):
        raise ValueError("ожидается целое число")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
# Numbers and booleans are strict: JSON's own types, no "0.5" or 1 for true.


# --- Authentication ----------------------------------------------------------------


class LoginIn(WireModel):
    login: str = Field(min_length=1, max_length=254, description="СНИЛС, phone or e-mail")
    password: str = Field(min_length=1, max_length=256)


class TokenOut(WireModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class QrOut(WireModel):
    code: str
    url: str
    expires_at: datetime


class QrStatusOut(WireModel):
    state: Literal["pending", "approved", "expired"]
    token: TokenOut | None = None


T = TypeVar("T")


def _checked(check: Callable[[T], T]) -> AfterValidator:
    """One of model.rules' checks as the contract's: the registry refuses what the client's
    forms and its import refuse, with the same Russian words."""

    def run(value: T) -> T:
        try:
            return check(value)
        except FieldInvalid as error:
            raise ValueError(error.user_message) from None

    return AfterValidator(run)


def _plausible(kind: DateKind, field: str) -> AfterValidator:
    """A date held to model.rules.dates' one range rule for its kind."""
    return _checked(lambda value: check_plausible(value, kind, field=field))


BirthDate = Annotated[date, _plausible("birth", "birth_date")]
PastDate = Annotated[date, _plausible("past", "date")]
EndDate = Annotated[date, _plausible("end", "end_date")]


# model.rules.contacts decides what a phone or an e-mail is (the registry normalises them with
# it); the schema publishes the same patterns, and the lengths a request may carry.
Phone = Annotated[str, Field(max_length=32, json_schema_extra={"pattern": PHONE_PATTERN})]
Email = Annotated[str, Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN})]


# --- The person card ---------------------------------------------------------------


class PersonCardIn(WireModel):
    """What ``PUT /me`` takes; the СНИЛС is the account's and can't change."""

    last_name: Annotated[str, FreeText("person", "last_name")]
    first_name: Annotated[str, FreeText("person", "first_name")]
    patronymic: Annotated[str, FreeText("person", "patronymic")] | None = None
    gender: Literal["1", "2"] | None = None
    birth_date: BirthDate | None = None
    birth_place: Annotated[str, FreeText("person", "birth_place")] | None = None
    snils: str = Field(pattern=r"^[0-9]{11}$")
    inn: str | None = Field(default=None, pattern=r"^[0-9]{12}$")
    citizenship: Annotated[str, FreeText("person", "citizenship")] | None = None
    phone: Phone | None = None
    email: Email | None = None


class PersonCard(PersonCardIn):
    """What ``GET /me`` answers, with the version its ``ETag`` carries."""

    version: int


# --- Portfolio sub-resources (GET/PUT/DELETE /me/{collection}[/{id}]) ---------------


class IdentityDocument(WireModel):
    doc_type: Annotated[str, FreeText("identity-documents", "doc_type")]
    serial: Annotated[str, FreeText("identity-documents", "serial")] | None = None
    number: Annotated[str, FreeText("identity-documents", "number")]
    issue_date: PastDate | None = None
    issuer: Annotated[str, FreeText("identity-documents", "issuer")] | None = None
    division_code: (
        Annotated[
            str, FreeText("identity-documents", "division_code"), _checked(normalize_division_code)
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _passport_format(self) -> IdentityDocument:
        try:
            check_passport(self.doc_type, self.serial, self.number)
        except FieldInvalid as error:
            raise ValueError(error.user_message) from None
        return self


class Address(WireModel):
    kind: Literal["registration", "actual"]
    region: Annotated[str, FreeText("addresses", "region")]
    area: Annotated[str, FreeText("addresses", "area")] | None = None
    city: Annotated[str, FreeText("addresses", "city")] | None = None
    street: Annotated[str, FreeText("addresses", "street")] | None = None
    house: Annotated[str, FreeText("addresses", "house")] | None = None
    building: Annotated[str, FreeText("addresses", "building")] | None = None
    flat: Annotated[str, FreeText("addresses", "flat")] | None = None
    fias_guid: (
        Annotated[str, FreeText("addresses", "fias_guid"), _checked(normalize_fias_guid)] | None
    ) = None


class Education(WireModel):
    kind: Literal["prof", "postgraduate"]
    institution: Annotated[str, FreeText("education", "institution")]
    doc_serial: Annotated[str, FreeText("education", "doc_serial")] | None = None
    doc_number: Annotated[str, FreeText("education", "doc_number")] | None = None
    doc_date: PastDate | None = None
    specialty: Annotated[str, FreeText("education", "specialty")] | None = None
    qualification: Annotated[str, FreeText("education", "qualification")] | None = None
    graduation_year: (
        Annotated[int, Field(ge=1900, le=2100), BeforeValidator(_json_integer)] | None
    ) = None


class Course(WireModel):
    # further_training and nmo are the kinds of stores made before the split; a client sends
    # them until the worker says which of the four a course is.
    kind: Literal["dpp_pk", "retraining", "nmo_module", "nmo_event", "further_training", "nmo"]
    specialty: Annotated[str, FreeText("courses", "specialty")] | None = None
    institution: Annotated[str, FreeText("courses", "institution")]
    theme: Annotated[str, FreeText("courses", "theme")]
    hours: JsonInt = Field(ge=0, le=10000)
    begin_date: PastDate
    end_date: EndDate | None = None
    doc_number: Annotated[str, FreeText("courses", "doc_number")] | None = None
    doc_date: PastDate | None = None


class Certificate(WireModel):
    kind: Literal["certificate", "accreditation"]
    number: Annotated[str, FreeText("certificates", "number")]
    specialty_code: Annotated[str, FreeText("certificates", "specialty_code")] | None = None
    specialty_name: Annotated[str, FreeText("certificates", "specialty_name")] | None = None
    pass_date: PastDate
    end_date: EndDate | None = None


class Employment(WireModel):
    organization: Annotated[str, FreeText("employment", "organization")] = Field(
        description="empty when the employer is unknown"
    )
    department: Annotated[str, FreeText("employment", "department")] | None = None
    position: Annotated[str, FreeText("employment", "position")]
    position_type: Literal["main", "internal_part_time", "combination", "external_part_time"]
    rate: float | None = Field(strict=True, default=None, gt=0, le=2)
    begin_date: PastDate
    end_date: EndDate | None = None


class Skill(WireModel):
    name: Annotated[str, FreeText("skills", "name")]
    description: Annotated[str, FreeText("skills", "description")] | None = None


PortfolioPartName = Literal["professional", "educational"]


class AdditionalDocument(WireModel):
    """An item of «Дополнительные документы» of a portfolio part: its name as the portal
    lists it, and the document it names, uploaded before (``POST /documents``) and given by
    the registry's id and its content hash; the registry refuses one it does not hold."""

    name: Annotated[str, FreeText("additional-documents", "name")]
    part: PortfolioPartName
    document_id: str = Field(min_length=1, max_length=64)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


ReportVariantName = Literal["agreed", "refused", "not_working", "head", "sole_proprietor"]


# _agreement_follows_variant in the contract's words: a variant, if given, decides `agreed`.
_REPORT_AGREEMENT: dict[str, Any] = {
    "anyOf": [
        {"properties": {"variant": {"type": "null"}}},
        {"properties": {"variant": {"const": "agreed"}, "agreed": {"const": True}}},
        {
            "properties": {
                "variant": {"enum": ["refused", "not_working", "head", "sole_proprietor"]},
                "agreed": {"const": False},
            }
        },
    ]
}


class Report(WireModel):
    """The report on professional activity (отчёт о профессиональной деятельности).

    `agreed` is «Согласование отчёта» (it follows `variant`). `text` is the report of
    clients before the structured report; they send no blocks, and the fields added with
    the blocks are optional so their bodies stay valid.
    """

    organization: Annotated[str, FreeText("reports", "organization")]
    year: JsonInt = Field(ge=1900, le=2100)
    text: Annotated[str, FreeText("reports", "text")] = ""
    agreed: bool = Field(strict=True)
    department: Annotated[str, FreeText("reports", "department")] = ""
    position: Annotated[str, FreeText("reports", "position")] = ""
    seniority: Annotated[str, FreeText("reports", "seniority")] = ""
    period_start: date | None = None
    period_end: date | None = None
    organization_text: Annotated[str, FreeText("reports", "organization_text")] = ""
    department_text: Annotated[str, FreeText("reports", "department_text")] = ""
    experience_text: Annotated[str, FreeText("reports", "experience_text")] = ""
    duties: Annotated[str, FreeText("reports", "duties")] = ""
    achievements: Annotated[str, FreeText("reports", "achievements")] = ""
    mentoring: Annotated[str, FreeText("reports", "mentoring")] = ""
    proposals: Annotated[str, FreeText("reports", "proposals")] = ""
    variant: ReportVariantName | None = None
    signer_name: Annotated[str, FreeText("reports", "signer_name")] = ""
    signer_position: Annotated[str, FreeText("reports", "signer_position")] = ""
    signed_on: date | None = None

    model_config = ConfigDict(json_schema_extra=_REPORT_AGREEMENT)

    @model_validator(mode="after")
    def _agreement_follows_variant(self) -> Report:
        if self.variant is None:
            # A body from before the variant: «Да» is an agreement; «Нет» gave no reason.
            self.variant = "agreed" if self.agreed else "refused"
        elif self.agreed != (self.variant == "agreed"):
            raise ValueError("agreed must be true exactly when variant is 'agreed'")
        return self


class _Stored(WireModel):
    id: str
    version: int


class IdentityDocumentOut(IdentityDocument, _Stored):
    pass


class AddressOut(Address, _Stored):
    pass


class EducationOut(Education, _Stored):
    pass


class CourseOut(Course, _Stored):
    pass


class CertificateOut(Certificate, _Stored):
    pass


class EmploymentOut(Employment, _Stored):
    pass


class SkillOut(Skill, _Stored):
    pass


class ReportOut(Report, _Stored):
    pass


class AdditionalDocumentOut(AdditionalDocument, _Stored):
    pass


# collection name in the path → the body of its PUT
COLLECTIONS: dict[str, type[BaseModel]] = {
    "identity-documents": IdentityDocument,
    "addresses": Address,
    "education": Education,
    "courses": Course,
    "certificates": Certificate,
    "employment": Employment,
    "skills": Skill,
    "reports": Report,
    "additional-documents": AdditionalDocument,
}

# collection name in the path → one item of its GET list (the body plus id and version)
COLLECTION_ITEMS: dict[str, type[BaseModel]] = {
    "identity-documents": IdentityDocumentOut,
    "addresses": AddressOut,
    "education": EducationOut,
    "courses": CourseOut,
    "certificates": CertificateOut,
    "employment": EmploymentOut,
    "skills": SkillOut,
    "reports": ReportOut,
    "additional-documents": AdditionalDocumentOut,
}


# --- Documents -----------------------------------------------------------------------


class DocumentOut(WireModel):
    id: str
    sha256: str
    size: int
    media_type: str
    file_name: str
    created_at: datetime


# --- Applications --------------------------------------------------------------------


class ApplicationCreate(WireModel):
    id: str = Field(min_length=1, max_length=64, description="client-made UUID")
    kind: ApplicationKindName
    specialty_code: Annotated[str, FreeText("application", "specialty_code")]
    specialty_name: Annotated[str, FreeText("application", "specialty_name")]
    education_level: Annotated[str, FreeText("application", "education_level")]
    phone: Phone
    email: Email
    report_agreed: bool = Field(strict=True)
    comment: Annotated[str, FreeText("application", "comment")] | None = None


class AttachDocumentIn(WireModel):
    document_id: str = Field(min_length=1, max_length=64)


class CancelIn(WireModel):
    reason: Annotated[str, FreeText("reason", "reason")] | None = None


class StatusChangeOut(WireModel):
    at: datetime
    from_status: RegistryStatus | None
    to_status: RegistryStatus
    actor: ActorName
    reason: str | None


class ApplicationOut(WireModel):
    id: str
    number: str = Field(description='registry number, e.g. "ФРМР-2026-000123"')
    kind: ApplicationKindName
    specialty_code: str
    specialty_name: str
    education_level: str
    phone: str
    email: str
    report_agreed: bool
    comment: str | None
    status: RegistryStatus
    status_reason: str | None
    document_ids: list[str]
    created_at: datetime
    updated_at: datetime
    history: list[StatusChangeOut]


class IdempotencyRecordOut(WireModel):
    """The answer stored for an idempotency key."""

    key: str
    status_code: int
    body: Any


# --- Changes feed --------------------------------------------------------------------


class ChangeOut(WireModel):
    seq: int
    kind: Literal["application_status"]
    application_id: str
    number: str
    status: RegistryStatus
    reason: str | None
    actor: ActorName
    at: datetime


# A cursor is a sequence number (a BIGINT, so at most 18 digits here) or empty for "from
# the beginning"; the registry refuses anything else in Russian, and its schema says so.
CURSOR_PATTERN = r"^[0-9]{0,18}$"


class ChangesOut(WireModel):
    changes: list[ChangeOut]
    cursor: str = Field(description="opaque; pass it back as ?since=")


# --- Fault injection (admin) ---------------------------------------------------------


class Faults(WireModel):
    """Faults the registry injects into requests under ``path_prefix``.

    Rates are probabilities per request. ``budget`` caps how many requests get a fault
    (then the faults stop by themselves); None means no cap. Health and admin requests
    never get one.
    """

    model_config = ConfigDict(extra="forbid")

    error_rate: float = Field(strict=True, default=0.0, ge=0, le=1)
    error_status: Literal[500, 503] = 503
    latency_ms: JsonInt = Field(default=0, ge=0, le=60_000)
    rate_limit_rate: float = Field(strict=True, default=0.0, ge=0, le=1)
    retry_after_s: JsonInt = Field(default=1, ge=0, le=3600)
    drop_before_rate: float = Field(strict=True, default=0.0, ge=0, le=1)
    drop_after_commit_rate: float = Field(strict=True, default=0.0, ge=0, le=1)
    delivery_failure_rate: float = Field(strict=True, default=0.0, ge=0, le=1)
    path_prefix: str = Field(default=API_PREFIX, max_length=200)
    budget: Annotated[int, Field(ge=0), BeforeValidator(_json_integer)] | None = None
