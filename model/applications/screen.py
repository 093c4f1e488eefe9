"""What «Заявления» shows, read in one go through the read model (plain sqlite3 records, no
ORM): the TUI shows the whole list from it before the ORM has even been imported."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from frmr.model.profile.card_fields import display_value
from frmr.model.readiness.calendar import load_calendar
from frmr.model.readiness.evaluate import evaluate
from frmr.model.readiness.findings import Verdict
from frmr.model.readiness.rules import load_rules
from frmr.model.rules.statuses import ApplicationKind, ApplicationStatus
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.applications import ApplicationView, application_views
from frmr.model.store.reads.card import read_card
from frmr.model.store.reads.facts import doctor_facts
from frmr.model.store.reads.intake import (
    RefusedFile,
    Replacement,
    queued_files,
    refused_files,
    replacements,
    status_counts,
)
from frmr.model.store.reference import load_specialties

# Refusals kept for the screen's details: more than anyone reads, bounded for a huge intake.
REFUSALS_SHOWN = 500


@dataclass(frozen=True)
class Readings:
    """Where the store lives and the readings of the rules the settings chose."""

    home: Path
    documents_dir: Path
    pk_hours: int | None = None
    window: str | None = None


@dataclass(frozen=True)
class ApplicationsPage:
    views: list[ApplicationView]
    # Readiness («Готовность», F8) of each application not yet formed.
    verdicts: dict[str, Verdict]
    specialties: list[str]
    phone: str
    email: str
    # Files refused from the applications' folders and attachments replaced, newest first.
    refused: list[RefusedFile]
    replaced: list[Replacement]
    # Files the daemon has queued to pack, by application.
    waiting: dict[str, list[str]]


def draft_verdicts(
    conn: sqlite3.Connection, views: list[ApplicationView], readings: Readings, today: date
) -> dict[str, Verdict]:
    """The verdict of each draft: its specialty along its route, evaluated once per
    (specialty, route)."""
    drafts = [v.app for v in views if v.app.status is ApplicationStatus.DRAFT]
    if not drafts:
        return {}
    facts = doctor_facts(conn, today)
    rules = load_rules(pk_hours=readings.pk_hours, window=readings.window)
    calendar = load_calendar(today, HomeLayout(readings.home).cache_dir)
    verdicts: dict[tuple[str, str], Verdict] = {}
    out: dict[str, Verdict] = {}
    for app in drafts:
        key = (app.specialty_name, app.kind.value)
        if key not in verdicts:
            route = ApplicationKind(app.kind)
            verdicts[key] = evaluate(
                facts, app.specialty_name, today, rules, calendar, route
            ).verdict
        out[app.id] = verdicts[key]
    return out


def read_applications_page(
    conn: sqlite3.Connection, readings: Readings, today: date
) -> ApplicationsPage:
    with snapshot(conn):
        views = application_views(conn, readings.documents_dir)
        card = read_card(conn)
        return ApplicationsPage(
            views=views,
            verdicts=draft_verdicts(conn, views, readings, today),
            specialties=load_specialties(readings.home).labels(),
            phone=display_value("phone", card.phone),
            email=display_value("email", card.email),
            refused=[r for r in refused_files(conn, REFUSALS_SHOWN) if r.application_id],
            replaced=replacements(conn),
            waiting=queued_files(conn),
        )


def header_line(conn: sqlite3.Connection) -> tuple[str, int, int]:
    """(the person's name, applications waiting to be sent, applications «Не доставлено»)."""
    with snapshot(conn):
        counts = status_counts(conn)
        card = read_card(conn)
    return card.full_name, counts.queued, counts.not_delivered
