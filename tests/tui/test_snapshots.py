"""Every screen at 80×24 and 120×40, over a store whose ids, dates and home path never change;
the screens a doctor works in also in the 16-colour theme (TERM=screen)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from frmr.model.store.account import open_account
from frmr.tui.theme import NAME
from frmr.tui.widgets.collection import CollectionTable
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import header_answered, quiet, seeded_account, wait_for

# A fixed path, because the application's folder is shown on screen.
SNAPSHOT_HOME = Path("/tmp/frmr-tui-snapshots")
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store, made once: seeding cost each test more than half a second. Nothing
    in it names its folder, so a copy anywhere is the same store."""
    home = tmp_path_factory.mktemp("snapshot-store") / "home"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        with open_account(tui_settings(home)) as account:
            seeded_account(account)
    time.tzset()
    return home


def _snapshot_copy(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, store: Path
) -> Path:
    monkeypatch.setenv("TZ", "UTC")
    # A true-colour terminal whatever runs the tests: the 16-colour look is its own snapshot.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    time.tzset()
    # One folder per test and size, so parallel workers never share one.
    home = SNAPSHOT_HOME / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(store, home, symlinks=True)
    return home


@pytest.fixture
def snapshot_home(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, seeded_home: Path
) -> Iterator[Path]:
    yield _snapshot_copy(request, monkeypatch, seeded_home)
    monkeypatch.undo()
    time.tzset()


async def _no_blink(pilot: Pilot[None]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _on(
    mode: str, *keys: str, theme: str | None = None
) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        if theme is not None:
            pilot.app.theme = theme
        await header_answered(pilot)
        if mode:
            await pilot.app.switch_mode(mode)
        await pilot.press(*keys)
        await wait_for(
            pilot,
            lambda: all(t.spec is not None for t in pilot.app.screen.query(CollectionTable)),
        )
        await quiet(pilot)
        await _no_blink(pilot)

    return run_before


async def _report(pilot: Pilot[None]) -> None:
    await header_answered(pilot)
    await pilot.app.switch_mode("report")
    await wait_for(
        pilot, lambda: pilot.app.screen.query("#in-organization").first(Input).value != ""
    )
    await quiet(pilot)
    await _no_blink(pilot)


SCREENS = {
    "applications": _on(""),
    "new_application": _on("", "a"),
    "history": _on("", "down", "h"),
    "portfolio": _on("portfolio"),
    "portfolio_educational": _on("portfolio", "right"),
    "profile_card": _on("profile"),
    "documents": _on("documents"),
    "sync": _on("sync"),
    "help": _on("", "f1"),
    "report": _report,
}


# Where fields, focus, titles and tables meet the 16 colours.
SCREENS_16 = {
    "applications": _on("", theme=NAME),
    "new_application": _on("", "a", "down", theme=NAME),
    "portfolio": _on("portfolio", theme=NAME),
    "profile_card": _on("profile", "tab", "down", theme=NAME),
    "documents": _on("documents", theme=NAME),
    "help": _on("", "f1", theme=NAME),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS_16))
def test_screen_in_16_colours(
    snap_compare: Callable[..., bool], snapshot_home: Path, screen: str, size: tuple[int, int]
) -> None:
    app = tui_app(tui_settings(snapshot_home))
    assert snap_compare(app, terminal_size=size, run_before=SCREENS_16[screen])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    snap_compare: Callable[..., bool], snapshot_home: Path, screen: str, size: tuple[int, int]
) -> None:
    app = tui_app(tui_settings(snapshot_home))
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


def _with_additional_documents(home: Path) -> None:
    """Two library files, one named in each part of the portfolio."""
    from frmr.model.documents.library import import_file
    from frmr.model.portfolio.edits import add_row
    from tests.samples import make_pdf
    from tests.tui.support import freeze_times, predictable_ids

    with open_account(tui_settings(home)) as account, predictable_ids():
        sources = home.parent / f"{home.name}-files"
        sources.mkdir(exist_ok=True)
        for name, part in (
            ("Иванова М.П. трудовая книжка на 3 л.", "professional"),
            ("Иванова М.П. удостоверение о повышении квалификации на 1 л.", "educational"),
        ):
            pdf = make_pdf(sources / f"{name.split(' ', 2)[2]}.pdf", salt=name)
            document = import_file(account, pdf).document
            add_row(
                account,
                "additional-documents",
                {"name": name, "part": part, "document_id": document.id},
            )
        freeze_times(account)


ADDITIONAL = {
    "tab": _on("portfolio", "right", "right"),
    "form": _on("portfolio", "right", "right", "e"),
    "tab_16": _on("portfolio", "right", "right", theme=NAME),
}


@pytest.fixture(scope="module")
def additional_home(tmp_path_factory: pytest.TempPathFactory, seeded_home: Path) -> Path:
    """The seeded store with the two files, made once: like the seeded store, it names no
    folder of its own."""
    home = tmp_path_factory.mktemp("additional-store") / "home"
    shutil.copytree(seeded_home, home, symlinks=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        _with_additional_documents(home)
    time.tzset()
    return home


@pytest.fixture
def additional_snapshot_home(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, additional_home: Path
) -> Iterator[Path]:
    yield _snapshot_copy(request, monkeypatch, additional_home)
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("screen", list(ADDITIONAL))
def test_additional_documents_at_80x24(
    snap_compare: Callable[..., bool], additional_snapshot_home: Path, screen: str
) -> None:
    app = tui_app(tui_settings(additional_snapshot_home))
    assert snap_compare(app, terminal_size=(80, 24), run_before=ADDITIONAL[screen])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_login_screen(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    home = SNAPSHOT_HOME / f"login-{size[0]}x{size[1]}"
    shutil.rmtree(home, ignore_errors=True)
    app = tui_app(tui_settings(home), ask_login=True)

    async def run_before(pilot: Pilot[None]) -> None:
        await header_answered(pilot)
        await _no_blink(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
