"""Local checks are a superset of the registry's refusals: whatever the editors accept, the
real registry takes; whatever it refuses anyway leaves the queue at once with its reason."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import col, select

from frmr.model.applications import lifecycle as apps
from frmr.model.portfolio.edits import add_row, delete_row
from frmr.model.profile.card import get_person, set_profile_field
from frmr.model.rules.clock import utcnow
from frmr.model.rules.errors import ORGANIZATION_MISSING, FieldInvalid, FrmrError
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.applications import due_submissions
from frmr.model.store.tables import Application, Employment, Person, Skill
from frmr.registry.db import Database, make_engine
from frmr.registry.tables import PortfolioItem
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.engine import SyncEngine
from frmr.sync.link import Schedule
from tests.samples import add_listed_scans
from tests.support.reads import stored_application
from tests.support.world import World

pytestmark = pytest.mark.real_process

FAST = Schedule(resubmit_base=0.05, resubmit_cap=0.2)

# Letters people type, and what a paste or an attacker brings: controls, bidi, invisible.
NOISE = "\x00\x07\x1b\n\r\t\x7f\x85\x9b\u200b\u200d\ufeff\u202e\u2066\u2069\u00a0 "
ALPHABET = st.one_of(
    st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ -.,«»№0123456789abcXYZ"),
    st.sampled_from(NOISE),
    st.characters(codec="utf-8"),
)
TEXT = st.one_of(
    st.text(ALPHABET, max_size=40),
    # Around the limits (100, 200, 500, 2000): one character either side of each.
    st.tuples(st.sampled_from([99, 100, 101, 199, 200, 201, 499, 500, 501, 1999, 2000, 2001]),
              st.text(ALPHABET, max_size=3)).map(lambda t: "я" * t[0] + t[1]),
)  # fmt: skip
DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2999, 12, 31))


def _client(world: World) -> RegistryClient:
    token = load_token(world.settings.token_path)
    assert token is not None
    return RegistryClient(world.registry.url, token=token.access_token, timeouts=Timeouts())


def _sync(world: World) -> None:
    with _client(world) as client:
        SyncEngine(world.account.store, client, schedule=FAST).run_cycle()


def _accepted(action) -> object | None:  # type: ignore[no-untyped-def]
    try:
        return action()
    except FrmrError:
        return None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=TEXT, description=TEXT, organization=TEXT, position=TEXT, begin=DATES,
    last_name=TEXT, comment=TEXT,
)  # fmt: skip
def test_what_passes_local_checks_is_never_refused_by_the_registry(
    world: World,
    name: str,
    description: str,
    organization: str,
    position: str,
    begin: date,
    last_name: str,
    comment: str,
) -> None:
    account = world.account
    # The listed scans, so forming is refused only for what this test varies.
    add_listed_scans(account, world.settings.home.parent / "scans")
    skill = _accepted(
        lambda: add_row(account, "skills", {"name": name, "description": description})
    )
    job = _accepted(
        lambda: add_row(
            account,
            "employment",
            {
                "organization": organization,
                "position": position,
                "position_type": "main",
                "begin_date": begin.isoformat(),
            },
        )
    )
    _accepted(lambda: set_profile_field(account, "last_name", last_name))
    view = _accepted(
        lambda: apps.new_application(
            account, specialty="Терапия", phone="+79161234567", email="a@b.ru", comment=comment
        )
    )
    filed = None
    if view is not None:
        app_id = view.app.id  # type: ignore[attr-defined]
        filed = _accepted(
            lambda: apps.submit_application(account, apps.form_application(account, app_id).app.id)
        )
        if filed is None:
            apps.cancel_application(account, app_id)
    _sync(world)

    with account.store.read() as session:
        errors = [
            (type(row).__name__, row.sync_error)
            for table in (Skill, Employment, Person, Application)
            for row in session.exec(select(table)).all()
            if row.sync_error
        ]
        assert errors == []
        if filed is not None:
            app = session.get(Application, filed.app.id)  # type: ignore[attr-defined]
            assert app is not None and app.status is ApplicationStatus.UNDER_REVIEW, app and (
                app.status,
                app.status_reason,
            )
    for row, collection in ((skill, "skills"), (job, "employment")):
        if row is not None:
            delete_row(account, collection, row.id)  # type: ignore[attr-defined]
    if filed is not None:
        apps.cancel_application(account, filed.app.id)  # type: ignore[attr-defined]
    _sync(world)


def test_an_application_the_registry_refuses_leaves_the_queue_with_its_reason(
    world: World,
) -> None:
    """Written by an older frmr that had no limit: the registry refuses it, once."""
    app_id = world.new_filed_application(files=0)
    with world.account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        row.comment = "я" * 2001
        session.add(row)
    _sync(world)
    view = stored_application(world.account, app_id)
    assert view.app.status is ApplicationStatus.FORMED
    assert "2000" in (view.app.status_reason or "")
    with world.account.store.read() as session:
        assert due_submissions(session_connection(session), utcnow()) == []
    # Fixed and filed again, it goes through under a fresh key.
    with world.account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        row.comment = "Исправлено"
        session.add(row)
    apps.submit_application(world.account, app_id)
    _sync(world)
    assert world.status_of(app_id) == ApplicationStatus.UNDER_REVIEW.value


def test_a_submission_the_registry_refuses_returns_to_formed_with_its_reason(
    world: World,
) -> None:
    """The registry's copy of the portfolio lost its employer (an organisation's edit): its
    submit check refuses with «Отсутствуют сведения об организации», and the application
    leaves the queue instead of being retried for ever."""
    app_id = world.new_filed_application(files=0)
    db = Database(make_engine(f"sqlite:///{world.registry.db}"))
    with db.write() as session:
        session.execute(delete(PortfolioItem).where(col(PortfolioItem.collection) == "employment"))
    db.engine.dispose()
    _sync(world)
    view = stored_application(world.account, app_id)
    assert view.app.status is ApplicationStatus.FORMED
    assert view.app.status_reason is not None
    assert view.app.status_reason.startswith(ORGANIZATION_MISSING)
    with world.account.store.read() as session:
        assert due_submissions(session_connection(session), utcnow()) == []


def test_a_changed_snils_is_refused_locally_once_the_registry_has_the_card(
    world: World,
) -> None:
    before = get_person(world.account).snils
    assert before
    with pytest.raises(FieldInvalid) as caught:
        set_profile_field(
            world.account,
            "snils",
            "112-233-445 95" if before != "11223344595" else "001-001-998 00",
        )
    assert caught.value.code == "snils_immutable"
    assert get_person(world.account).snils == before


def test_a_job_starting_in_2999_is_refused_when_typed(world: World) -> None:
    with pytest.raises(FieldInvalid) as caught:
        add_row(
            world.account,
            "employment",
            {"organization": "ГКБ № 1", "position": "Врач", "position_type": "main",
             "begin_date": "01.01.2999"},
        )  # fmt: skip
    assert caught.value.field == "begin_date"
    assert "ещё не наступила" in caught.value.user_message
