"""The applications screen's actions: what each key offers for the status under the cursor,
the questions asked before submitting and cancelling, and what follows «Добавить»."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from frmr.model.applications.lifecycle import form_application
from frmr.model.rules.errors import TransitionRefused
from frmr.model.rules.statuses import ApplicationStatus, check_transition
from frmr.model.store.account import Account
from frmr.model.store.tables import Application
from frmr.tui.app import FrmrApp
from frmr.tui.messages import ActionFailed
from frmr.tui.remote_copy import copy_commands, ssh_target
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.screens.dialogs import ConfirmScreen, FolderScreen, MenuScreen
from frmr.tui.screens.new_application import NewApplicationScreen
from frmr.tui.widgets.key_bar import KeyBar
from tests.support.reads import stored_application
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import (
    TODAY,
    add_scans,
    fill_card,
    fill_portfolio,
    new_app,
    quiet,
    screen_text,
    wait_for,
)

pytestmark = pytest.mark.anyio


def _set_status(account: Account, app_id: str, status: ApplicationStatus) -> None:
    with account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        row.status = status


def check_refused(a: ApplicationStatus, b: ApplicationStatus) -> TransitionRefused:
    try:
        check_transition(a, b)
    except TransitionRefused as exc:
        return exc
    raise AssertionError("the transition was allowed")


def _key_line(app: FrmrApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def _notices(app: FrmrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _loaded(pilot: Pilot[None]) -> ApplicationsScreen:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await wait_for(pilot, lambda: app.data_loaded_ms is not None)
    screen = app.screen
    assert isinstance(screen, ApplicationsScreen)
    return screen


async def test_p_on_a_draft_says_to_form_it_first_once(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app_id = new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        assert "Сформировать" in _key_line(app) and "Подать" in _key_line(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: bool(_notices(app)))
        await quiet(pilot)  # the key's handling is over: no question, no second notice
        assert not isinstance(app.screen, ConfirmScreen)
        assert _notices(app) == [
            "Сначала сформируйте заявление (f): подать можно только сформированное"
        ]
    assert stored_application(account, app_id).app.status is ApplicationStatus.DRAFT


async def test_submit_asks_what_will_happen_and_no_keeps_it_formed(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    add_scans(account)
    app_id = new_app(account)
    form_application(account, app_id, TODAY)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        assert "Сформировать" not in _key_line(app)  # already formed: not offered
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.query_one(".dialog-text").render()
        assert "Фоновая служба отправит его в ФРМР" in str(question)
        assert "Терапия" in str(question)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ApplicationsScreen))
        assert stored_application(account, app_id).app.status is ApplicationStatus.FORMED
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: stored_application(account, app_id).app.status is ApplicationStatus.QUEUED,
        )


async def test_form_asks_what_it_fixes_and_no_keeps_the_draft(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    fill_portfolio(account)
    add_scans(account)
    app_id = new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one(".dialog-text").render())
        assert "Набор файлов закрепится" in question and "Терапия" in question
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ApplicationsScreen))
        await quiet(pilot)
        assert stored_application(account, app_id).app.status is ApplicationStatus.DRAFT
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: stored_application(account, app_id).app.status is ApplicationStatus.FORMED,
        )


async def test_cancel_is_not_offered_for_a_final_status(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app_id = new_app(account)
    _set_status(account, app_id, ApplicationStatus.PASSED)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        line = _key_line(app)
        assert "Отменить" not in line and "Подать" not in line and "Папка" in line
        await pilot.press("x")
        await quiet(pilot)
        assert isinstance(app.screen, ApplicationsScreen)  # no question that then fails
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MenuScreen))
        options = app.screen.query_one(OptionList)
        menu = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert menu == ["Папка документов", "История статусов"]


async def test_cancel_of_an_application_under_review_says_the_registry_is_told(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app_id = new_app(account)
    _set_status(account, app_id, ApplicationStatus.UNDER_REVIEW)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "ФРМР получит отмену" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: stored_application(account, app_id).app.status is ApplicationStatus.CANCELLED,
        )


@pytest.mark.parametrize("mode", ["applications", "profile"])
async def test_a_failed_action_is_notified_once(
    account: Account, frmr_home: Path, mode: str
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await app.switch_mode(mode)
        # What a worker posts when the model refuses (the store moved under the screen).
        error = check_refused(ApplicationStatus.FORMED, ApplicationStatus.FORMED)
        app.screen.post_message(ActionFailed("form", error))
        await wait_for(pilot, lambda: bool(_notices(app)))
        await quiet(pilot)
        assert _notices(app) == [error.user_text()]


async def test_added_application_is_selected_and_its_folder_shown_with_scp(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.7 51234 192.0.2.10 22")
    monkeypatch.setenv("USER", "ivanova")
    fill_card(account)
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _loaded(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        app.screen.query_one("#field-specialty Select").value = "Кардиология"  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, FolderScreen))
        shown = screen_text(pilot)
        # Broken with a shell continuation where it is wider than the screen.
        assert re.search(r"scp файл\.pdf( \\\n| )ivanova@192\.0\.2\.10:", shown), shown
        assert not _notices(app)  # nothing in the corner over the path
        await pilot.press("escape")
        view = screen.views[screen.current_id() or ""]
        assert view.app.specialty_name == "Кардиология"
        assert f"Папка: {view.folder}" in screen_text(pilot)


async def test_drafts_differ_in_the_list_by_their_creation_time(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    ids = [new_app(account), new_app(account)]
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        text = screen_text(pilot)
        for app_id in ids:
            created = stored_application(account, app_id).app.created_at.astimezone()
            assert f"от {created:%d.%m %H:%M}" in text
        assert "Черновик" in text and "Период." in text


async def test_statuses_are_never_cut_at_80_columns(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    app_id = new_app(account)
    _set_status(account, app_id, ApplicationStatus.PASSED)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        assert "Аккредитация пройдена" in screen_text(pilot)


def test_scp_target_comes_from_the_ssh_connection() -> None:
    env = {"SSH_CONNECTION": "2001:db8::5 40000 2001:db8::1 22", "USER": "doc"}
    assert ssh_target(env) == "doc@[2001:db8::1]"
    assert copy_commands("/home/doc/Мои документы/a", env) == [
        "scp файл.pdf doc@[2001:db8::1]:'/home/doc/Мои документы/a/'",
        "rsync -t файл.pdf doc@[2001:db8::1]:'/home/doc/Мои документы/a/'",
    ]


def test_scp_and_rsync_lines_carry_the_port_of_the_ssh_session() -> None:
    env = {"SSH_CONNECTION": "10.0.0.5 40000 10.0.0.1 2222", "USER": "doc"}
    assert copy_commands("/home/doc/a", env) == [
        "scp -P 2222 файл.pdf doc@10.0.0.1:/home/doc/a/",
        "rsync -t -e 'ssh -p 2222' файл.pdf doc@10.0.0.1:/home/doc/a/",
    ]


def test_a_folder_under_the_login_home_is_named_from_there() -> None:
    """scp and rsync read a relative remote path from the home of the account they log in as:
    the line gets shorter by the home's path, so it wraps less at 80 columns."""
    env = {"SSH_CONNECTION": "10.0.0.5 40000 10.0.0.1 22", "USER": "doc"}
    folder = "/home/doc/.local/share/frmr/documents/Заявление 1"
    assert copy_commands(folder, env, home="/home/doc") == [
        "scp файл.pdf doc@10.0.0.1:'.local/share/frmr/documents/Заявление 1/'",
        "rsync -t файл.pdf doc@10.0.0.1:'.local/share/frmr/documents/Заявление 1/'",
    ]
    # Elsewhere, and in a home that only shares a prefix, the path stays absolute.
    assert copy_commands("/srv/frmr/a", env, home="/home/doc")[0].endswith(":/srv/frmr/a/")
    assert copy_commands("/home/doctor/a", env, home="/home/doc")[0].endswith(":/home/doctor/a/")
