"""Fixtures of the HTTP tests: the local stack (gateway, authorizer, function environments, moto),
started once for the session, and a tenant's client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devserver.demo import create_demo_tenant
from devserver.stack import LocalStack
from tests.support.http import Client, new_client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One xdist worker runs them all, so the session starts one stack."""
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.xdist_group("local-stack"))


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    local = LocalStack(port=0)
    local.start()
    yield local
    local.stop()


@pytest.fixture(scope="session")
def demo_key(stack: LocalStack) -> str:
    """The demo tenant of `make serve`, the one the sample events name: its API key."""
    return create_demo_tenant(stack)


@pytest.fixture
def client(stack: LocalStack) -> Client:
    return new_client(stack)


@pytest.fixture
def connected(client: Client, stack: LocalStack) -> Client:
    """A tenant with the local approved platform connected; `platform_client` is its OAuth2 client."""
    client_id, secret = stack.platform.register_client()
    platform = stack.platform.url
    body = {
        "url": platform,
        "token_url": f"{platform}/oauth/token",
        "client_id": client_id,
        "client_secret": secret,
    }
    connection = client.request("PUT", "/v1/e-invoicing/platform", json=body)
    assert connection.status_code == 200, connection.text
    client.platform_client = client_id  # type: ignore[attr-defined]
    return client
