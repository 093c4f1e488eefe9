import itertools

import pytest

from frmr.model.rules.errors import TransitionRefused
from frmr.model.rules.statuses import (
    ALLOWED_TRANSITIONS,
    TRANSITION_ACTORS,
    Actor,
    ApplicationKind,
    ApplicationStatus,
    can_transition,
    check_transition,
)

S = ApplicationStatus

# Written out from docs/domain.md independently of the module, so a typo in either shows up.
EXPECTED_ALLOWED = {
    (S.DRAFT, S.FORMED),
    (S.FORMED, S.QUEUED),
    (S.QUEUED, S.UNDER_REVIEW),
    (S.QUEUED, S.NOT_DELIVERED),
    (S.NOT_DELIVERED, S.UNDER_REVIEW),
    # Our decision (docs/domain.md): a submission the registry refuses (4xx) returns to the worker
    # instead of staying queued for ever (issue #11).
    (S.QUEUED, S.FORMED),
    (S.NOT_DELIVERED, S.FORMED),
    (S.UNDER_REVIEW, S.REJECTED),
    (S.UNDER_REVIEW, S.REFUSED),
    (S.UNDER_REVIEW, S.PASSED),
    (S.DRAFT, S.CANCELLED),
    (S.FORMED, S.CANCELLED),
    (S.QUEUED, S.CANCELLED),
    (S.NOT_DELIVERED, S.CANCELLED),
    (S.UNDER_REVIEW, S.CANCELLED),
}
ALL_PAIRS = list(itertools.product(ApplicationStatus, repeat=2))


def test_there_are_nine_statuses_and_81_pairs() -> None:
    assert len(ApplicationStatus) == 9
    assert len(ALL_PAIRS) == 81


