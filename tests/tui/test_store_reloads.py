"""One commit, one reload: the app's own write is reported by its worker and seen again by the
PRAGMA data_version poll, and the screens reload once for it; a poll that finds the store as
the screens last read it reloads nothing; a real `frmr` process's commit, even one landing
right after the app's own write, is still shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from frmr.model.profile.card import get_person
from frmr.model.store.account import Account
from frmr.tui.app import FrmrApp
from frmr.tui.screens.base import AccountScreen
from frmr.tui.widgets.field import FormField
from tests.cli.test_cli import Frmr
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, open_card, typed, wait_for

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("quick_store_poll")]

# Polls that must have run, after the step, for the test to say a reload did not come: the
# first of them may have read the version before the commit, the next ones after it.
POLLS_AFTER = 3


class Reloads:
    """Counts each live screen's reloads with the account open (what reads the store) and the
    header's counts, and the store's data_version reads (the polls)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.screens: Counter[str] = Counter()
        self.headers = 0
        self.polls = 0
        reload = AccountScreen._reload
        count_header = FrmrApp.count_header

        def counted_reload(screen: AccountScreen) -> None:
            if screen.frmr.account is not None:
                self.screens[type(screen).__name__] += 1
            reload(screen)

        def counted_header(app: FrmrApp) -> Any:
            self.headers += 1
            return count_header(app)

        monkeypatch.setattr(AccountScreen, "_reload", counted_reload)
        monkeypatch.setattr(FrmrApp, "count_header", counted_header)

    def watch_polls(self, app: FrmrApp) -> None:
        assert app.account is not None
        store = app.account.store
        read: Callable[[], int] = store.data_version

        def counted() -> int:
            self.polls += 1
            return read()

        store.data_version = counted  # type: ignore[method-assign]

    def reset(self) -> None:
        self.screens.clear()
        self.headers = 0
        self.polls = 0

    async def polls_pass(self, pilot: Pilot[None]) -> None:
        """Until POLLS_AFTER polls have run since the reset and what they posted is handled."""
        await wait_for(pilot, lambda: self.polls >= POLLS_AFTER)
        await pilot.pause(0.1)


async def _card_open(app: FrmrApp, pilot: Pilot[None], reloads: Reloads) -> FormField:
    await open_card(pilot)
    reloads.watch_polls(app)
    phone = app.screen.query_one("#field-phone", FormField)
    await wait_for(pilot, lambda: phone.value == "+7 912 345-67-89")
    phone.query_one("Input").focus()
    await pilot.press("end", "ctrl+u", *typed("+7 999 000-00-00"))
    return phone


async def test_the_apps_own_write_reloads_each_screen_once(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_card(account)
    reloads = Reloads(monkeypatch)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card_open(app, pilot, reloads)
        reloads.reset()
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: get_person(account).phone == "+79990000000")
        await wait_for(pilot, lambda: reloads.screens["ProfileScreen"] >= 1)
        await reloads.polls_pass(pilot)
        # The write's worker reported the commit; the polls since found it already reloaded.
        assert reloads.screens == Counter(ProfileScreen=1)
        assert reloads.headers == 1
        # Applications, left open beneath, reloads once when shown again.
        await app.switch_mode("applications")
        await wait_for(pilot, lambda: reloads.screens["ApplicationsScreen"] >= 1)
        await reloads.polls_pass(pilot)
        assert reloads.screens == Counter(ProfileScreen=1, ApplicationsScreen=1)


async def test_a_poll_finding_the_store_as_the_screens_read_it_reloads_nothing(
    account: Account, frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_card(account)
    reloads = Reloads(monkeypatch)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        # The screen's first load with the account open.
        await wait_for(pilot, lambda: reloads.screens["ApplicationsScreen"] >= 1)
        reloads.watch_polls(app)
        reloads.polls = 0
        await reloads.polls_pass(pilot)
        assert reloads.screens == Counter(ApplicationsScreen=1)
        assert reloads.headers == 1


async def test_a_cli_commit_right_after_the_apps_own_write_is_shown(
    account: Account, frmr_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_card(account)
    reloads = Reloads(monkeypatch)
    # A real process, as a second terminal would run it, on the same store.
    frmr = Frmr(frmr_home, tmp_path / "config.toml", in_process=False)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await _card_open(app, pilot, reloads)
        committed = app.committed

        def then_the_cli() -> None:
            # On the write's worker, right after it reported its commit: the CLI commits
            # before or while the screen reloads for the app's own write.
            committed()
            frmr("profile", "set", "patronymic", "Сергеевна")

        monkeypatch.setattr(app, "committed", then_the_cli)
        reloads.reset()
        await pilot.press("ctrl+o")
        patronymic = app.screen.query_one("#field-patronymic", FormField)
        await wait_for(pilot, lambda: patronymic.value == "Сергеевна")
        person = get_person(account)
        assert (person.phone, person.patronymic) == ("+79990000000", "Сергеевна")
        reloads.polls = 0
        await reloads.polls_pass(pilot)
        # One reload for each of the two commits, none for the polls that found them shown.
        assert reloads.screens == Counter(ProfileScreen=2)
