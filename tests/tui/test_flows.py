"""The TUI's flows driven by Pilot, over the same store and registry the CLI and daemon use."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frmr.model.portfolio.edits import add_row
from frmr.model.profile.card import get_person
from frmr.model.profile.card_fields import PROFILE_FIELDS, display_value
from frmr.model.rules.errors import LOGIN_REFUSED
from frmr.model.rules.snils import format_snils, snils_check_number
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import Settings
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.screens.dialogs import ConfirmScreen, FolderScreen
from frmr.tui.screens.documents import DocumentsScreen
from frmr.tui.screens.login import LoginScreen
from frmr.tui.screens.new_application import NewApplicationScreen
from frmr.tui.screens.profile import PersonLoaded, ProfileScreen
from frmr.tui.widgets.field import FormField
from tests.samples import add_listed_scans, make_pdf
from tests.support.daemon_process import DaemonProcess
from tests.support.fixtures import registry
from tests.support.reads import stored_application
from tests.support.registry_process import DEMO_LOGIN, RegistryProcess
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import (
    add_scans,
    fill_card,
    fill_portfolio,
    new_app,
    open_card,
    quiet,
    screen_text,
    typed,
    wait_for,
)

__all__ = ["registry"]

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]


@contextmanager
def running_daemon(settings: Settings) -> Iterator[DaemonProcess]:
    """A real `frmr-daemon run` over the test's home, answering on the socket the TUI asks."""
    daemon = DaemonProcess(settings, env={"FRMR_RUNTIME_DIR": str(settings.runtime_dir)})
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.kill()


async def _login(registry: RegistryProcess, home: Path, login: str, password: str) -> str:
    app = tui_app(tui_settings(home, registry.url), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*typed(login), "enter", *typed(password), "enter")
        await wait_for(
            pilot,
            lambda: (
                not isinstance(app.screen, LoginScreen)
                or bool(str(app.screen.query_one("#login-error").render()).strip("Входим… "))
            ),
        )
        if not isinstance(app.screen, LoginScreen):
            return "ok"
        return str(app.screen.query_one("#login-error").render())


