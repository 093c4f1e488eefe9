"""Fixtures every test package shares: a private FRMR_HOME, an open account, sample files."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import load_settings
from tests.support.sshd import sshd
from tests.support.store_template import make_template, use_template

__all__ = ["account", "frmr_home", "sshd", "store_template"]

# Test packages by their tests' usual length, longest first (the real-process stories before
# all): with `--dist worksteal` the workers start the long tests early and end the run on
# short ones, instead of one worker finishing an 80-second story while the others wait.
# Within a package the order stays as collected, so a module's tests stay together.
_LONG_FIRST = ("tui", "sync", "cli", "daemon", "registry")


def _length_rank(item: pytest.Item) -> tuple[bool, int]:
    package = Path(str(item.path)).relative_to(Path(__file__).parent).parts[0]
    rank = _LONG_FIRST.index(package) if package in _LONG_FIRST else len(_LONG_FIRST)
    return item.get_closest_marker("real_process") is None, rank


@pytest.hookimpl(trylast=True)  # after pytest grouped the tests by their fixtures' params
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_length_rank)


# Collection imports frmr, Textual, SQLAlchemy and Hypothesis and builds 1,500 test items:
# ~150,000 objects that live to the end of the run. The cyclic collector is paused while they
# are made (its full passes over them cost a worker ~0.3 s of CPU), one collection then frees
# whatever cycles collection left, and the rest is frozen out of its sight, as the TUI does
# with its loads (tui/heap.py). The collections during the tests, and pytest's five at the
# end that look for unraisable exceptions, then scan only the objects the tests made.
@pytest.hookimpl(wrapper=True)
def pytest_collection() -> Iterator[object]:
    gc.disable()
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()
        gc.enable()


def pytest_configure(config: pytest.Config) -> None:
    # An xdist worker's basetemp is a folder of the run's: what one worker makes for the
    # others is kept beside them (tests/support/certificates.py), and goes with the run's
    # temporary folders.
    if os.environ.get("PYTEST_XDIST_WORKER") and config.option.basetemp:
        os.environ["FRMR_TEST_RUN_FOLDER"] = str(Path(config.option.basetemp).parent)


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store per worker migrated by the real migrations, closed: what new stores copy."""
    return make_template(tmp_path_factory.mktemp("store-template") / "home")


@pytest.fixture(autouse=True)
def _new_stores_from_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker("store_migrations") is None:
        use_template(request.getfixturevalue("store_template"), monkeypatch)


@pytest.fixture
def frmr_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("FRMR_HOME", str(home))
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    return home


@pytest.fixture
def account(frmr_home: Path) -> Iterator[Account]:
    acc = open_account(load_settings())
    yield acc
    acc.close()
