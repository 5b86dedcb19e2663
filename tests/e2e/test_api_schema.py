"""schemathesis against the OpenAPI schema, once per role: generated requests to every
operation never get a server error, and every answer matches the schema (status code
documented, content type, body shape). Kept small (a few examples per operation and role) so
it runs in well under two minutes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api import City, api_client, build_city, every_role

EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class World:
    city: City
    app: FastAPI
    headers: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[World]:
    city = build_city(module_database_url)
    client = api_client(city)
    headers = every_role(city, client).headers
    yield World(city=city, app=client.app, headers=headers)  # type: ignore[arg-type]
    city.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(world: World) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", world.app)


def _check_operation(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.mark.parametrize(
    "role", ["parent_a", "parent_b", "coord_own", "coord_other", "manager", "anon"]
)
@pytest.mark.slow
def test_every_answer_matches_the_schema_and_none_is_a_server_error(
    api_schema: schemathesis.BaseSchema, world: World, role: str
) -> None:
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        try:
            _check_operation(operation, world.headers[role])
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:800]}")
    assert failures == [], "\n\n".join(failures)
