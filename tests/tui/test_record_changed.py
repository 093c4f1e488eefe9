"""No lost update: the card open in the TUI while a real process's `frmr profile set` changes it.
A save based on the version the card was read at is refused with «Запись изменилась, пока вы
её редактировали» and a choice; nothing another process saved is silently written over. The
CLI's `set --if-version` follows the same rule (its commands run one after the other, so
in-process: what they answer is the subject)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox

from frmr.model.profile.card import get_person
from frmr.model.rules.record_version import RECORD_CHANGED
from frmr.model.store.account import Account
from frmr.tui.screens.record_changed import RecordChangedScreen
from frmr.tui.widgets.field import FormField
from tests.cli.test_cli import Frmr
from tests.support.portfolio_reads import listed
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import (
    another_process,
    fill_card,
    fill_portfolio,
    open_card,
    typed,
    wait_for,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


def _commands(frmr_home: Path, tmp_path: Path) -> Frmr:
    # The `frmr` group in-process, each call its own Context and store.
    return Frmr(frmr_home, tmp_path / "config.toml")


async def _edit_last_name_while_the_cli_changes_two_other_fields(
    app: object, pilot: object, frmr_home: Path, tmp_path: Path
) -> FormField:
    await open_card(pilot)  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    last_name = screen.query_one("#field-last_name", FormField)
    await wait_for(pilot, lambda: last_name.value == "Иванова")  # type: ignore[arg-type]
    last_name.query_one("Input").focus()
    await pilot.press("end", "ctrl+u", *typed("Петрова"))  # type: ignore[attr-defined]
    another_process(
        frmr_home,
        tmp_path / "config.toml",
        ["profile", "set", "patronymic", "Сергеевна"],
        ["profile", "set", "phone", "+7 900 111-22-33"],
    )
    return last_name


async def test_a_save_over_a_card_changed_meanwhile_asks_and_keeps_both_edits(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _edit_last_name_while_the_cli_changes_two_other_fields(
            app, pilot, frmr_home, tmp_path
        )
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordChangedScreen))
        dialog = app.screen
        text = " ".join(str(s.render()) for s in dialog.query("Static"))
        assert RECORD_CHANGED in text
        # Only the field typed here is offered; the CLI's fields were not touched here.
        assert [c.id for c in dialog.query(Checkbox)] == ["keep-last_name"]
        dialog.query_one("#keep", Button).press()
        await wait_for(pilot, lambda: get_person(account).last_name == "Петрова")
    person = get_person(account)
    assert (person.last_name, person.patronymic, person.phone) == (
        "Петрова",
        "Сергеевна",
        "+79001112233",
    )


async def test_reloading_drops_the_typed_edit_and_shows_what_was_saved(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        last_name = await _edit_last_name_while_the_cli_changes_two_other_fields(
            app, pilot, frmr_home, tmp_path
        )
        profile = app.screen
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordChangedScreen))
        await pilot.press("escape")  # Перечитать
        patronymic = profile.query_one("#field-patronymic", FormField)
        await wait_for(pilot, lambda: patronymic.value == "Сергеевна")
        await wait_for(pilot, lambda: last_name.value == "Иванова")
        assert not last_name.dirty
    person = get_person(account)
    assert (person.last_name, person.patronymic, person.phone) == (
        "Иванова",
        "Сергеевна",
        "+79001112233",
    )


def test_cli_set_with_a_stale_version_is_refused_and_names_the_current_one(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    fill_card(account)
    frmr = _commands(frmr_home, tmp_path)
    read = frmr.json("profile", "show")
    assert isinstance(read, dict)
    version = read["version"]
    # Another command saves first.
    frmr("profile", "set", "phone", "+7 900 111-22-33")
    refused = frmr(
        "profile", "set", "patronymic", "Ивановна", "--if-version", str(version), ok=False
    )
    assert refused.returncode == 2
    assert RECORD_CHANGED in refused.stderr
    assert f"сейчас {version + 1}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert get_person(account).patronymic == "Петровна"
    frmr("profile", "set", "patronymic", "Ивановна", "--if-version", str(version + 1))
    assert get_person(account).patronymic == "Ивановна"


async def test_a_portfolio_row_changed_meanwhile_is_not_written_over(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    from frmr.tui.screens.row_form import RowForm
    from frmr.tui.widgets.collection import CollectionTable

    fill_card(account)
    fill_portfolio(account)
    [job] = listed(account, "employment")
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._data_version is not None)
        await app.switch_mode("portfolio")
        jobs = app.screen.query_one("#collection-employment", CollectionTable)
        await wait_for(pilot, lambda: jobs.current_id() == job.id)
        jobs.action_edit()  # Enter on the row
        await wait_for(pilot, lambda: isinstance(app.screen, RowForm))
        await pilot.pause()
        form = app.screen
        position = form.query_one("#field-position", FormField)
        position.query_one("Input").focus()
        await pilot.press("end", "ctrl+u", *typed("Заведующий отделением"))
        another_process(
            frmr_home,
            tmp_path / "config.toml",
            ["portfolio", "edit", "employment", job.id, "department=Терапевтическое отделение"],
        )
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordChangedScreen))
        assert [c.id for c in app.screen.query(Checkbox)] == ["keep-position"]
        app.screen.query_one("#keep", Button).press()
        await wait_for(
            pilot, lambda: listed(account, "employment")[0].position == "Заведующий отделением"
        )
    [saved] = listed(account, "employment")
    assert (saved.position, saved.department) == (
        "Заведующий отделением",
        "Терапевтическое отделение",
    )


def test_cli_portfolio_edit_with_a_stale_version_is_refused(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:

    fill_portfolio(account)
    frmr = _commands(frmr_home, tmp_path)
    [job] = frmr.json("portfolio", "list", "employment")  # type: ignore[misc]
    frmr("portfolio", "edit", "employment", job["id"], "department=Приёмное")
    refused = frmr(
        "portfolio", "edit", "employment", job["id"], "position=Врач",
        "--if-version", str(job["version"]), ok=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert RECORD_CHANGED in refused.stderr and "Traceback" not in refused.stderr
    assert listed(account, "employment")[0].position == "Врач-терапевт"
