"""Events worth telling the doctor, found in the store, each with its Russian message.

Events are found from the facts the store already keeps (a status change, a refused file, a
filing still undelivered, a readiness date), never from the moment code happened to see
them: the same fact found again after a restart gives the same key, so the outbox records
it once however often, and whenever, the daemon looks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from frmr.model.rules.dates import format_date
from frmr.model.rules.labelled import LabelledEnum
from frmr.model.rules.russian import plural_ru
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.reads.applications import ApplicationRow
from frmr.model.store.reads.intake import RefusedFile
from frmr.model.store.reads.transitions import Transition


class EventKind(LabelledEnum):
    STATUS_DECIDED = "status_decided", "Решение ФРМР по заявлению"
    FILE_REFUSED = "file_refused", "Файл не принят в папке документов"
    DELIVERY_FAILING = "delivery_failing", "Заявление долго не доставляется"
    WINDOW_OPENING = "window_opening", "Скоро откроется окно подачи заявления"
    WINDOW_CLOSING = "window_closing", "Скоро закроется окно подачи заявления"
    CERTIFICATE_EXPIRING = "certificate_expiring", "Скоро истекает сертификат или аккредитация"
    TEST = "test", "Проверка уведомлений"


class Channel(LabelledEnum):
    EMAIL = "email", "эл. почта"
    HOOK = "hook", "команда"


# The kinds a doctor can switch on and off (the test message always goes).
CHOOSABLE = tuple(k for k in EventKind if k is not EventKind.TEST)

_WHAT_TO_DO = {
    ApplicationStatus.REJECTED: "Исправьте ошибки, названные в причине, и подайте новое "
    "заявление (frmr-tui, F2 «Заявления», или «frmr apps»).",
    ApplicationStatus.REFUSED: "Прочитайте причину отказа. Если вы с ней не согласны, "
    "обратитесь в аккредитационную комиссию, указав номер заявления.",
    ApplicationStatus.PASSED: "Ничего делать не нужно. Следующая периодическая аккредитация — "
    "через 5 лет; frmr напомнит, когда откроется окно подачи.",
}


@dataclass(frozen=True)
class Event:
    """One thing to tell: `key` names it for good; the rest is what the message says."""

    key: str
    kind: EventKind
    title: str
    text: str
    todo: str
    at: datetime
    application_id: str | None = None
    application_number: str | None = None
    specialty: str | None = None
    status: str | None = None
    reason: str | None = None
    path: str | None = None
    reason_path: str | None = None
    date: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        body = asdict(self)
        body["kind"] = self.kind.value
        body["kind_label"] = self.kind.label
        body["at"] = self.at.isoformat()
        return json.dumps(body, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Event:
        body = json.loads(text)
        body.pop("kind_label", None)
        body["kind"] = EventKind(body["kind"])
        body["at"] = datetime.fromisoformat(body["at"])
        return cls(**body)


def application_name(app: ApplicationRow) -> str:
    """«заявление № 123» — or, before the registry numbered it, by its specialty."""
    if app.number:
        return f"заявление № {app.number}"
    return f"заявление по специальности «{app.specialty_name}» (номер ещё не присвоен)"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def decided(decisions: Iterable[Transition]) -> list[Event]:
    """The registry's decisions (model.store.reads.transitions.decisions), with their reasons."""
    events = []
    for change in decisions:
        app = change.application
        name = application_name(app)
        label = change.to_status.label
        reason = change.reason or app.status_reason
        text = f"ФРМР вынес решение: {name} — «{label}»." + (
            f"\nПричина: {reason}" if reason else ""
        )
        events.append(
            Event(
                key=f"status:{change.id}",
                kind=EventKind.STATUS_DECIDED,
                title=f"{_capitalised(name)}: {label}",
                text=text,
                todo=_WHAT_TO_DO[change.to_status],
                at=change.at,
                application_id=app.id,
                application_number=app.number,
                specialty=app.specialty_name,
                status=change.to_status.value,
                reason=reason,
            )
        )
    return events


def refused_files(
    refused: Iterable[RefusedFile], since: datetime, reason_file: Callable[[Path], Path]
) -> list[Event]:
    """Files the intake refused since `since`, oldest first, of `refused` (the read model's,
    newest first); `reason_file` names the note beside each."""
    events = []
    for row in reversed([r for r in refused if r.at >= since]):
        note = str(reason_file(Path(row.rejected_path)))
        events.append(
            Event(
                key=f"refused:{row.id}",
                kind=EventKind.FILE_REFUSED,
                title=f"Файл «{row.file_name}» не принят",
                text=f"Файл «{row.file_name}» не принят: {row.reason}\n"
                f"Он перенесён без изменений в {row.rejected_path}\n"
                f"Причина записана рядом, в файле {note}",
                todo="Прочитайте файл с причиной, исправьте документ и положите его в папку снова.",
                at=row.at,
                application_id=row.application_id,
                reason=row.reason,
                path=row.rejected_path,
                reason_path=note,
            )
        )
    return events


