"""The application's state machine, defined once and enforced by the client and the registry."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from frmr.model.rules.errors import AttachmentsFrozen, TransitionRefused
from frmr.model.rules.labelled import LabelledEnum


class ApplicationStatus(LabelledEnum):
    """Each member's label is the portal's own name of the status."""

    DRAFT = "draft", "Черновик"
    FORMED = "formed", "Сформировано"
    QUEUED = "queued", "В очереди на отправку"
    UNDER_REVIEW = "under_review", "На рассмотрении"
    NOT_DELIVERED = "not_delivered", "Не доставлено"
    REJECTED = "rejected", "Отклонено"
    CANCELLED = "cancelled", "Отменено"
    REFUSED = "refused", "Отказано"
    PASSED = "passed", "Аккредитация пройдена"

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    @property
    def is_final(self) -> bool:
        return not ALLOWED_TRANSITIONS[self]

    @property
    def is_editable(self) -> bool:
        """Whether fields and attachments may still change; once filed, the registry has them."""
        return self in (ApplicationStatus.DRAFT, ApplicationStatus.FORMED)

    @property
    def takes_files(self) -> bool:
        """Whether its set of documents may change — from its folder, the TUI or the CLI
        alike (`check_attachments_open`): only a draft's. «Сформировать» checks the set, so
        a formed application keeps the set it was formed with; the transitions (docs/domain.md)
        have no way back to «Черновик», so a different set means cancelling it and making a
        new application."""
        return self is ApplicationStatus.DRAFT


_MEANINGS: Mapping[ApplicationStatus, str] = {
    ApplicationStatus.DRAFT: "Заявление заполняется и хранится только на этом компьютере",
    ApplicationStatus.FORMED: "Данные внесены, заявление сформировано, но ещё не подано",
    ApplicationStatus.QUEUED: "Заявление подано и будет отправлено в ФРМР, как только "
    "появится связь",
    ApplicationStatus.UNDER_REVIEW: "Заявление подано и рассматривается в установленные сроки",
    ApplicationStatus.NOT_DELIVERED: "Отправить заявление не удалось; оно будет отправлено "
    "повторно автоматически",
    ApplicationStatus.REJECTED: "Заявление не принято: в нём есть ошибки. Исправьте их и "
    "подайте новое заявление",
    ApplicationStatus.CANCELLED: "Заявление отменено вами",
    ApplicationStatus.REFUSED: "В аккредитации отказано",
    ApplicationStatus.PASSED: "Аккредитация пройдена",
}


class Actor(LabelledEnum):
    WORKER = "worker", "Медработник"
    REGISTRY = "registry", "ФРМР"
    DAEMON = "daemon", "Фоновая служба"


class ApplicationKind(LabelledEnum):
    PRIMARY = "primary", "Первичная специализированная аккредитация"
    PERIODIC = "periodic", "Периодическая аккредитация"


_S = ApplicationStatus
_CANCELLABLE = frozenset({_S.DRAFT, _S.FORMED, _S.QUEUED, _S.NOT_DELIVERED, _S.UNDER_REVIEW})

ALLOWED_TRANSITIONS: Mapping[ApplicationStatus, frozenset[ApplicationStatus]] = MappingProxyType(
    {
        _S.DRAFT: frozenset({_S.FORMED, _S.CANCELLED}),
        _S.FORMED: frozenset({_S.QUEUED, _S.CANCELLED}),
        # → FORMED: the registry refused the content itself (a 4xx), so no retry can help;
        # the application goes back to the worker with the registry's reason.
        _S.QUEUED: frozenset({_S.UNDER_REVIEW, _S.NOT_DELIVERED, _S.FORMED, _S.CANCELLED}),
        # While the daemon retries, the status stays «Не доставлено»: no self-transition needed.
        _S.NOT_DELIVERED: frozenset({_S.UNDER_REVIEW, _S.FORMED, _S.CANCELLED}),
        _S.UNDER_REVIEW: frozenset({_S.REJECTED, _S.REFUSED, _S.PASSED, _S.CANCELLED}),
        _S.REJECTED: frozenset(),
        _S.CANCELLED: frozenset(),
        _S.REFUSED: frozenset(),
        _S.PASSED: frozenset(),
    }
)

# Who may make each move: the registry must not let a client pass its own application, and
# a worker can't declare an application delivered.
_DELIVERY = frozenset({Actor.DAEMON, Actor.REGISTRY})
TRANSITION_ACTORS: Mapping[tuple[ApplicationStatus, ApplicationStatus], frozenset[Actor]] = (
    MappingProxyType(
        {
            (_S.DRAFT, _S.FORMED): frozenset({Actor.WORKER}),
            (_S.FORMED, _S.QUEUED): frozenset({Actor.WORKER}),
            (_S.QUEUED, _S.UNDER_REVIEW): _DELIVERY,
            (_S.QUEUED, _S.NOT_DELIVERED): _DELIVERY,
            (_S.NOT_DELIVERED, _S.UNDER_REVIEW): _DELIVERY,
            # Only the local daemon records a refusal: the registry has no queue to take it from.
            (_S.QUEUED, _S.FORMED): frozenset({Actor.DAEMON}),
            (_S.NOT_DELIVERED, _S.FORMED): frozenset({Actor.DAEMON}),
            (_S.UNDER_REVIEW, _S.REJECTED): frozenset({Actor.REGISTRY}),
            (_S.UNDER_REVIEW, _S.REFUSED): frozenset({Actor.REGISTRY}),
            (_S.UNDER_REVIEW, _S.PASSED): frozenset({Actor.REGISTRY}),
            **{(status, _S.CANCELLED): frozenset({Actor.WORKER}) for status in _CANCELLABLE},
        }
    )
)


# The sets the code asks about, derived from the machine above by what each means, so a new
# status or move changes them all; tests/model/test_statuses.py holds each to its meaning.
FINAL_STATUSES = frozenset(s for s in ApplicationStatus if not ALLOWED_TRANSITIONS[s])
OPEN_STATUSES = frozenset(ApplicationStatus) - FINAL_STATUSES
# Filed, not yet with the registry: the daemon's delivery moves them to review.
PENDING_DELIVERY = frozenset(
    s
    for s in ApplicationStatus
    if Actor.DAEMON in TRANSITION_ACTORS.get((s, _S.UNDER_REVIEW), frozenset())
)
# What the registry decides on review, and only it.
DECISIONS = frozenset(
    b
    for (a, b), actors in TRANSITION_ACTORS.items()
    if a is _S.UNDER_REVIEW and actors == {Actor.REGISTRY}
)
# Delivered: under review, or past it for good; a submission answered with one is done.
DELIVERED = FINAL_STATUSES | {_S.UNDER_REVIEW}
# Known only to this computer (docs/domain.md, statuses: «Черновик» and «В очереди на
# отправку» are our decision); the registry reports every other status.
LOCAL_ONLY = frozenset({_S.DRAFT, _S.QUEUED})
REGISTRY_STATUSES = frozenset(ApplicationStatus) - LOCAL_ONLY


def can_transition(a: ApplicationStatus, b: ApplicationStatus) -> bool:
    return b in ALLOWED_TRANSITIONS[a]


def check_transition(
    a: ApplicationStatus, b: ApplicationStatus, *, actor: Actor | None = None
) -> None:
    """Raise TransitionRefused unless a → b is allowed (and, when given, allowed to `actor`)."""
    if not can_transition(a, b):
        raise TransitionRefused(
            f"Нельзя перевести заявление из статуса «{a.label}» в статус «{b.label}»",
            f"transition {a.value} -> {b.value} is not allowed",
            from_status=a,
            to_status=b,
        )
    if actor is not None and actor not in TRANSITION_ACTORS[(a, b)]:
        raise TransitionRefused(
            f"Перевести заявление из статуса «{a.label}» в статус «{b.label}» может только "
            + " или ".join(sorted(allowed.label for allowed in TRANSITION_ACTORS[(a, b)])),
            f"transition {a.value} -> {b.value} is not allowed to {actor.value}",
            from_status=a,
            to_status=b,
            details={"actor": actor.value},
        )


def check_attachments_open(status: ApplicationStatus, application_id: str = "") -> None:
    """Raise AttachmentsFrozen unless an application in `status` may change its documents:
    the one rule the TUI, the CLI and the daemon's folder intake all keep."""
    if status.takes_files:
        return
    raise AttachmentsFrozen(
        f"Заявление в статусе «{status.label}»: состав его документов больше не меняется",
        f"application {application_id} is {status.value}: its attachments are frozen",
        fix=_frozen_fix(status),
        details={"status": status.value},
    )


def _frozen_fix(status: ApplicationStatus) -> str:
    if status.is_final:
        return "Заявление закрыто; чтобы подать документы заново, создайте новое заявление"
    if status is ApplicationStatus.FORMED:
        return (
            "Сформированное заявление не возвращается в черновик. Чтобы подать другой набор "
            "документов, отмените это заявление и создайте новое («frmr apps cancel», "
            "«frmr apps new»)"
        )
    return "Заявление уже подано; чтобы подать другие документы, создайте новое заявление"
