"""A Shopify endpoint of a tenant on the local stack, its deliveries signed as Shopify signs them, and
the documents they become a moment later."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from invoicing.shops.signatures import sign_base64_hmac
from tests.support.http import Client

SECRET = "shpss_integration_secret"


def endpoint_for(client: Client) -> dict[str, Any]:
    response = client.request("POST", "/v1/webhook-endpoints", json={"provider": "shopify", "secret": SECRET})
    assert response.status_code == 201, response.text
    return dict(response.json())


def post_delivery(endpoint: dict[str, Any], payload: dict[str, Any], topic: str, delivery_id: str) -> int:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Webhook-Id": delivery_id,
        "X-Shopify-Hmac-Sha256": sign_base64_hmac(body, SECRET),
    }
    return requests.post(endpoint["url"], data=body, headers=headers, timeout=30).status_code


def documents_when(client: Client, ready: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The tenant's documents once `ready(documents)` holds; the processor works asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        documents = client.request("GET", "/v1/invoices", params={"limit": 100}).json()["data"]
        if ready(documents) or time.monotonic() > deadline:
            return list(documents)
        time.sleep(0.2)