def delivery_failing(
    filings: Iterable[Transition], now: datetime, since: datetime, threshold: timedelta
) -> tuple[list[Event], datetime | None]:
    """Of the filings still undelivered (model.store.reads.transitions.filings), those
    `threshold` past filing; and when the next one will have waited that long (the caller's
    timer), if any is waiting."""
    events: list[Event] = []
    next_due: datetime | None = None
    for filed in filings:
        app = filed.application
        due = filed.at + threshold
        if due > now:
            next_due = due if next_due is None else min(next_due, due)
            continue
        if due < since:
            continue
        hours = max(1, round((now - filed.at).total_seconds() / 3600))
        name = _capitalised(application_name(app))
        reason = app.status_reason or app.sync_error
        events.append(
            Event(
                key=f"delivery:{filed.id}",
                kind=EventKind.DELIVERY_FAILING,
                title=f"{name} не доставлено в ФРМР",
                text=f"{name} подано {format_date(filed.at.date())}, "
                f"но не доставлено в ФРМР уже {hours} ч."
                + (f"\nПоследняя ошибка: {reason}" if reason else ""),
                todo="Фоновая служба продолжает отправлять его сама. Проверьте связь с ФРМР "
                "и вход («frmr login»); ход отправки — в frmr-tui, F6 «Синхронизация».",
                at=due,
                application_id=app.id,
                application_number=app.number,
                specialty=app.specialty_name,
                status=app.status.value,
                reason=reason,
            )
        )
    return events, next_due


@dataclass(frozen=True)
class Deadline:
    """A readiness date of one specialty: what it is and when."""

    specialty: str
    opens: date
    closes: date
    expires: date
    document_label: str
    document_number: str
    filed: bool  # an application for it is filed, under review or passed this cycle


def deadlines(
    items: Iterable[Deadline], today: date, window_days: int, certificate_days: int
) -> list[Event]:
    """Window opening, window closing and document expiry, each within its lead time."""
    now = datetime.combine(today, datetime.min.time()).astimezone()
    events = []

    def when(on: date) -> str:
        return f"{format_date(on)} ({_in_days((on - today).days)})"

    def add(
        kind: EventKind, key: str, d: Deadline, on: date, title: str, text: str, todo: str
    ) -> None:
        days = (on - today).days
        events.append(
            Event(
                key=f"{key}:{on.isoformat()}",
                kind=kind,
                title=f"{title} {format_date(on)}",
                text=text,
                todo=todo,
                at=now,
                specialty=d.specialty,
                date=on.isoformat(),
                extra={"days": days},
            )
        )

    for d in items:
        window = f"Окно подачи по специальности «{d.specialty}»"
        whose = f"Окно подачи заявления на аккредитацию по специальности «{d.specialty}»"
        if 0 <= (d.opens - today).days <= window_days:
            add(
                EventKind.WINDOW_OPENING,
                f"window_opening:{d.specialty}",
                d,
                d.opens,
                f"{window} открывается",
                f"{whose} открывается {when(d.opens)} и закроется {format_date(d.closes)}.",
                "Проверьте готовность портфолио: «frmr readiness» или frmr-tui, F8.",
            )
        if not d.filed and d.opens <= today and 0 <= (d.closes - today).days <= window_days:
            add(
                EventKind.WINDOW_CLOSING,
                f"window_closing:{d.specialty}",
                d,
                d.closes,
                f"{window} закрывается",
                f"{whose} закрывается {when(d.closes)}, а заявление по ней ещё не подано.",
                "Подайте заявление до этой даты: frmr-tui, F2 «Заявления».",
            )
        if 0 <= (d.expires - today).days <= certificate_days:
            number = f" № {d.document_number}" if d.document_number else ""
            add(
                EventKind.CERTIFICATE_EXPIRING,
                f"expiring:{d.specialty}:{d.document_number}",
                d,
                d.expires,
                f"{d.document_label}{number} истекает",
                f"{d.document_label}{number} по специальности «{d.specialty}» действует до "
                f"{when(d.expires)}.",
                "Без действующего сертификата или аккредитации работать по специальности "
                "нельзя: подайте заявление на аккредитацию вовремя («frmr readiness» покажет, "
                "чего не хватает).",
            )
    return events


def _in_days(days: int) -> str:
    if days == 0:
        return "сегодня"
    return f"через {days} {plural_ru(days, 'день', 'дня', 'дней')}"


def trial_event(now: datetime) -> Event:
    return Event(
        key=f"test:{now.isoformat()}",
        kind=EventKind.TEST,
        title="Проверка уведомлений frmr",
        text="Это проверочное сообщение: уведомления frmr настроены и доходят.",
        todo="Ничего делать не нужно.",
        at=now,
    )
