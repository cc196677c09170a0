"""The local gateway reads routes from the template, evaluates authorizer policies and times out as
AWS does."""

import threading
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from devserver import gateway
from devserver.gateway import _allows
from devserver.template import Template

ARN = "arn:aws:execute-api:eu-west-3:123456789012:local/api/GET/v1/invoices/inv_1"
TEMPLATE = Template.load(Path(__file__).resolve().parents[3] / "template.yaml")


def policy(*statements: tuple[str, str | list[str]]) -> dict:
    return {
        "policyDocument": {
            "Statement": [{"Effect": e, "Action": "execute-api:Invoke", "Resource": r} for e, r in statements]
        }
    }


@pytest.mark.parametrize(
    ("statements", "allowed"),
    [
        ([("Allow", "arn:aws:execute-api:eu-west-3:123456789012:local/api/*/*")], True),
        ([("Allow", ["arn:aws:execute-api:eu-west-3:123456789012:local/api/GET/v1/invoices/*"])], True),
        ([("Allow", "arn:aws:execute-api:eu-west-3:123456789012:local/api/POST/*")], False),
        ([("Allow", "arn:aws:execute-api:*"), ("Deny", "arn:aws:execute-api:*/GET/*")], False),
        ([], False),
    ],
)
def test_policies_allow_only_what_they_name_and_an_explicit_deny_wins(statements, allowed):
    assert _allows(policy(*statements), ARN) is allowed


def test_every_route_of_the_template_is_served_by_a_function_it_declares():
    routes = {(route.method, route.resource): route for route in TEMPLATE.routes}
    assert set(routes) == {
        ("POST", "/v1/invoices"),
        ("GET", "/v1/invoices"),
        ("PATCH", "/v1/invoices/{invoice_id}"),
        ("DELETE", "/v1/invoices/{invoice_id}"),
        ("POST", "/v1/invoices/{invoice_id}/convert"),
        ("POST", "/v1/invoices/{invoice_id}/payments"),
        ("POST", "/v1/invoices/{invoice_id}/credit-notes"),
        ("POST", "/v1/customers"),
        ("GET", "/v1/customers"),
        ("GET", "/v1/customers/{customer_id}"),
        ("PATCH", "/v1/customers/{customer_id}"),
        ("DELETE", "/v1/invoices/{invoice_id}/payments/{payment_id}"),
        ("GET", "/v1/invoices/{invoice_id}"),
        ("POST", "/v1/invoices/{invoice_id}/finalize"),
        ("GET", "/v1/invoices/{invoice_id}/download"),
        ("GET", "/v1/settings"),
        ("GET", "/v1/docs"),
        ("POST", "/v1/api-keys"),
        ("GET", "/v1/api-keys"),
        ("GET", "/v1/api-keys/{key_id}"),
        ("DELETE", "/v1/api-keys/{key_id}"),
        ("PUT", "/v1/settings"),
        ("GET", "/v1/openapi.json"),
        ("POST", "/v1/quotes"),
        ("GET", "/v1/quotes"),
        ("GET", "/v1/quotes/{quote_id}"),
        ("PATCH", "/v1/quotes/{quote_id}"),
        ("DELETE", "/v1/quotes/{quote_id}"),
        ("POST", "/v1/quotes/{quote_id}/finalize"),
        ("GET", "/v1/quotes/{quote_id}/download"),
        ("POST", "/v1/quotes/{quote_id}/accept"),
        ("POST", "/v1/quotes/{quote_id}/decline"),
        ("POST", "/v1/quotes/{quote_id}/invoice"),
        ("GET", "/v1/exports/fec"),
        ("GET", "/v1/invoices/{invoice_id}/finalize-check"),
        ("POST", "/v1/webhook-endpoints"),
        ("GET", "/v1/webhook-endpoints"),
        ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"),
        ("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries"),
        ("POST", "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry"),
        ("POST", "/v1/webhooks/{provider}/{endpoint_id}"),
        ("PUT", "/v1/e-invoicing/platform"),
        ("GET", "/v1/e-invoicing/platform"),
        ("DELETE", "/v1/e-invoicing/platform"),
        ("POST", "/v1/e-invoicing/callbacks/{connection_id}"),
        ("GET", "/v1/e-reporting/periods"),
        ("GET", "/v1/e-reporting/periods/{period_id}"),
        ("GET", "/v1/e-reporting/periods/{period_id}/download"),
        ("POST", "/v1/e-reporting/periods/{period_id}/transmit"),
    }
    public = {
        "/v1/openapi.json",
        "/v1/docs",
        "/v1/webhooks/{provider}/{endpoint_id}",
        "/v1/e-invoicing/callbacks/{connection_id}",
    }  # a signature authenticates webhooks and the platform's callbacks
    assert not any(routes[key].authorized for key in routes if key[1] in public)
    assert all(route.authorized for key, route in routes.items() if key[1] not in public)
    assert (
        routes[("GET", "/v1/invoices/{invoice_id}")].pattern.match("/v1/invoices/inv_1")["invoice_id"]
        == "inv_1"
    )
    assert not routes[("GET", "/v1/invoices/{invoice_id}")].pattern.match("/v1/invoices/a/b")


def test_function_environments_come_from_globals_and_the_function():
    create = TEMPLATE.function("CreateInvoiceFunction")
    assert create.handler == "app.handler"
    assert create.timeout == 29
    assert {"TABLE_NAME", "DOCUMENTS_BUCKET", "IDEMPOTENCY_TABLE", "POWERTOOLS_SERVICE_NAME"} <= set(
        create.environment
    )
    assert "IDEMPOTENCY_TABLE" not in TEMPLATE.function("ReadApiFunction").environment


class SlowPool:
    """A function that answers once released; the authorizer's pool allows every key."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.finished = threading.Event()

    def invoke(self, event: dict[str, Any], started: threading.Event | None = None) -> Any:
        if started is not None:
            started.set()
        if event.get("type") == "REQUEST":
            return {
                "principalId": "tenant",
                "policyDocument": {"Statement": [{"Effect": "Allow", "Resource": [event["methodArn"]]}]},
                "context": {"tenant_id": "t"},
            }
        self.release.wait(timeout=10)
        self.finished.set()
        return {"statusCode": 200, "body": "{}"}


def test_a_function_past_the_integration_timeout_gets_a_504_and_runs_on(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(gateway, "INTEGRATION_TIMEOUT_SECONDS", 0.2)
    pool = SlowPool()
    local = gateway.Gateway(TEMPLATE, dict.fromkeys(_functions(), pool), "eu-west-3")
    request = Request(
        EnvironBuilder(path="/v1/invoices", headers={"Authorization": "Bearer k"}).get_environ()
    )

    response = local.handle(request)

    assert response.status_code == 504
    assert response.json is not None
    assert response.json["error"]["code"] == "gateway_timeout"
    assert not pool.finished.is_set()
    pool.release.set()
    assert pool.finished.wait(timeout=5)  # as on AWS, the function is not stopped by the gateway


def _functions() -> list[str]:
    return [route.function for route in TEMPLATE.routes] + [TEMPLATE.authorizer()[0]]
