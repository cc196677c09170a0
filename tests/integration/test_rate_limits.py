"""Rate limits over HTTP: an API key past its limit is answered 429 with Retry-After, before any
function runs; other keys and the shops' deliveries go on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from devserver.stack import LocalStack
from tests.support.http import Client, new_client


def test_a_key_past_its_limit_gets_429_and_others_go_on(client: Client, stack: LocalStack):
    (rule,) = stack.template.rate_rules()
    # Requests on no route cost no function call, and count all the same: WAF counts before routing.
    # The client's fixture sent one already (its settings).
    with ThreadPoolExecutor(4) as pool:
        sent = list(
            pool.map(lambda _: client.request("GET", "/v1/nowhere").status_code, range(rule.limit - 1))
        )
    assert set(sent) == {404}

    refused = client.request("GET", "/v1/settings")
    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in refused.json()["error"]["message"]

    assert new_client(stack).request("GET", "/v1/settings").status_code == 200, "another tenant goes on"
    unsigned = Client(stack.url, None).request("POST", "/v1/webhooks/stripe/whk_unknown", data=b"{}")
    assert unsigned.status_code != 429, "a shop's delivery carries no key and is not counted"
