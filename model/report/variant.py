"""How the report is signed off, and the application's «Согласование отчёта» that follows
from it; without the ORM, so model.store.reads answers with the same rule."""

from __future__ import annotations

from frmr.model.rules.labelled import LabelledEnum


class ReportVariant(LabelledEnum):
    """How the report is signed off: «Согласование отчёта» is «Да» only when the head agreed.

    kdpconsulting.ru («Куда отправлять документы для аккредитации»): choose «Нет» when not
    working, after a motivated refusal, or when the worker is the head (главный врач) or an
    individual entrepreneur; «Да» in every other case.
    """

    AGREED = "agreed", "Согласован руководителем"
    REFUSED = "refused", "Мотивированный отказ руководителя"
    NOT_WORKING = "not_working", "Не работаю"
    HEAD = "head", "Я руководитель организации"
    SOLE_PROPRIETOR = "sole_proprietor", "Я индивидуальный предприниматель"

    @property
    def agreed(self) -> bool:
        return self is ReportVariant.AGREED


def report_agreed(variant: ReportVariant | None) -> bool:
    """«Согласование отчёта о профессиональной деятельности» for every application: the
    current report's variant decides; with no report yet, the default variant answers «Да»,
    as for most workers (kdpconsulting.ru: «В остальных случаях — выбираем ДА»)."""
    return (ReportVariant.AGREED if variant is None else variant).agreed
