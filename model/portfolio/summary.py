"""The portfolio's summary: стаж, the reporting period and the hours counted in it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from frmr.model.portfolio.reporting_period import SpecialtyPeriod, last_document, portfolio_period
from frmr.model.portfolio.seniority import Seniority, seniority
from frmr.model.readiness.ledger import hours_ledger
from frmr.model.readiness.rules import RuleSet
from frmr.model.store.reads.facts import doctor_facts


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
    # Every hour recorded, in any period and specialty.
    hours_recorded: int

    @property
    def hours_label(self) -> str:
        """What `hours_in_period` counts, named with its specialty; or why nothing counts."""
        if self.period.specialty is None:
            return "Часы не посчитаны: специальность не известна (нет ни документа, ни заявления)"
        return f"Часов в зачёт по «{self.period.specialty}»"


def portfolio_summary(conn: sqlite3.Connection, rules: RuleSet, today: date) -> PortfolioSummary:
    """From the read model: `rules` are the readiness rules in force
    (model.readiness.rules.load_rules with the account's settings)."""
    facts = doctor_facts(conn, today)
    period = portfolio_period(facts.credentials, facts.wanted, today)
    # The document the period runs from, so the date shown is the period's start.
    doc = last_document(facts.credentials, period.specialty, today) if period.specialty else None
    return PortfolioSummary(
        seniority=seniority(((j.begin, j.end) for j in facts.jobs if j.begin is not None), today),
        period=period,
        hours_in_period=None
        if period.specialty is None
        else hours_ledger(facts.courses, period.specialty, period.period, rules).total,
        last_accreditation=doc.pass_date if doc is not None else None,
        hours_required=rules.hours_total,
        hours_recorded=sum(c.hours for c in facts.courses),
    )
