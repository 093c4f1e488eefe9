"""Fixtures every test package shares: a private FRMR_HOME, an open account, sample files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import load_settings
from tests.support.sshd import sshd
from tests.support.store_template import make_template, use_template

__all__ = ["account", "frmr_home", "sshd", "store_template"]


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
