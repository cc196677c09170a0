"""Concurrent finalizations over HTTP: consecutive numbers, no gap and no duplicate."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.support.http import INVOICE, Client

YEAR = datetime.now(ZoneInfo("Europe/Paris")).year
DRAFTS = 200
WRITERS = 16


def test_200_drafts_finalized_by_16_writers_get_consecutive_numbers(client: Client):
    with ThreadPoolExecutor(WRITERS) as pool:
        ids = list(pool.map(lambda _: client.draft_id(), range(DRAFTS)))
        answers = list(pool.map(client.finalize_as_clients_do, ids))
    numbers = sorted(number for number, _ in answers)
    assert numbers == [f"F{YEAR}-{n:05d}" for n in range(1, DRAFTS + 1)]
    # Each invoice holds the number it was answered with.
    with ThreadPoolExecutor(WRITERS) as pool:
        reads = list(pool.map(lambda i: client.request("GET", f"/v1/invoices/{i}").json()["number"], ids))
    assert reads == [number for number, _ in answers]


def test_one_draft_finalized_16_times_at_once_takes_one_number(client: Client):
    invoice_id = client.draft_id()
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = list(pool.map(lambda _: client.finalize(invoice_id), range(WRITERS)))
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 409}
    # One number is taken. A request that reads the invoice between its commit and the end of its
    # rendering finishes that rendering (the retry path after a failure) and answers that same
    # number with a 200; every other one is a 409.
    assert {r.json()["number"] for r in responses if r.status_code == 200} == {f"F{YEAR}-00001"}
    assert client.finalize(client.draft_id()).json()["number"] == f"F{YEAR}-00002"


def test_concurrent_duplicates_of_one_idempotency_key_make_one_invoice(client: Client):
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = list(
            pool.map(lambda _: client.create(INVOICE, headers={"Idempotency-Key": "burst-1"}), range(WRITERS))
        )
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    assert statuses[201] >= 1
    ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(ids) == 1
    conflicts = [r.json()["error"]["code"] for r in responses if r.status_code == 409]
    assert set(conflicts) <= {"idempotency_in_progress"}
