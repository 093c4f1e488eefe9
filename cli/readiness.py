"""`frmr readiness` and `frmr rules`: whether the accreditation will pass, and why.

Exit codes of `readiness`: 0 every specialty shown is «Готово», 1 one is «Готово с оговорками»
or «Не готово» (or there is none), 2 a user error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from frmr.cli.context import Context, echo_json, pass_context, with_context

if TYPE_CHECKING:
    from frmr.model.readiness.evaluate import Readiness

JSON_VERSION = 1


def _d(iso: object) -> str:
    from datetime import date

    from frmr.model.rules.dates import format_date

    return format_date(iso) if isinstance(iso, date) else "—"


def _bar(have: int, need: int, width: int = 20) -> str:
    filled = min(width, round(width * have / need)) if need else width
    return "█" * filled + "·" * (width - filled)


def echo_readiness(r: Readiness) -> None:
    from frmr.model.portfolio.reporting_period import SpecialtyPeriod
    from frmr.model.readiness.cycle import WindowState

    click.echo(f"{r.specialty} — {r.route.label}: {r.verdict.label.upper()}")
    doc, c = r.document, r.cycle
    if doc is not None:
        click.echo(f"  Документ: {doc.label} № {doc.number or '—'} от {_d(doc.pass_date)}")
    if c is not None:
        expired = c.state is WindowState.CLOSED
        click.echo(f"  {'Истёк' if expired else 'Действует до'}: {_d(c.expires)}")
    if r.break_since is not None:
        click.echo(f"  Перерыв в работе по специальности более пяти лет: с {_d(r.break_since)}")
    if c is not None and r.break_since is None:
        click.echo(
            f"  Подача: с {_d(c.opens)} по {_d(c.closes)} — окно {c.state.label}"
            + (f", осталось {c.days_left} дн." if c.days_left >= 0 else "")
        )
        if c.state is not WindowState.CLOSED:
            note = " (предварительно: календарь на этот год не утверждён)" if c.preliminary else ""
            click.echo(
                f"  Если подать {_d(c.submit_on)}: проверка ФАЦ до {_d(c.review_by)}, "
                f"решение ЦАК до {_d(c.decision_by)}{note}"
            )
    if r.period is not None:
        click.echo(f"  Отчётный период {SpecialtyPeriod(r.specialty, r.period)}")
    if r.ledger is not None:
        led = r.ledger
        click.echo(f"  Часы: всего {_bar(led.total, led.need_total)} {led.total}/{led.need_total}")
        click.echo(f"        ДПП ПК {_bar(led.pk, led.need_pk)} {led.pk}/{led.need_pk}")
        covered = led.need_nmo - led.nmo_target
        click.echo(
            f"        НМО    {_bar(led.nmo, led.nmo_target)} {led.nmo}/{led.nmo_target}"
            + (f" ({covered} ч покрыты ДПП ПК сверх минимума)" if covered else "")
        )
        for e in led.excluded:
            click.echo(f"    не учтено: «{e.course.theme}», {e.course.hours} ч — {e.reason}")
    if r.position is not None:
        p = r.position
        held = ", ".join(p.held) or "нет в отчётном периоде"
        if p.allowed is None:
            verdict = "не сверяется: для специальности нет списка должностей"
        elif p.matches:
            verdict = f"стаж по специальности {p.days} дн."
        else:
            verdict = "стажа по специальности нет (его дают: " + ", ".join(p.allowed) + ")"
        click.echo(f"  Должность: {held} — {verdict}")
        if p.allowed is not None and not p.verified:
            from frmr.model.readiness.positions import UNVERIFIED_NOTE

            click.echo(f"    ({UNVERIFIED_NOTE})")
    if r.dismissal is not None:
        click.echo(f"  Не работаете с {_d(r.dismissal)}")
    if r.checklist:
        click.echo("  Документы:")
        for line in r.checklist:
            if line.files:
                files = ", ".join(line.files)
            else:
                files = "нет файла — обязателен" if line.required else "нет файла (не обязателен)"
            click.echo(f"    [{'x' if line.covered else ' '}] {line.item.label}: {files}")
    for f in r.findings:
        mark = "✗" if f.blocking else "! оговорка:"
        click.echo(f"  {mark} {f.message}: {f.detail}")
        click.echo(f"    Что сделать: {f.fix} (кто: {f.who.label})")
        click.echo(f"    Правило: {f.source}")


def _readiness(ctx: Context, specialty: str | None) -> list[Readiness]:
    """The verdicts from the store read through model.store.reads."""
    from frmr.model.readiness.calendar import load_calendar
    from frmr.model.readiness.evaluate import evaluate_asked
    from frmr.model.readiness.rules import load_rules
    from frmr.model.rules.clock import today
    from frmr.model.store.reads.facts import doctor_facts

    settings = ctx.settings
    day = today()
    with ctx.reader() as read:
        facts = doctor_facts(read.conn, day)
    return evaluate_asked(
        facts,
        specialty,
        day,
        load_rules(pk_hours=settings.readiness_pk_hours, window=settings.readiness_window),
        load_calendar(day, settings.layout.cache_dir),
    )


@click.command("readiness")
@click.option("--specialty", default=None, help="Только эта специальность.")
@click.option(
    "--application",
    "application",
    default=None,
    metavar="ID",
    help="Готовность этого заявления: его специальность и вид аккредитации.",
)
@click.option("--json", "as_json", is_flag=True, help="Машиночитаемый вывод (см. README).")
@with_context
def readiness_cmd(
    ctx: Context, specialty: str | None, application: str | None, as_json: bool
) -> None:
    """Готовность к аккредитации по каждой специальности: сроки, часы, стаж, замечания.

    Код выхода 0 — «Готово» по всем специальностям; 1 — «Готово с оговорками» или
    «Не готово».
    """
    from frmr.model.readiness.evaluate import overall
    from frmr.model.readiness.findings import Verdict
    from frmr.model.rules.clock import today

    if application is not None and specialty is not None:
        raise click.UsageError("Укажите либо --application, либо --specialty")
    if application is not None:
        from frmr.model.applications.lifecycle import application_verdict

        results = [application_verdict(ctx.account, application)]
    else:
        results = _readiness(ctx, specialty)
    verdict = overall(results)
    if as_json:
        echo_json(
            {
                "version": JSON_VERSION,
                "today": today().isoformat(),
                "verdict": verdict.value,
                "verdict_label": verdict.label,
                "ready": verdict is Verdict.READY,
                "specialties": [r.as_json() for r in results],
            }
        )
    elif not results:
        click.echo(
            "Нет ни одной специальности: внесите сертификат или аккредитацию в портфолио "
            "(frmr portfolio add certificates …)"
        )
    else:
        for r in results:
            echo_readiness(r)
    sys.exit(0 if verdict is Verdict.READY else 1)


@click.command("rules")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def rules_cmd(ctx: Context, as_json: bool) -> None:
    """Правила аккредитации, по которым проверяется готовность, с источниками."""
    from frmr.model.readiness.rules import load_rules

    settings = ctx.settings
    rules = load_rules(pk_hours=settings.readiness_pk_hours, window=settings.readiness_window)
    if as_json:
        echo_json(rules.as_json())
        return
    click.echo(f"Правила проверены {rules.checked}")
    for r in rules.rules:
        value = f" [{r.value} {r.unit}]" if r.value is not None else ""
        click.echo(f"\n{r.title}{value}: {r.text}")
        if r.chosen:
            click.echo(f"  Выбрано в настройках: {r.chosen}")
        if r.order is not None:
            click.echo(f"  Норма: {r.order.cite()}")
        for s in r.sources:
            checked = "проверено" if s.verified else "не перепроверено"
            click.echo(f"  Источник: {s.title} — {s.url} ({checked} {s.checked})")
        for a in r.alternatives:
            click.echo(f"  Другое прочтение: {a.value} {a.unit or r.unit or ''} — {a.text}")
