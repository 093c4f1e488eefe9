"""Fixtures the daemon and sync suites share: one seeded registry per module, a fresh world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.registry_process import RegistryProcess, registry_process
from tests.support.world import World, make_world


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryProcess]:
    with registry_process(tmp_path_factory.mktemp("registry")) as running:
        running.seed_demo()
        yield running


@pytest.fixture
def world(
    registry: RegistryProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    registry.clear_faults()
    made = make_world(registry, tmp_path / "home", monkeypatch)
    yield made
    made.account.close()
