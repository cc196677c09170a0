"""Quotes, deposits and imports over HTTP: the README's story, each transition allowed and refused,
and concurrent requests on one quote."""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
from pypdf import PdfReader

from tests.support.http import Client

ROOT = Path(__file__).resolve().parents[2]
QUOTE = json.loads(json.loads((ROOT / "events" / "create_quote.json").read_text())["body"])
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
WRITERS = 16


def post(client: Client, path: str, body: Any = None) -> requests.Response:
    return client.request("POST", path, json=body)


def quote_in(client: Client, state: str) -> str:
    """A quote brought to `state` (draft, open, accepted, declined or invoiced) by the API itself."""
    quote_id = str(post(client, "/v1/quotes", QUOTE).json()["id"])
    steps = {"open": ["finalize"], "accepted": ["finalize", "accept"], "declined": ["finalize", "decline"]}
    steps["invoiced"] = [*steps["accepted"], "invoice"]
    for step in steps.get(state, []):
        assert post(client, f"/v1/quotes/{quote_id}/{step}").status_code in {200, 201}
    return quote_id


def test_quote_to_deposit_to_final_invoice_to_payment_to_credit_note(client: Client):
    quote = post(client, "/v1/quotes", QUOTE | {"finalize": True}).json()
    assert quote["status"] == "open"
    pdf = requests.get(quote["links"]["pdf"], timeout=30)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"Devis N° {quote['number']}" in text
    assert "Bon pour accord" in text

    assert post(client, f"/v1/quotes/{quote['id']}/accept").json()["status"] == "accepted"
    deposit = post(client, f"/v1/quotes/{quote['id']}/invoice", {"deposit_percent": "30"}).json()
    deposit = client.finalize(deposit["id"]).json()
    assert (deposit["type"], deposit["totals"]["total_incl_tax"]) == ("deposit", "1116.00")
    paid = post(client, f"/v1/invoices/{deposit['id']}/payments", {"amount": "1116.00", "date": TODAY})
    assert paid.json()["status"] == "paid"

    final = post(client, f"/v1/quotes/{quote['id']}/invoice").json()
    final = client.finalize(final["id"]).json()
    assert (final["totals"]["total_incl_tax"], final["totals"]["amount_due"]) == ("3720.00", "2604.00")
    assert final["quote"]["number"] == quote["number"]
    text = (
        PdfReader(io.BytesIO(requests.get(final["links"]["pdf"], timeout=30).content)).pages[0].extract_text()
    )
    assert f"Acompte {deposit['number']}" in text
    assert f"Selon devis {quote['number']}" in text

    post(client, f"/v1/invoices/{final['id']}/payments", {"amount": "2000.00", "date": TODAY})
    note = post(
        client,
        f"/v1/invoices/{final['id']}/credit-notes",
        {"reason": "Formation annulée", "lines": [{"index": 1, "quantity": "1"}]},
    )
    assert (note.status_code, note.json()["totals"]["total_incl_tax"]) == (201, "420.00")
    settled = client.request("GET", f"/v1/invoices/{final['id']}").json()
    assert (settled["totals"]["amount_due"], settled["status"]) == ("184.00", "partially_paid")
    assert client.request("GET", f"/v1/quotes/{quote['id']}").json()["status"] == "invoiced"


