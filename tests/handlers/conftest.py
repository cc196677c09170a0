"""Fixtures of the handler tests: the template's resources in moto, a tenant ready to finalize, and
AWS calls counted or made to fail (the handlers and events themselves are in tests/support)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from invoicing.adapters import aws as clients
from tests.support.lambdas import (
    SELLER_SETTINGS,
    Api,
    counting_aws_calls,
    moto_resources,
    new_tenant,
    use_moto_environment,
)


def pytest_configure() -> None:
    use_moto_environment()


@pytest.fixture
def aws() -> Iterator[dict[str, str]]:
    with moto_resources() as names:
        yield names


@pytest.fixture
def api(aws: dict[str, str]) -> Api:
    """A tenant with its seller identity set, ready to finalize."""
    client = Api(new_tenant())
    assert client.put_settings(json.loads(SELLER_SETTINGS)).status == 200
    return client


@pytest.fixture
def aws_calls() -> Iterator[Counter[str]]:
    with counting_aws_calls() as calls:
        yield calls


@pytest.fixture
def inject_failure() -> Iterator[Callable[..., None]]:
    """Make the nth next call of an operation fail, before it reaches AWS ('before') or after ('after')."""
    registered: list[tuple[Any, str, str]] = []

    def fail(operation: str, when: str = "before", nth: int = 1, error: dict[str, Any] | None = None) -> None:
        service, name = operation.split(".")
        emitter = (clients.dynamodb() if service == "dynamodb" else clients.s3()).meta.events
        event_name = f"{when}-call.{service}.{name}"
        unique_id = f"fail-{operation}-{when}"
        seen = [0]

        def raise_once(**_: Any) -> None:
            seen[0] += 1
            if seen[0] < nth:
                return
            emitter.unregister(event_name, unique_id=unique_id)
            raise ClientError(
                error or {"Error": {"Code": "InternalServerError", "Message": "injected"}}, name
            )

        emitter.register(event_name, raise_once, unique_id=unique_id)
        registered.append((emitter, event_name, unique_id))

    yield fail
    for emitter, event_name, unique_id in registered:
        emitter.unregister(event_name, unique_id=unique_id)
