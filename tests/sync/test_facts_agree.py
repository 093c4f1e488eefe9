"""The registry reviews on the facts the worker's own readiness showed: the same portfolio,
pushed, gives the registry's review (registry.portfolio) the facts the client reads from its
store (model.readiness.from_store), both built by model.readiness.from_rows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from frmr.model.applications.lifecycle import portfolio_facts as client_checks
from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.facts import DoctorFacts
from frmr.model.readiness.from_store import doctor_facts as client_facts
from frmr.model.report.record import update_report
from frmr.model.rules.clock import today
from frmr.model.store.tables import Application as ClientApplication
from frmr.registry.db import Database, make_engine
from frmr.registry.portfolio import doctor_facts as registry_facts
from frmr.registry.portfolio import portfolio_facts as registry_checks
from frmr.registry.tables import Application
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.engine import SyncEngine
from frmr.sync.link import Schedule
from tests.support.world import World

pytestmark = pytest.mark.real_process


def _sync(world: World) -> None:
    token = load_token(world.settings.token_path)
    assert token is not None
    with RegistryClient(world.registry.url, token=token.access_token, timeouts=Timeouts()) as c:
        SyncEngine(world.account.store, c, schedule=Schedule(0.05, 0.2)).run_cycle()


def _portfolio(world: World) -> None:
    """A portfolio with every kind of fact, optional fields both filled and left out."""
    account = world.account
    add_row(account, "employment", {
        "organization": "ГБУЗ ГКБ № 1", "position": "Врач-терапевт", "position_type": "main",
        "begin_date": "01.09.2015", "end_date": "31.12.2019",
    })  # fmt: skip
    add_row(account, "courses", {
        "theme": "Актуальные вопросы терапии", "kind": "dpp_pk", "specialty": "Терапия",
        "institution": "РМАНПО", "hours": "144", "begin_date": "01.03.2024",
        "end_date": "30.03.2024", "doc_number": "772400012345", "doc_date": "30.03.2024",
    })  # fmt: skip
    add_row(account, "courses", {
        "theme": "Кашель", "kind": "nmo_module", "institution": "Портал НМО", "hours": "2",
        "begin_date": "10.04.2024",
    })  # fmt: skip
    add_row(account, "certificates", {
        "number": "7722 031234567", "kind": "accreditation", "specialty_name": "Терапия",
        "pass_date": "01.03.2022", "end_date": "01.03.2027",
    })  # fmt: skip
    add_row(account, "certificates", {
        "number": "0177 000111", "kind": "certificate", "pass_date": "15.06.2019",
    })  # fmt: skip
    add_row(account, "education", {
        "institution": "РНИМУ", "kind": "prof", "specialty": "Лечебное дело",
        "doc_date": "30.06.2014",
    })  # fmt: skip
    add_row(account, "education", {
        "institution": "РНИМУ", "kind": "postgraduate", "specialty": "Терапия",
        "graduation_year": "2016",
    })  # fmt: skip
    update_report(account, {"duties": "Приём пациентов"})


def _normal(facts: DoctorFacts) -> DoctorFacts:
    """The facts in one order, and without what only the client knows (its report's period and
    agreement, its drafts, its library): each side keeps its rows in its own order (the store
    by rowid, the registry by its table), and no rule reads one by position."""
    return replace(
        facts,
        courses=sorted(facts.courses, key=repr),
        credentials=sorted(facts.credentials, key=repr),
        educations=sorted(facts.educations, key=repr),
        jobs=sorted(facts.jobs, key=repr),
        report_period_end=None,
        report_agreed=None,
        wanted=(),
        documents=None,
    )


def test_the_registry_reads_the_facts_the_client_reads_from_the_same_portfolio(
    world: World,
) -> None:
    _portfolio(world)
    passed = world.new_filed_application()
    _sync(world)
    world.registry.cli("review", passed, "--decision", "passed", "--reason", "Сдано")
    _sync(world)
    assert world.status_of(passed) == "passed"

    with world.account.store.read() as session:
        mine = client_facts(session, today())
        mine_filed = session.get(ClientApplication, passed)
        assert mine_filed is not None
        my_checks = client_checks(session, mine_filed)
    db = Database(make_engine(f"sqlite:///{world.registry.db}"))
    try:
        with db.read() as session:
            filed = session.exec(select(Application).where(Application.id == passed)).one()
            theirs = registry_facts(session, filed.person_id)
            their_checks = registry_checks(session, filed, my_checks.attachment_sizes)
    finally:
        db.engine.dispose()

    # Every kind of fact is there to compare, the decision included.
    assert len(mine.courses) >= 2 and len(mine.educations) >= 2 and len(mine.jobs) >= 1
    assert [c.kind for c in mine.credentials].count("accreditation") >= 2
    assert mine.has_report
    assert _normal(theirs) == _normal(mine)
    assert (theirs.report_period_end, theirs.report_agreed, theirs.documents) == (None,) * 3

    # The submit check's facts (model.portfolio.checks), built by the same function too.
    assert [c.kind for c in my_checks.credentials].count("accreditation") >= 2
    assert sorted(their_checks.employments, key=repr) == sorted(my_checks.employments, key=repr)
    assert sorted(their_checks.courses, key=repr) == sorted(my_checks.courses, key=repr)
    assert sorted(their_checks.credentials, key=repr) == sorted(my_checks.credentials, key=repr)
    assert their_checks.specialty == my_checks.specialty
    assert their_checks.periodic == my_checks.periodic
