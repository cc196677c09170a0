"""E-invoicing through the local approved platform, over HTTP as a tenant would: connected once,
each e-invoice to a French business deposited after its finalization answered, the platform's and
the buyer's statuses heard back, the collected status sent, and nothing lost or doubled while the
platform is down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from devserver.stack import LocalStack
from tests.support.http import INVOICE, Client, wait_for

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


@pytest.fixture
def platform_up(stack: LocalStack) -> Iterator[None]:
    yield
    stack.platform.down = False


def lifecycle(client: Client, invoice_id: str) -> dict[str, Any]:
    return client.request("GET", f"/v1/invoices/{invoice_id}").json()["e_invoicing"]


def status_becomes(client: Client, invoice_id: str, status: str) -> dict[str, Any]:
    return wait_for(lambda: (reform := lifecycle(client, invoice_id))["status"] == status and reform)


def test_the_connection_is_read_back_without_its_secret_and_a_wrong_one_is_refused(client: Client, stack):
    client_id, secret = stack.platform.register_client()
    body = {
        "url": stack.platform.url,
        "token_url": f"{stack.platform.url}/oauth/token",
        "client_id": client_id,
        "client_secret": "not-the-secret",
    }
    refused = client.request("PUT", "/v1/e-invoicing/platform", json=body)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "client_secret"
    assert client.request("GET", "/v1/e-invoicing/platform").status_code == 404
    connected = client.request(
        "PUT", "/v1/e-invoicing/platform", json=body | {"client_secret": secret}
    ).json()
    read = client.request("GET", "/v1/e-invoicing/platform").json()
    assert read == connected
    assert secret not in str(read)
    assert read["callback_url"].endswith(f"/v1/e-invoicing/callbacks/{read['connection_id']}")
    unsigned = requests.post(read["callback_url"].replace("/api/", "/"), json={"flowId": "x"}, timeout=10)
    assert unsigned.status_code == 401


def test_a_b2b_invoice_is_deposited_and_a_consumers_never_is(connected: Client, stack):
    b2b = connected.create({**INVOICE, "finalize": True}).json()
    b2c = connected.create({**INVOICE, "customer": {"name": "Jeanne Martin"}, "finalize": True}).json()
    assert (b2b["e_invoicing"]["status"], b2c["e_invoicing"]["processing_rule"]) == ("pending", "B2C")

    deposited = status_becomes(connected, b2b["id"], "deposited")
    flows = stack.platform.received(connected.platform_client)  # type: ignore[attr-defined]
    assert [flow.info["trackingId"] for flow in flows] == [b2b["id"]]
    (flow,) = flows
    assert (flow.info["flowSyntax"], flow.info["processingRule"]) == ("Factur-X", "B2B")
    assert deposited["flow_id"] == flow.id
    assert lifecycle(connected, b2c["id"])["status"] is None


def test_paying_a_services_invoice_sends_its_collected_status(connected: Client, stack):
    invoice = connected.create({**INVOICE, "operation_nature": "services", "finalize": True}).json()
    status_becomes(connected, invoice["id"], "deposited")
    connected.request(
        "POST", f"/v1/invoices/{invoice['id']}/payments", json={"amount": "50.00", "date": TODAY}
    )
    reform = lifecycle(connected, invoice["id"])
    assert reform["status"] == "collected"
    assert reform["history"][-1]["amounts"] == [
        {"vat_rate": "20", "amount": "31.35"},
        {"vat_rate": "5.5", "amount": "18.65"},
    ]

    def status_flow() -> Any:
        flows = stack.platform.received(connected.platform_client)  # type: ignore[attr-defined]
        return [
            flow
            for flow in flows
            if flow.info["flowSyntax"] == "CDAR" and flow.info["acknowledgement"]["status"] != "Pending"
        ]

    (sent,) = wait_for(status_flow)
    assert sent.info["acknowledgement"] == {"status": "Ok"}, "the platform's CDAR and CDV checks pass"
    assert b"<ram:ProcessConditionCode>212</ram:ProcessConditionCode>" in sent.file


def test_a_buyers_refusal_shows_on_the_invoice(connected: Client, stack):
    invoice = connected.create({**INVOICE, "finalize": True}).json()
    flow_id = status_becomes(connected, invoice["id"], "deposited")["flow_id"]
    decided = requests.post(
        f"{stack.platform.url}/admin/flows/{flow_id}/refuse",
        json={"reason": "Prix non conforme au devis"},
        timeout=10,
    )
    assert decided.status_code == 201, decided.text
    refused = status_becomes(connected, invoice["id"], "refused")
    assert refused["history"][-1]["reason"] == "Prix non conforme au devis"
    assert connected.request("GET", f"/v1/invoices/{invoice['id']}").json()["status"] == "open"


def test_with_the_platform_down_finalizing_answers_and_the_deposit_goes_once_it_is_back(
    connected: Client, stack, platform_up
):
    stack.platform.down = True
    started = time.monotonic()
    invoice = connected.create({**INVOICE, "finalize": True}).json()
    assert time.monotonic() - started < 10, "finalizing does not wait on the platform"
    assert invoice["status"] == "open"
    time.sleep(3)  # the deposit is tried, and fails, meanwhile
    assert lifecycle(connected, invoice["id"])["status"] == "pending"
    stack.platform.down = False
    status_becomes(connected, invoice["id"], "deposited")
    time.sleep(2)
    flows = stack.platform.received(connected.platform_client)  # type: ignore[attr-defined]
    assert [flow.info["trackingId"] for flow in flows] == [invoice["id"]]
