"""TUI fixtures: an app over a private FRMR_HOME, and a real registry on loopback."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

from frmr.model.store.settings import Settings, load_settings
from frmr.tui.app import FrmrApp, make_app
from frmr.tui.heap import collect_less_often
from tests.support.registry_process import RegistryProcess, registry_process
from tests.tui.support import TODAY

_PARSED: dict[tuple[Any, ...], list[RuleSet]] = {}
# Each set of variables a stylesheet parsed with, numbered: the parse key holds the number,
# not the ~150 variables, which were sorted and hashed again on each of a test's thousands
# of parses.
_VARIABLE_SETS: dict[tuple[tuple[str, str], ...], int] = {}


def _variables_number(sheet: Stylesheet) -> int:
    """The number of the stylesheet's variables, worked out again only when they are
    replaced: Textual replaces the dict (set_variables, a new Stylesheet), never changes one."""
    known: tuple[dict[str, str], int] | None = sheet.__dict__.get("_frmr_variables")
    if known is None or known[0] is not sheet._variables:
        items = tuple(sorted(sheet._variables.items()))
        known = (sheet._variables, _VARIABLE_SETS.setdefault(items, len(_VARIABLE_SETS)))
        sheet.__dict__["_frmr_variables"] = known
    return known[1]


@pytest.fixture(scope="session", autouse=True)
def _css_parsed_once_per_worker() -> Iterator[None]:
    """Each app's stylesheet parses the same CSS (Textual's widgets', frmr's) again, and
    parses all of it anew whenever a mode's screen is first shown (`refresh_css` builds a
    fresh Stylesheet, so Textual's own cache, kept per Stylesheet, is empty): a third of a
    pilot test's CPU. The parse is a function of the CSS, where it was read from and the
    variables, so the worker keeps its result for every app; the rules are read, never
    changed, once parsed (Textual shares them the same way within one Stylesheet)."""
    parse = Stylesheet._parse_rules

    def parsed_once(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_number(self))
        if key not in _PARSED:
            _PARSED[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return _PARSED[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parsed_once)
        yield


@pytest.fixture(scope="session", autouse=True)
def _collector_as_in_frmr_tui() -> Iterator[None]:
    """The collector's thresholds frmr-tui runs with (`frmr-tui` sets them before the app
    starts; an app made by the tests is not started that way), for the worker's rest."""
    before = gc.get_threshold()
    collect_less_often()
    yield
    gc.set_threshold(*before)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryProcess]:
    with registry_process(tmp_path_factory.mktemp("registry")) as server:
        server.seed_demo()
        yield server


def tui_settings(home: Path, registry_url: str = "http://127.0.0.1:9") -> Settings:
    # Port 9 (discard) on loopback: a registry that is configured but never reached.
    return load_settings(home=home, registry_url=registry_url, runtime_dir=home / "run")


def tui_app(settings: Settings, *, ask_login: bool = False) -> FrmrApp:
    return make_app(settings, start_services=False, ask_login=ask_login, today=lambda: TODAY)


@pytest.fixture
def quick_store_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app looks for other processes' commits every 0.1 s instead of every second: a
    test that waits for the first poll (open_card) waits that much less; a poll does the same."""
    monkeypatch.setattr("frmr.tui.app.STORE_POLL_SECONDS", 0.1)


@pytest.fixture
def anyio_backend() -> str:
    # anyio's pytest plugin runs the async tests (pytest-asyncio is not a dependency).
    return "asyncio"