@pytest.mark.parametrize(("a", "b"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_status_pair_is_allowed_exactly_as_the_domain_says(
    a: ApplicationStatus, b: ApplicationStatus
) -> None:
    if (a, b) in EXPECTED_ALLOWED:
        assert can_transition(a, b)
        check_transition(a, b)
    else:
        assert not can_transition(a, b)
        with pytest.raises(TransitionRefused) as caught:
            check_transition(a, b)
        assert caught.value.from_status == a
        assert caught.value.to_status == b
        assert a.label in caught.value.user_message
        assert b.label in caught.value.user_message


def test_refusal_message_names_both_statuses_in_russian() -> None:
    with pytest.raises(TransitionRefused) as caught:
        check_transition(S.DRAFT, S.UNDER_REVIEW)
    assert caught.value.user_message == (
        "Нельзя перевести заявление из статуса «Черновик» в статус «На рассмотрении»"
    )
    assert caught.value.code == "transition_refused"


def test_final_statuses_go_nowhere() -> None:
    finals = {s for s in ApplicationStatus if s.is_final}
    assert finals == {S.REJECTED, S.CANCELLED, S.REFUSED, S.PASSED}
    for status in finals:
        assert ALLOWED_TRANSITIONS[status] == frozenset()


def test_only_drafts_and_formed_applications_are_editable() -> None:
    assert {s for s in ApplicationStatus if s.is_editable} == {S.DRAFT, S.FORMED}


def test_every_status_has_the_portals_label_and_a_meaning() -> None:
    assert [s.label for s in ApplicationStatus] == [
        "Черновик",
        "Сформировано",
        "В очереди на отправку",
        "На рассмотрении",
        "Не доставлено",
        "Отклонено",
        "Отменено",
        "Отказано",
        "Аккредитация пройдена",
    ]
    for status in ApplicationStatus:
        assert status.meaning
    assert "ошибки" in S.REJECTED.meaning
    assert "отказано" in S.REFUSED.meaning.lower()


def test_the_transition_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        ALLOWED_TRANSITIONS[S.PASSED] = frozenset({S.DRAFT})  # type: ignore[index]


def test_every_allowed_transition_has_someone_allowed_to_make_it() -> None:
    assert set(TRANSITION_ACTORS) == EXPECTED_ALLOWED
    assert all(TRANSITION_ACTORS.values())


def test_only_the_registry_decides_on_accreditation() -> None:
    for outcome in (S.REJECTED, S.REFUSED, S.PASSED):
        check_transition(S.UNDER_REVIEW, outcome, actor=Actor.REGISTRY)
        for actor in (Actor.WORKER, Actor.DAEMON):
            with pytest.raises(TransitionRefused) as caught:
                check_transition(S.UNDER_REVIEW, outcome, actor=actor)
            assert "может только ФРМР" in caught.value.user_message
            assert caught.value.details["actor"] == actor.value


def test_only_the_worker_cancels_and_files() -> None:
    check_transition(S.UNDER_REVIEW, S.CANCELLED, actor=Actor.WORKER)
    check_transition(S.FORMED, S.QUEUED, actor=Actor.WORKER)
    with pytest.raises(TransitionRefused):
        check_transition(S.UNDER_REVIEW, S.CANCELLED, actor=Actor.REGISTRY)


def test_delivery_is_recorded_by_the_daemon_or_the_registry() -> None:
    for actor in (Actor.DAEMON, Actor.REGISTRY):
        check_transition(S.NOT_DELIVERED, S.UNDER_REVIEW, actor=actor)
        check_transition(S.QUEUED, S.NOT_DELIVERED, actor=actor)
    with pytest.raises(TransitionRefused):
        check_transition(S.QUEUED, S.UNDER_REVIEW, actor=Actor.WORKER)


def test_an_unknown_move_is_refused_before_asking_who_makes_it() -> None:
    with pytest.raises(TransitionRefused) as caught:
        check_transition(S.PASSED, S.DRAFT, actor=Actor.REGISTRY)
    assert caught.value.user_message.startswith("Нельзя перевести")


def test_enums_travel_as_their_string_values() -> None:
    assert ApplicationStatus("not_delivered") is S.NOT_DELIVERED
    assert Actor("daemon").label == "Фоновая служба"
    assert ApplicationKind.PERIODIC.label == "Периодическая аккредитация"
    assert ApplicationKind.PRIMARY.label == "Первичная специализированная аккредитация"


def test_the_named_sets_follow_from_the_state_machine() -> None:
    from frmr.model.rules import statuses as st

    s = ApplicationStatus
    assert {s.REJECTED, s.CANCELLED, s.REFUSED, s.PASSED} == st.FINAL_STATUSES
    assert frozenset(s) - st.FINAL_STATUSES == st.OPEN_STATUSES
    assert {s.QUEUED, s.NOT_DELIVERED} == st.PENDING_DELIVERY
    assert {s.REJECTED, s.REFUSED, s.PASSED} == st.DECISIONS
    assert st.FINAL_STATUSES | {s.UNDER_REVIEW} == st.DELIVERED
    assert frozenset(s) - {s.DRAFT, s.QUEUED} == st.REGISTRY_STATUSES


def test_every_copy_of_a_status_set_is_the_derived_one() -> None:
    from typing import get_args

    import click

    from frmr.cli.sandbox import sandbox
    from frmr.contract.protocol import RegistryStatus, ReviewDecision
    from frmr.model.readiness.facts import OPEN_STATUSES as READINESS_OPEN
    from frmr.model.rules import statuses as st
    from frmr.registry.cli import main as registry_main

    assert {v.value for v in st.OPEN_STATUSES} == READINESS_OPEN
    # The wire's Literal types are written out for the schema; they must say the same.
    assert set(get_args(RegistryStatus)) == {v.value for v in st.REGISTRY_STATUSES}
    assert set(get_args(ReviewDecision)) == {v.value for v in st.DECISIONS}
    for group in (sandbox, registry_main):
        assert isinstance(group, click.Group)
        review = group.commands["review"]
        decision = next(p for p in review.params if p.name == "decision")
        assert isinstance(decision.type, click.Choice)
        assert set(decision.type.choices) == {v.value for v in st.DECISIONS}
