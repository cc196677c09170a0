"""A tenant's HTTP client on the local stack, as a shop's back office would hold it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from devserver.stack import LocalStack
from invoicing.services.tenants import create_tenant

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = json.loads(json.loads((ROOT / "events" / "replace_settings.json").read_text())["body"])
INVOICE = json.loads(json.loads((ROOT / "events" / "create_invoice.json").read_text())["body"])


class Client:
    """A tenant's API client, as a shop's back office would hold it."""

    def __init__(self, base_url: str, api_key: str | None, tenant_id: str | None = None) -> None:
        self.base_url = base_url
        self.tenant_id = tenant_id
        self.session = requests.Session()
        self.session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=32))
        if api_key is not None:
            self.session.headers["Authorization"] = f"Bearer {api_key}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, f"{self.base_url}{path}", **kwargs)

    def create(self, body: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.request("POST", "/v1/invoices", json=body, **kwargs)

    def finalize(self, invoice_id: str) -> requests.Response:
        return self.request("POST", f"/v1/invoices/{invoice_id}/finalize")

    def finalize_as_clients_do(self, invoice_id: str) -> tuple[str, int]:
        """Finalize, retrying a 503 after its Retry-After and a gateway's 504 as the contract asks; a 409
        after a retry means the earlier attempt went through. The number and how many retries it took."""
        for attempt in range(5):
            response = self.finalize(invoice_id)
            if response.status_code == 200:
                return str(response.json()["number"]), attempt
            if response.status_code == 409 and attempt > 0:
                return str(self.request("GET", f"/v1/invoices/{invoice_id}").json()["number"]), attempt
            assert response.status_code in (503, 504), response.text
            time.sleep(float(response.headers.get("Retry-After", "1")))
        raise AssertionError(f"{invoice_id} was not finalized after 5 attempts")

    def draft_id(self, **fields: Any) -> str:
        response = self.create({**INVOICE, **fields})
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


def new_client(stack: LocalStack, *, with_settings: bool = True) -> Client:
    tenant = create_tenant(stack.dependencies().tenants, "Test SAS")
    client = Client(stack.url, tenant.api_key, tenant.tenant_id)
    if with_settings:
        assert client.request("PUT", "/v1/settings", json=SETTINGS).status_code == 200
    return client


def wait_for(check: Callable[[], Any], seconds: float = 30) -> Any:
    """What `check` returns once it is truthy: the local stack's consumers work asynchronously."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")
