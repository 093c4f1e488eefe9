"""Schemathesis against the served /openapi.json: no 5xx, answers as the contract says."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SETTINGS = hypothesis.settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def schema(server):
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.fixture
def auth(make_person) -> dict[str, str]:
    return {"Authorization": make_person().client.headers["Authorization"]}


def test_stateless_no_server_errors_and_conforming_answers(schema, auth, server) -> None:
    operations = [
        result.ok() for result in schema.get_all_operations() if "/admin/" not in result.ok().path
    ]
    strategy = st.one_of(*(op.as_strategy() for op in operations))

    @SETTINGS
    @given(case=strategy)
    def run(case) -> None:
        case.call_and_validate(base_url=server.url, headers=auth, checks=CHECKS)

    run()


def test_stateful_no_server_errors_and_conforming_answers(schema, auth, server) -> None:
    workflow = schema.as_state_machine()

    class Workflow(workflow):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"base_url": server.url, "headers": auth}

        def validate_response(self, response, case, **kwargs) -> None:
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=hypothesis.settings(SETTINGS, max_examples=15, stateful_step_count=6))
