"""Every screen's F-key on screen at 60×20, 80×24 and 120×40, the current screen marked, and
«Песочница» in the header however long the surname."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from frmr.model.profile.card import update_profile
from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import Settings, load_settings
from frmr.tui.theme import NAME
from frmr.tui.widgets.header import AccountHeader
from frmr.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import tui_app
from tests.tui.support import freeze_times, header_answered, quiet, seeded_account, wait_for

pytestmark = pytest.mark.anyio

SIZES = [(60, 20), (80, 24), (120, 40)]
# Each screen with a key, and the label its key shows at the narrowest width.
SCREENS = {
    "applications": ("f2", "Заявл."),
    "portfolio": ("f3", "Портф."),
    "profile": ("f4", "Проф."),
    "documents": ("f5", "Докум."),
    "sync": ("f6", "Синхр."),
    "readiness": ("f8", "Готов."),
}
LONG_SURNAME = "Константинопольская-Предприимчивая"
SNAPSHOT_HOME = Path("/tmp/frmr-tui-snapshots")


def sandbox_settings(home: Path) -> Settings:
    # No registry_url: the sandbox. The app is made without services, so none is started.
    return load_settings(home=home, runtime_dir=home / "run")


def _long_surname(account: Account) -> None:
    seeded_account(account)
    update_profile(account, {"last_name": LONG_SURNAME})
    freeze_times(account)


@pytest.fixture(scope="module")
def seeded_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store, made once: nothing in it names its folder, so each test's copy is
    the same store."""
    home = tmp_path_factory.mktemp("seeded-sandbox") / "home"
    with open_account(sandbox_settings(home)) as account:
        _long_surname(account)
    return home


@pytest.fixture
def sandbox_home(tmp_path: Path, seeded_sandbox: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(seeded_sandbox, home, symlinks=True)
    return home


def _current(bar: KeyBar, line_text: str, key: str) -> bool:
    """Whether `key`'s item on the screens' line is drawn in the current screen's style."""
    rendered = bar.render()
    column = line_text.index(f"{key} ")
    current = bar.get_component_rich_style("key-bar--current")
    return any(span.start <= column < span.end and span.style == current for span in rendered.spans)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_key_and_quit_are_on_the_key_bar_of_every_screen_and_portfolio_tab(
    sandbox_home: Path, size: tuple[int, int]
) -> None:
    """Each screen's key with its name, the current one marked, «Песочница» in the header,
    and «^q Выход» on the key bar of every screen and every Портфолио tab: Портфолио's five
    keys once pushed it off its line at 80 columns, and at 60 every screen with three keys
    of its own did."""
    app = tui_app(sandbox_settings(sandbox_home))
    async with app.run_test(size=size) as pilot:
        await header_answered(pilot)
        for mode, (current_key, _label) in SCREENS.items():
            await app.switch_mode(mode)
            await wait_for(pilot, lambda: bool(app.screen.query(KeyBar)))
            await pilot.pause()
            bar = app.screen.query_one(KeyBar)
            screens_line, actions_line = bar.render().plain.split("\n")
            assert len(screens_line) <= size[0], screens_line
            for key, label in SCREENS.values():
                # Each key with a name: the narrowest labels are prefixes of the wider ones.
                assert f"{key} {label.rstrip('.')}" in screens_line, (mode, screens_line)
            for key in SCREENS.values():
                assert _current(bar, screens_line, key[0]) == (key[0] == current_key), mode
            assert "f1 Помощь" in actions_line
            header = app.screen.query_one(AccountHeader).render()
            assert "Песочница" in str(header), (mode, str(header))
            tabs = 4 if mode == "portfolio" else 1
            for tab in range(tabs):
                if tab:
                    await pilot.press("right")
                await pilot.pause()
                lines = app.screen.query_one(KeyBar).render().plain.split("\n")
                assert all(len(line) <= size[0] for line in lines), lines
                assert any("^q Выход" in line for line in lines), (mode, tab, lines)


async def test_a_click_on_a_screen_key_opens_that_screen(sandbox_home: Path) -> None:
    app = tui_app(sandbox_settings(sandbox_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        line = app.screen.query_one(KeyBar).render().plain.split("\n")[0]
        await pilot.click(KeyBar, offset=(line.index("f8 ") + 1, 0))
        await wait_for(pilot, lambda: app.current_mode == "readiness")


@pytest.fixture
def snapshot_home(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, seeded_sandbox: Path
) -> Iterator[Path]:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    time.tzset()
    home = SNAPSHOT_HOME / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(seeded_sandbox, home, symlinks=True)
    yield home
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("theme", ["default", NAME])
@pytest.mark.parametrize("mode", ["applications", "profile"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_screen_keys_and_the_sandbox_marker(
    snap_compare: Callable[..., bool],
    snapshot_home: Path,
    size: tuple[int, int],
    mode: str,
    theme: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        if theme != "default":
            pilot.app.theme = theme
        await header_answered(pilot)
        await pilot.app.switch_mode(mode)
        await quiet(pilot)
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    app = tui_app(sandbox_settings(snapshot_home))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_hours_bar_measures_against_the_rule_in_force(sandbox_home: Path) -> None:
    """Against the 144 hours the rule asks for (rules.json «hours_total»), not against every
    hour ever recorded."""
    from textual.widgets import TabbedContent

    from frmr.model.readiness.rules import load_rules
    from tests.tui.support import screen_text

    required = load_rules().value("hours_total")
    app = tui_app(sandbox_settings(sandbox_home))
    async with app.run_test(size=(120, 40)) as pilot:
        await header_answered(pilot)
        await app.switch_mode("portfolio")
        # The hours are on «Образовательная часть», made as it is first shown.
        app.screen.query_one("#portfolio-tabs", TabbedContent).active = "educational"
        await wait_for(pilot, lambda: "в зачёт: " in screen_text(pilot))
        assert f" из {required} (всего" in screen_text(pilot)
