"""The issue's «Done when», end to end with the sandbox's demo employee: the registry's
preloaded portfolio pulled into a fresh home, «Готовность» showing one specialty ready and one
not (the hours missing by kind, the window, the expected decision), the portfolio fixed in the
TUI's own form, the verdict turning, and `frmr readiness --json` saying the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from frmr.cli.main import cli
from frmr.model.readiness.kinds import CourseKind
from frmr.model.rules.clock import today
from frmr.model.rules.dates import format_date
from frmr.tui.app import FrmrApp, make_app
from frmr.tui.screens.readiness import ReadinessCard, ReadinessScreen
from frmr.tui.screens.row_form import RowForm
from frmr.tui.widgets.collection import CollectionTable
from tests.samples import add_listed_scans
from tests.support.fixtures import registry
from tests.support.registry_process import RegistryProcess
from tests.support.world import make_world
from tests.tui.support import wait_for

# The worker's registry: the world logs in as a demo employee of its own.
__all__ = ["registry"]


def readiness_json(home: Path) -> dict[str, Any]:
    env = {"FRMR_HOME": str(home), "FRMR_CONFIG": str(home.parent / "config.toml")}
    result = CliRunner(env=env).invoke(cli, ["readiness", "--json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["verdict"] == "ready" else 1)
    return {s["specialty"]: s for s in data["specialties"]}


def cards(app: FrmrApp) -> dict[str, str]:
    texts = [card.text.plain for card in app.screen.query(ReadinessCard)]
    return {t.split(" — ", 1)[0]: t for t in texts}


async def add_nmo_course_in_the_form(pilot: Pilot[None], hours: int) -> None:
    """F3 → «Образовательная часть» → a → the form → ctrl+o, as the worker would."""
    app = pilot.app
    await pilot.press("f3")
    await wait_for(pilot, lambda: bool(app.screen.query("#portfolio-tabs")))
    app.screen.query_one("#portfolio-tabs", TabbedContent).active = "educational"
    table = app.screen.query_one("#collection-courses", CollectionTable)
    await wait_for(pilot, lambda: table.is_mounted)
    table.focus()
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
    form = app.screen
    values = {
        "theme": "ИОМ: хроническая сердечная недостаточность",
        "specialty": "Кардиология",
        "institution": "Портал НМО",
        "hours": str(hours),
        "begin_date": format_date(today()),
        "doc_number": "ИОМ-9",
    }
    for name, value in values.items():
        form.query_one(f"#field-{name} Input", Input).value = value
    form.query_one("#field-kind Select", Select).value = CourseKind.NMO_MODULE.label
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: not isinstance(app.screen, RowForm))


@pytest.mark.anyio
async def test_the_demo_employee_sees_both_verdicts_fixes_one_and_json_agrees(
    registry: RegistryProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(registry, tmp_path / "home", monkeypatch)
    home = world.settings.home
    # The fresh home's library has none of the files the list of documents names: that
    # alone keeps Терапия from being ready.
    fresh = readiness_json(home)["Терапия"]
    blocking = [f["code"] for f in fresh["findings"] if f["severity"] == "blocking"]
    assert fresh["verdict"] == "not_ready" and blocking == ["documents_missing"]
    add_listed_scans(world.account, tmp_path / "scans")
    world.account.close()
    before = readiness_json(home)
    therapy, cardiology = before["Терапия"], before["Кардиология"]
    # Nothing blocks Терапия now; the report's and the трудовая's scans are an оговорка.
    assert therapy["verdict"] == "ready_with_caveats" and cardiology["verdict"] == "not_ready"
    assert {f["code"] for f in therapy["findings"]} == {"documents_extra_missing"}
    assert cardiology["hours"]["missing_pk"] == 0 and cardiology["hours"]["missing_nmo"] == 20
    blocking = [f["code"] for f in cardiology["findings"] if f["severity"] == "blocking"]
    assert blocking == ["hours_nmo_short"]
    window, expected = cardiology["window"], cardiology["expected"]
    assert window["state"] == "open"

    def d(iso: str) -> str:
        from datetime import date

        return format_date(date.fromisoformat(iso))

    app = make_app(world.settings, start_services=False, ask_login=False, today=today)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("f8")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReadinessScreen) and len(cards(app)) == 2
        )
        shown = cards(app)
        assert "ГОТОВО С ОГОВОРКАМИ" in shown["Терапия"]
        card = shown["Кардиология"]
        # The same facts as the JSON: the hours missing by kind, the window, the decision.
        assert (
            "НЕ ГОТОВО" in card
            and "НМО    " in card
            and "50/70 ч  не хватает 20  (2 ч покрыты ДПП ПК сверх минимума)" in card
        )
        assert "ДПП ПК" in card and "74/72 ч" in card
        # The part-time cardiology post gives стаж in Кардиология.
        assert "Врач-кардиолог — стаж по специальности" in card
        assert f"Подача: {d(window['opens'])} – {d(window['closes'])}" in card
        assert f"решение до {d(expected['decision_by'])}" in card
        await add_nmo_course_in_the_form(pilot, 20)
        await pilot.press("f8")
        await wait_for(pilot, lambda: "ГОТОВО С ОГОВОРКАМИ" in cards(app).get("Кардиология", ""))
        assert "70/70 ч  (2 ч покрыты ДПП ПК сверх минимума)" in cards(app)["Кардиология"]
    after = readiness_json(home)
    assert after["Кардиология"]["verdict"] == "ready_with_caveats"
    assert after["Терапия"]["verdict"] == "ready_with_caveats"
    assert after["Кардиология"]["hours"]["nmo"] == 70
