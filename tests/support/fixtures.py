"""Fixtures the daemon and sync suites share: one seeded registry per worker, a fresh world
with a demo account of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.registry_process import RegistryProcess
from tests.support.world import World, make_world

_SHARED = pytest.StashKey[RegistryProcess]()


@pytest.fixture(scope="module")
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> RegistryProcess:
    """The worker's registry, started by the first module that asks and stopped when the
    session ends: a start costs about a second of CPU. Each module finds it serving and
    without faults, whatever the module before did; each world logs in as a person of its
    own (World), so no test sees another's data."""
    running = request.config.stash.get(_SHARED, None)
    if running is None:
        running = RegistryProcess(tmp_path_factory.mktemp("registry"))
        running.start()
        request.config.add_cleanup(running.stop)
        running.seed_demo()
        request.config.stash[_SHARED] = running
    running.ensure_running()
    running.clear_faults()
    return running


@pytest.fixture
def world(
    registry: RegistryProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    registry.clear_faults()
    made = make_world(registry, tmp_path / "home", monkeypatch)
    yield made
    made.account.close()
