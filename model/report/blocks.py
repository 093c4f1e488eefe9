"""«Отчёт о профессиональной деятельности»: its fields and the rule every value typed into
one goes through.

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

No ORM here: the read model (model.store.reads) shows and prints the report with the
same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frmr.model.report.variant import ReportVariant
from frmr.model.rules.dates import parse_date
from frmr.model.rules.errors import FieldInvalid, NotFound

# The wire contract carries each block in at most this many characters (contract/protocol.py).
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
