"""DynamoDB and S3 calls per operation, counted with botocore's event hooks on the real handlers.

The handlers run in-process against moto, with the sample events of events/ (as the handler
tests do); counts do not depend on the machine, so they need no baseline.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.support.lambdas import (
    SELLER_SETTINGS,
    Api,
    counting_aws_calls,
    moto_resources,
    new_tenant,
    pay,
    sample_event,
    use_moto_environment,
)
from tests.support.shop_events import shopify_order
from tests.support.webhooks import create_endpoint, deliver, process_queue

INVOICE = json.loads(sample_event("create_invoice")["body"])
QUOTE = json.loads(sample_event("create_quote")["body"])
SHOP_SECRET = "shpss_bench_calls_secret"
ORIGINAL = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()


def _quote_operations(api: Api) -> list[tuple[str, Callable[[], object]]]:
    """Each step keeps the ids the next ones need, as a client would."""
    ids: dict[str, str] = {}

    def keep(name: str, response: Any) -> None:
        ids[name] = response.json()["id"]

    return [
        (
            "create a quote with finalize: true",
            lambda: keep("quote", api.quotes("POST", body=QUOTE | {"finalize": True})),
        ),
        ("accept a quote", lambda: api.quotes("POST", f"/{ids['quote']}/accept")),
        (
            "make a 30 % deposit of it",
            lambda: keep(
                "deposit", api.quotes("POST", f"/{ids['quote']}/invoice", body={"deposit_percent": "30"})
            ),
        ),
        ("finalize the deposit", lambda: api.finalize(ids["deposit"])),
        (
            "make the final invoice of the quote",
            lambda: keep("final", api.quotes("POST", f"/{ids['quote']}/invoice")),
        ),
        ("finalize it, deducting 1 deposit", lambda: api.finalize(ids["final"])),
        (
            "import an external invoice (base64 PDF)",
            lambda: api.create(
                INVOICE
                | {
                    "type": "external",
                    "external_ref": "EXT-1",
                    "issue_date": "2026-01-05",
                    "file": {"content_base64": ORIGINAL},
                },
                headers={},
            ),
        ),
    ]


def _shop_operations(api: Api) -> list[tuple[str, Callable[[], object]]]:
    """A Shopify order as the shop delivers it, then as the processor makes it a paid invoice."""
    endpoint = create_endpoint(api, "shopify", SHOP_SECRET)
    order = shopify_order(7001, [("Tasse", 2, "14.90", "0.2", "0")], taxes_included=True)
    headers = {"X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "calls-1"}
    return [
        (
            "receive a shop delivery (signed, recorded, queued)",
            lambda: deliver(endpoint, order, secret=SHOP_SECRET, headers=headers),
        ),
        (
            "make it a paid invoice (the queue's processor)",
            lambda: process_queue(os.environ["WEBHOOK_QUEUE_URL"]),
        ),
    ]


def _describe(calls: Counter[str]) -> str:
    return ", ".join(f"{name.split('.')[1]} {count}" for name, count in sorted(calls.items()))


def measure() -> list[tuple[str, str, str, str]]:
    rows = []
    use_moto_environment()
    with moto_resources():
        api = Api(new_tenant())
        api.put_settings(json.loads(SELLER_SETTINGS))
        api.finalize(api.create(INVOICE, headers={}).json()["id"])  # the series exists, the caches are warm
        draft_id = api.create(INVOICE, headers={}).json()["id"]
        final_id = api.create(INVOICE, headers={}).json()["id"]
        doomed_id = api.create(INVOICE, headers={}).json()["id"]
        today = datetime.now(UTC).date().isoformat()
        operations: list[tuple[str, Callable[[], object]]] = [
            ("create a draft", lambda: api.create(INVOICE, headers={})),
            ("create with Idempotency-Key", lambda: api.create(INVOICE, headers={"Idempotency-Key": "b-1"})),
            ("replay of that key", lambda: api.create(INVOICE, headers={"Idempotency-Key": "b-1"})),
            ("create with finalize: true", lambda: api.create({**INVOICE, "finalize": True}, headers={})),
            ("finalize a draft", lambda: api.finalize(final_id)),
            ("read a finalized invoice", lambda: api.read(final_id)),
            ("download a finalized PDF", lambda: api.download(final_id, format="pdf")),
            ("download it in the other locale, first time", lambda: api.download(final_id, locale="en")),
            ("download a draft preview", lambda: api.download(draft_id)),
            ("change a draft (PATCH)", lambda: api.update(draft_id, {"title": "Changed"})),
            ("delete a draft", lambda: api.delete(doomed_id)),
            ("list 20 invoices", api.list),
            ("record a payment", lambda: pay(api, final_id, "10.00", date=today)),
            (
                "issue a credit note for one line",
                lambda: api.credit(final_id, {"reason": "x", "lines": [{"index": 0}]}),
            ),
        ]
        operations += _quote_operations(api)
        operations += _shop_operations(api)
        for name, action in operations:
            with counting_aws_calls() as calls:
                action()
            dynamodb = sum(n for op, n in calls.items() if op.startswith("dynamodb"))
            s3 = sum(n for op, n in calls.items() if op.startswith("s3"))
            rows.append((f"AWS calls: {name}", f"{dynamodb} DynamoDB, {s3} S3", "", _describe(calls)))
    return rows