async def test_login_with_the_demo_employee_saves_a_token(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    # The worker's registry is shared: each test logs in as a demo employee of its own.
    login, password = registry.new_person()
    assert await _login(registry, tmp_path, login, password) == "ok"
    assert (tmp_path / "token.json").exists()


async def test_wrong_password_is_refused_with_a_message(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    login, _password = registry.new_person()
    text = await _login(registry, tmp_path, login, "not-the-password")
    assert "парол" in text.lower()
    assert not (tmp_path / "token.json").exists()


async def test_unknown_snils_gets_the_answer_a_wrong_password_gets(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    unknown = format_snils("123456789" + snils_check_number("123456789"))
    text = await _login(registry, tmp_path, unknown, "whatever-1")
    assert LOGIN_REFUSED in text
    login, _password = registry.new_person()
    assert await _login(registry, tmp_path, login, "not-the-password") == text


async def test_card_with_a_wrong_snils_shows_the_error_and_saves_nothing(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot)
        snils = app.screen.query_one("#field-snils", FormField)
        snils.query_one("Input").focus()
        await pilot.press("ctrl+u", *typed("112-233-445 96"))
        await wait_for(pilot, lambda: "-invalid" in snils.classes)
        assert "контрольн" in str(snils.query_one(".field-error").render()).lower()
        await pilot.press("ctrl+o")
        await wait_for(
            pilot, lambda: any("не сохранена" in str(n.message) for n in app._notifications)
        )
        assert isinstance(app.screen, ProfileScreen)
    assert get_person(account).snils == "11223344595"


async def test_add_form_and_submit_an_application(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    fill_portfolio(account)
    add_scans(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        form = app.screen
        # Phone and e-mail come prefilled from the card; the specialty is picked from the list.
        assert form.query_one("#field-phone", FormField).value.endswith("67-89")
        form.query_one("#field-specialty Select").value = "Терапия"  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        # The new draft's folder comes up by itself, over the list that has it selected.
        await wait_for(pilot, lambda: isinstance(app.screen, FolderScreen))
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, ApplicationsScreen)
        assert len(screen.views) == 1
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Сформировано" in screen_text(pilot))
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "В очереди на отправку" in screen_text(pilot))
    [view] = screen.views.values()  # type: ignore[attr-defined]
    assert stored_application(account, view.app.id).app.status is ApplicationStatus.QUEUED


async def test_forming_an_incomplete_portfolio_lists_each_problem_with_its_fix(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Что сделать" in screen_text(pilot))


async def _log_in_on_screen(pilot: Pilot[None], login: str, password: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    await pilot.press(*typed(login), "enter", *typed(password), "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen), seconds=30)


@pytest.mark.real_process  # with a real `frmr-daemon run`, as the daemon stories are
async def test_a_review_decision_appears_without_a_key_press(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    """A new user's whole story against a real registry and daemon: log in, the daemon takes
    the registry's card and portfolio, add, form and submit in the TUI, the daemon delivers,
    the registry rejects with a reason, and the screen shows it while nobody touches a key."""
    settings = tui_settings(tmp_path / "home", registry.url)
    with running_daemon(settings):
        app = tui_app(settings, ask_login=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await _log_in_on_screen(pilot, *registry.new_person())
            # The login wrote the token file the daemon reads; its first sync adopts the card.
            await wait_for(pilot, lambda: bool(app.header_state.person), seconds=60)
            listing = app.screen
            assert isinstance(listing, ApplicationsScreen)
            # The form takes phone and e-mail from the adopted card once the list reloaded.
            await wait_for(pilot, lambda: all(listing.contacts), seconds=30)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
            form = app.screen
            form.query_one("#field-specialty Select").value = "Терапия"  # type: ignore[attr-defined]
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: isinstance(app.screen, FolderScreen))
            await pilot.press("escape")
            screen = app.screen
            assert isinstance(screen, ApplicationsScreen)
            assert len(screen.views) == 1
            [app_id] = screen.views
            # The scans the list of documents names, which the registry's portfolio lacks.
            with open_account(settings) as account:
                add_listed_scans(account, tmp_path / "scans")
            await pilot.press("f")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: "Сформировано" in screen_text(pilot))
            await pilot.press("p")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: "На рассмотрении" in screen_text(pilot), seconds=60)

            reason = "Не приложен документ об образовании"
            await asyncio.to_thread(
                registry.cli, "review", app_id, "--decision", "rejected", "--reason", reason
            )
            await wait_for(pilot, lambda: "Отклонено" in screen_text(pilot), seconds=60)
            text = screen_text(pilot)
            assert f"Причина: {reason}" in text
            assert "исправьте их" in text.lower()

            # Синхронизация was never open: what it lists came through the app's one
            # subscription to the daemon, the same one every screen hears.
            await pilot.press("f6")
            await wait_for(pilot, lambda: "«Отклонено»" in screen_text(pilot))
            assert "«На рассмотрении»" in screen_text(pilot)
            followers = [t for t in threading.enumerate() if t.name == "daemon-events"]
            assert len(followers) == 1


@pytest.mark.real_process  # with a real `frmr-daemon run`, as the daemon stories are
async def test_a_sixth_file_is_shown_refused_with_its_reason(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    """Six real files dropped into an application's folder: the running daemon attaches five
    and refuses the sixth; the Документы screen shows the refusal and why, live."""
    settings = tui_settings(tmp_path / "home", registry.url)
    with running_daemon(settings), open_account(settings) as account:
        folder = Path(stored_application(account, new_app(account)).folder)
        app = tui_app(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.switch_mode("documents")
            await wait_for(pilot, lambda: "файлы 0/5" in screen_text(pilot), seconds=30)
            for i in range(5):
                make_pdf(folder / f"скан-{i + 1}.pdf", salt=f"sixth-{i}")
            await wait_for(pilot, lambda: "файлы 5/5" in screen_text(pilot), seconds=60)
            make_pdf(folder / "шестой.pdf", salt="sixth-6")

            def refused() -> list[str]:
                screen = app.screen
                assert isinstance(screen, DocumentsScreen)
                table = screen.query_one("#rejected", DataTable)
                return [
                    " ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)
                ]

            # The file's name shows in the library first (the intake keeps what it refuses
            # from an application); the refusal's row, with its reason, is what to wait for.
            await wait_for(
                pilot,
                lambda: any("шестой.pdf" in r and "не более 5 файлов" in r for r in refused()),
                seconds=60,
            )
            assert "файлы 5/5" in screen_text(pilot)


@pytest.mark.parametrize("separator", ["tab", "enter"])
async def test_a_burst_of_keys_lands_in_the_field_it_was_typed_for(
    frmr_home: Path, separator: str
) -> None:
    """Keys arriving together (tmux send-keys, a laggy SSH link) are all queued before any is
    handled: Tab and Enter must move the focus before the next key is routed."""
    app = tui_app(tui_settings(frmr_home), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        # The screen is pushed before its fields are mounted: wait for the field itself.
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, LoginScreen)
                # results() is a generator, always true: ask for a match.
                and any(True for _ in app.screen.query("#login-name").results(Input))
            ),
        )
        name = app.screen.query_one("#login-name", Input)
        password = app.screen.query_one("#login-password", Input)
        await wait_for(pilot, lambda: name.has_focus)
        # Posted at once, not through pilot.press, which waits for each key to be handled.
        for key in [*typed(DEMO_LOGIN), separator, *typed("secret-1")]:
            char = " " if key == "space" else key if len(key) == 1 else None
            app.post_message(events.Key(key, char))
        await wait_for(pilot, lambda: len(name.value + password.value) >= 22)
        assert (name.value, password.value) == (DEMO_LOGIN, "secret-1")


async def test_leaving_the_card_with_unsaved_edits_by_a_function_key_asks_first(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot)
        profile = app.screen
        phone = profile.query_one("#field-phone", FormField)
        await wait_for(pilot, lambda: phone.value == "+7 912 345-67-89")
        phone.query_one("Input").focus()
        await pilot.press("end", "ctrl+u", *typed("+7 999 000-00-00"))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # Остаться: the edit is still there, unsaved
        await wait_for(pilot, lambda: app.screen is profile)
        assert phone.value == "+7 999 000-00-00"
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # Уйти: the edit is dropped
        await wait_for(pilot, lambda: isinstance(app.screen, ApplicationsScreen))
        await wait_for(pilot, lambda: not phone.dirty)
    assert get_person(account).phone == "+79123456789"


async def test_a_reload_from_the_daemon_keeps_what_is_being_typed_on_the_card(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot)
        phone = app.screen.query_one("#field-phone", FormField)
        await wait_for(pilot, lambda: phone.value == "+7 912 345-67-89")
        phone.query_one("Input").focus()
        await pilot.press("end", "ctrl+u", *typed("+7 999 000-00-00"))
        seen = app._data_version
        # Another process commits (as the daemon does): the screens reload from the store.
        add_row(account, "skills", {"name": "ЭКГ"})
        await wait_for(pilot, lambda: app._data_version != seen)
        await quiet(pilot)  # the reload that commit asked for has run
        assert phone.value == "+7 999 000-00-00"
        # A reload asked for before the first key and answered after it must not undo it.
        person = get_person(account)
        shown = {n: display_value(n, getattr(person, n)) for n in PROFILE_FIELDS}
        shown["last_name"] = "Перезагружено"
        app.screen.post_message(PersonLoaded(person, shown))
        await wait_for(
            pilot,
            lambda: app.screen.query_one("#field-last_name", FormField).value == "Перезагружено",
        )
        assert phone.value == "+7 999 000-00-00"
        assert phone.dirty
