"""A Hypothesis state machine over drop file / edit / submit / fault on / fault off / kill /
restart; invariants: no application twice at the registry, every dropped file accounted for
(imported or refused), the store intact — and at the end everything filed is delivered."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from frmr.model.documents.library import list_documents
from frmr.model.profile import card as profile
from tests.samples import ELF_HEAD, make_file, make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.registry_process import RegistryProcess
from tests.support.world import World, make_world

pytestmark = pytest.mark.real_process

_counter = itertools.count()


class DaemonMachine(RuleBasedStateMachine):
    registry: RegistryProcess
    base: Path
    monkeypatch: pytest.MonkeyPatch

    def __init__(self) -> None:
        super().__init__()
        home = self.base / f"home-{next(_counter)}"
        self.world: World = make_world(self.registry, home, self.monkeypatch)
        self.daemon = DaemonProcess(self.world.settings)
        self.daemon.start()
        self.good: list[str] = []
        self.bad: list[str] = []
        self.filed: list[str] = []

    @rule(size=st.integers(1_000, 200_000), good=st.booleans())
    def drop_file(self, size: int, good: bool) -> None:
        name = f"f{next(_counter)}.pdf"
        path = self.world.settings.documents_dir / name
        if good:
            make_pdf(path, size=size)
            self.good.append(name)
        else:
            make_file(path, ELF_HEAD, size)
            self.bad.append(name)

    @rule(city=st.sampled_from(["г. Москва", "г. Тверь", "г. Казань"]))
    def edit(self, city: str) -> None:
        profile.set_profile_field(self.world.account, "birth_place", city)

    @rule()
    def submit(self) -> None:
        self.filed.append(self.world.new_filed_application(next(_counter), files=0))

    @rule(rate=st.sampled_from([0.3, 0.6]))
    def fault_on(self, rate: float) -> None:
        self.registry.set_faults(error_rate=rate, drop_after_commit_rate=rate / 2)

    @rule()
    def fault_off(self) -> None:
        self.registry.clear_faults()

    @precondition(lambda self: self.daemon.process is not None)
    @rule()
    def kill_daemon(self) -> None:
        self.daemon.kill()
        self.daemon.process = None

    @precondition(lambda self: self.daemon.process is None)
    @rule()
    def restart(self) -> None:
        self.daemon.start()

    @invariant()
    def never_twice_at_the_registry(self) -> None:
        if self.filed:
            listed = Counter(a["id"] for a in self.registry.applications())
            assert all(listed[a] <= 1 for a in self.filed)

    def teardown(self) -> None:
        try:
            self.registry.clear_faults()
            if self.daemon.process is None:
                self.daemon.start()
            self.daemon.sync_now()
            wait_for(
                lambda: all(self.world.status_of(a) == "under_review" for a in self.filed),
                timeout=40,
            )
            wait_for(
                lambda: set(self.good) <= {d.file_name for d in list_documents(self.world.account)},
                timeout=20,
            )
            rejected = self.world.settings.documents_dir / "rejected"
            for name in self.bad:
                wait_for(lambda n=name: (rejected / n).exists(), timeout=20)
            listed = Counter(a["id"] for a in self.registry.applications())
            assert all(listed[a] == 1 for a in self.filed)
            assert self.world.account.store.integrity_check() == ["ok"]
        finally:
            self.daemon.kill()
            self.world.account.close()


def test_daemon_state_machine(
    registry: RegistryProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    DaemonMachine.registry = registry
    DaemonMachine.base = tmp_path
    DaemonMachine.monkeypatch = monkeypatch
    run_state_machine_as_test(
        DaemonMachine,
        settings=settings(
            max_examples=3,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
