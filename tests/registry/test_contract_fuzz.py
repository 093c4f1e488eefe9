"""Schemathesis with every check against the served contract (/openapi.json of a fresh
registry on loopback), logged in as the demo employee: no server error, and every answer,
header and refusal as the schema says.

Seeded and derandomized, a bounded number of examples, so the same run each time. The
settings that no schema can carry (state-dependent answers, the hooks that make a positive
case true beyond its schema) are in schemathesis.toml and contract_hooks.py beside this file;
the same two drive a longer run by hand:

    SCHEMATHESIS_HOOKS=tests/registry/contract_hooks.py FRMR_FUZZ_SNILS=11223344595 \\
    schemathesis --config-file tests/registry/schemathesis.toml run URL/openapi.json \\
        --checks all -H "Authorization: Bearer TOKEN" --exclude-path-regex /admin/ -n 100 --seed 1
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from frmr.contract.protocol import ADMIN_TOKEN, Paths
from frmr.registry.db import Database, make_engine
from frmr.registry.seed import DEMO_SNILS, seed_demo

from .conftest import ADMIN, PASSWORD, Server, start_server, stop_server

pytestmark = pytest.mark.real_process

HERE = Path(__file__).parent
SEED = 20261202
EXAMPLES = 4


@dataclass
class Outcome:
    expected: set[str] = field(default_factory=set)
    operations: set[str] = field(default_factory=set)
    phases: dict[str, float] = field(default_factory=dict)
    cases: int = 0
    checks: int = 0
    failures: list[str] = field(default_factory=list)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, str]]:
    """A fresh registry with the demo employee, and that employee's bearer token."""
    db_url = f"sqlite:///{tmp_path}/registry.db"
    server = start_server(db_url, tmp_path)
    try:
        db = Database(make_engine(db_url))
        with db.write() as session:
            seed_demo(session, PASSWORD)
        db.engine.dispose()
        answer = httpx.post(
            server.url + Paths.LOGIN, json={"login": DEMO_SNILS, "password": PASSWORD}
        )
        answer.raise_for_status()
        monkeypatch.setenv("FRMR_FUZZ_SNILS", DEMO_SNILS)
        from schemathesis.core.hooks import load_from_path

        load_from_path(str(HERE / "contract_hooks.py"))
        yield server, answer.json()["access_token"]
    finally:
        stop_server(server)


def fuzz(url: str, headers: dict[str, str], *, admin: bool) -> Outcome:
    # Imported here, not at the top: every worker of every run collects this module, and
    # schemathesis costs ~0.3 s of CPU to import; only this real-process story uses it.
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import Status, events, from_schema

    config = SchemathesisConfig.from_path(HERE / "schemathesis.toml")
    config.update(seed=SEED, max_failures=None)
    project = config.projects.override
    project.update(base_url=url, headers=headers, workers=1)
    project.generation.update(max_examples=EXAMPLES)
    project.checks.update(included_check_names=["all"])
    schema = schemathesis.openapi.from_url(url + "/openapi.json", config=config)
    # The admin operations inject faults into the others: they run on their own.
    # (include() does not narrow a loaded schema in this version; exclude() does.)
    schema = schema.exclude(path_regex="^(?!/api/v1/admin/)" if admin else "^/api/v1/admin/")
    outcome = Outcome()
    outcome.expected = {result.ok().label for result in schema.get_all_operations()}
    started: dict[str, float] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            started[event.phase.name.value] = event.timestamp
        if isinstance(event, events.PhaseFinished):
            name = event.phase.name.value
            outcome.phases[name] = round(event.timestamp - started[name], 1)
        if isinstance(event, events.FatalError | events.NonFatalError):
            outcome.failures.append(f"error: {event.info.format()}")
        if not isinstance(event, events.ScenarioFinished):
            continue
        outcome.operations.add(event.recorder.label)
        outcome.cases += len(event.recorder.cases)
        for case_id, nodes in event.recorder.checks.items():
            outcome.checks += len(nodes)
            case = event.recorder.cases[case_id].value
            for node in nodes:
                if node.status is Status.FAILURE and node.failure_info is not None:
                    failure = node.failure_info.failure
                    outcome.failures.append(
                        f"{case.method} {case.formatted_path} headers={case.headers} "
                        f"body={case.body!r:.300}: {failure.title}: {failure.message:.300}"
                    )
    return outcome


def test_the_registry_keeps_its_contract_under_fuzzing(registry: tuple[Server, str]) -> None:
    server, token = registry
    worker = fuzz(server.url, {"Authorization": f"Bearer {token}"}, admin=False)
    admin = fuzz(server.url, {ADMIN_TOKEN: ADMIN}, admin=True)
    assert not worker.failures + admin.failures, "\n".join(worker.failures + admin.failures)
    # Every operation was reached, with cases and checks behind it.
    print(f"worker: {worker.cases} cases, {worker.checks} checks, phases {worker.phases}")
    print(f"admin: {admin.cases} cases, {admin.checks} checks, phases {admin.phases}")
    assert worker.expected <= worker.operations and len(worker.expected) > 40
    assert admin.expected <= admin.operations and len(admin.expected) == 3
    assert worker.cases > len(worker.expected) * EXAMPLES and worker.checks > worker.cases
