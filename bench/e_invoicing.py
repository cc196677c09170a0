"""E-invoicing through the local platform: finalizing for a tenant connected to its platform
against one that is not (the deposit is asynchronous, so the answer should not wait on it), and
the e-invoices the platform function deposits per second against the rate they are finalized."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from bench.api import _latency_row
from bench.stats import timed
from devserver.stack import LocalStack
from tests.support.http import Client, new_client

SAMPLES = 40
WRITERS = 8
DEPOSITED = 40


def _connected(stack: LocalStack) -> Client:
    client = new_client(stack)
    client_id, secret = stack.platform.register_client()
    url = stack.platform.url
    body = {"url": url, "token_url": f"{url}/oauth/token", "client_id": client_id, "client_secret": secret}
    assert client.request("PUT", "/v1/e-invoicing/platform", json=body).status_code == 200
    return client


def _finalize(client: Client, count: int) -> tuple[list[str], float]:
    with ThreadPoolExecutor(WRITERS) as pool:
        ids = list(pool.map(lambda _: client.draft_id(), range(count)))
        start = time.perf_counter()
        list(pool.map(client.finalize_as_clients_do, ids))
    return ids, time.perf_counter() - start


def _finalize_latency(client: Client) -> list[float]:
    pending = iter([client.draft_id() for _ in range(SAMPLES)])
    return timed(lambda: client.finalize(next(pending)), SAMPLES)


def measure(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    alone, connected = new_client(stack), _connected(stack)
    baseline = _finalize_latency(alone)
    # The request path alone: the deposits wait meanwhile (the platform is down), since on this
    # machine they would otherwise share its 2 cores with the requests measured.
    stack.platform.down = True
    held = _finalize_latency(connected)
    stack.platform.down = False
    side_by_side = _finalize_latency(connected)
    ids, finalizing = _finalize(connected, DEPOSITED)
    start = time.perf_counter() - finalizing
    deadline = time.monotonic() + 300
    remaining = set(ids)
    while remaining and time.monotonic() < deadline:
        remaining = {
            i
            for i in remaining
            if connected.request("GET", f"/v1/invoices/{i}").json()["e_invoicing"]["status"] != "deposited"
        }
        time.sleep(0.2)
    assert not remaining, f"{len(remaining)} e-invoices were not deposited within 300 s"
    deposits = DEPOSITED / (time.perf_counter() - start)
    finalized = DEPOSITED / finalizing
    return [
        _latency_row("POST /v1/invoices/{id}/finalize, no platform connected (baseline)", baseline, baseline),
        _latency_row("the same, platform connected, its deposits held", held, baseline),
        _latency_row(
            "the same, deposits (and the platform's checks) on the same 2 cores", side_by_side, baseline
        ),
        (
            f"B2B invoices finalized, {WRITERS} writers (baseline)",
            f"{finalized:.1f} /s",
            "1.00",
            f"{DEPOSITED} invoices",
        ),
        (
            "the same e-invoices deposited on the local platform, until all are deposited",
            f"{deposits:.1f} /s",
            f"{deposits / finalized:.2f}",
            "from the first finalize to the last acknowledgement heard (validation included)",
        ),
    ]