TRANSITIONS = [
    # (state, method, action, body, expected status)
    ("draft", "PATCH", "", {"title": "Refonte v2"}, 200),
    ("draft", "POST", "/accept", None, 409),
    ("draft", "POST", "/decline", None, 409),
    ("draft", "POST", "/invoice", None, 409),
    ("draft", "POST", "/finalize", None, 200),
    ("draft", "DELETE", "", None, 204),
    ("open", "PATCH", "", {"title": "Refonte v2"}, 409),
    ("open", "DELETE", "", None, 409),
    ("open", "POST", "/finalize", None, 409),
    ("open", "POST", "/invoice", None, 409),
    ("open", "POST", "/accept", None, 200),
    ("open", "POST", "/decline", None, 200),
    ("accepted", "POST", "/accept", None, 409),
    ("accepted", "POST", "/decline", None, 409),
    ("accepted", "POST", "/invoice", {"deposit_percent": "40"}, 201),
    ("accepted", "POST", "/invoice", None, 201),
    ("declined", "POST", "/accept", None, 409),
    ("declined", "POST", "/invoice", None, 409),
    ("invoiced", "POST", "/invoice", None, 409),
    ("invoiced", "POST", "/invoice", {"deposit_percent": "10"}, 409),
    ("invoiced", "POST", "/decline", None, 409),
]


def test_each_quote_transition_allowed_and_refused(client: Client):
    outcomes = {}
    for state, method, action, body, _ in TRANSITIONS:
        quote_id = quote_in(client, state)
        response = client.request(method, f"/v1/quotes/{quote_id}{action}", json=body)
        outcomes[(state, method, action)] = response.status_code
        if response.status_code >= 400:
            assert response.json()["error"]["code"]
    assert outcomes == {(state, method, action): status for state, method, action, _, status in TRANSITIONS}


def test_16_requests_invoicing_one_quote_in_full_make_one_invoice(client: Client):
    quote_id = quote_in(client, "accepted")
    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = Counter(
            pool.map(lambda _: post(client, f"/v1/quotes/{quote_id}/invoice").status_code, range(WRITERS))
        )
    assert statuses == {201: 1, 409: WRITERS - 1}
    quote = client.request("GET", f"/v1/quotes/{quote_id}").json()
    assert [link["type"] for link in quote["invoices"]] == ["invoice"]
    listed = client.request("GET", "/v1/invoices", params={"limit": 100}).json()["data"]
    assert sum(1 for entry in listed if entry["id"] == quote["invoices"][0]["id"]) == 1


def test_16_concurrent_deposits_never_pass_100_percent(client: Client):
    quote_id = quote_in(client, "accepted")
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = list(
            pool.map(
                lambda _: post(client, f"/v1/quotes/{quote_id}/invoice", {"deposit_percent": "15"}),
                range(WRITERS),
            )
        )
    created = [response.json()["id"] for response in responses if response.status_code == 201]
    assert {response.status_code for response in responses} <= {201, 409, 422}
    quote = client.request("GET", f"/v1/quotes/{quote_id}").json()
    assert sorted(link["id"] for link in quote["invoices"]) == sorted(created)
    assert 1 <= len(created) <= 6  # 6 x 15 % = 90 %: a seventh would pass 100 %
    assert sum(Decimal(link["deposit_percent"]) for link in quote["invoices"]) <= 100


def test_accept_and_decline_racing_leave_one_decision(client: Client):
    quote_id = quote_in(client, "open")
    actions = ["accept", "decline"] * (WRITERS // 2)
    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = Counter(
            pool.map(lambda action: post(client, f"/v1/quotes/{quote_id}/{action}").status_code, actions)
        )
    assert statuses == {200: 1, 409: WRITERS - 1}


def test_an_imported_invoice_hands_back_its_original(client: Client):
    original = b"%PDF-1.4\n% issued by our previous tool\n%%EOF\n"
    imported = client.create(
        {
            "type": "external",
            "external_ref": "2025-118",
            "issue_date": "2025-11-30",
            "customer": {"name": "Librairie Martin SARL"},
            "lines": [{"title": "Abonnement", "unit_price": "100", "vat_rate": "20"}],
            "file": {"content_base64": base64.b64encode(original).decode()},
        }
    )
    assert imported.status_code == 201, imported.text
    document = imported.json()
    assert (document["number"], document["status"]) == ("2025-118", "open")
    download = requests.get(document["links"]["pdf"], timeout=30)
    assert download.content == original
    assert download.headers["Content-Disposition"] == 'attachment; filename="2025-118.pdf"'
