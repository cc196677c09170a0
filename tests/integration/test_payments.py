"""Concurrent payments over HTTP: none is lost and the invoice never collects more than its total."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.support.http import Client

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
WRITERS = 16


def test_16_concurrent_payments_all_land_and_none_overshoots(client: Client):
    invoice_id = client.draft_id()
    assert client.finalize(invoice_id).status_code == 200  # 95.49 due

    def pay(amount: str) -> int:
        response = client.request(
            "POST",
            f"/v1/invoices/{invoice_id}/payments",
            json={"amount": amount, "date": TODAY, "method": "card"},
        )
        return response.status_code

    # 16 payments of 5.00 fit (80.00); then 16 more of 5.00 race for the 15.49 left: 3 fit.
    with ThreadPoolExecutor(WRITERS) as pool:
        first = Counter(pool.map(pay, ["5.00"] * WRITERS))
        second = Counter(pool.map(pay, ["5.00"] * WRITERS))
    assert first == {201: WRITERS}
    assert second == {201: 3, 422: WRITERS - 3}
    invoice = client.request("GET", f"/v1/invoices/{invoice_id}").json()
    paid = sum(Decimal(payment["amount"]) for payment in invoice["payments"])
    assert len(invoice["payments"]) == WRITERS + 3
    assert paid == Decimal(invoice["totals"]["amount_paid"]) == Decimal("95.00")
    assert Decimal(invoice["totals"]["amount_due"]) == Decimal("0.49")
    assert invoice["status"] == "partially_paid"


def test_payments_and_credit_notes_racing_never_settle_more_than_the_total(client: Client):
    invoice_id = client.draft_id()
    assert client.finalize(invoice_id).status_code == 200  # 95.49: 49.90 at 20 %, books at 5.5 %

    def settle(n: int) -> int:
        if n % 2:
            return client.request(
                "POST",
                f"/v1/invoices/{invoice_id}/payments",
                json={"amount": "20.00", "date": TODAY, "method": "transfer"},
            ).status_code
        return client.request(
            "POST",
            f"/v1/invoices/{invoice_id}/credit-notes",
            json={"reason": "Geste commercial", "lines": [{"index": 1, "quantity": "1"}]},
        ).status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = Counter(pool.map(settle, range(WRITERS)))
    assert set(statuses) <= {201, 422}, statuses
    invoice = client.request("GET", f"/v1/invoices/{invoice_id}").json()
    paid = sum(Decimal(payment["amount"]) for payment in invoice["payments"])
    credited = sum(Decimal(note["amount"]) for note in invoice["credit_notes"])
    assert statuses[201] == len(invoice["payments"]) + len(invoice["credit_notes"])
    assert paid == Decimal(invoice["totals"]["amount_paid"])
    assert credited == Decimal(invoice["totals"]["amount_credited"])
    assert paid + credited + Decimal(invoice["totals"]["amount_due"]) == Decimal("95.49")
    assert Decimal(invoice["totals"]["amount_due"]) >= 0
    numbers = sorted(note["number"] for note in invoice["credit_notes"])
    assert numbers == [f"AV{numbers[0][2:6]}-{n:05d}" for n in range(1, len(numbers) + 1)]
