"""GET /v1/exports/fec over real documents: the year's finalized documents only, each entry
balanced, and the customers' account equal to what the invoices and credit notes say."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from decimal import Decimal

from invoicing.domain.fec import COLUMNS
from tests.support.lambdas import Api, api_event, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
PDF = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()


def export(api: Api, year: str):
    event = api_event("list_invoices", tenant=api.tenant, query={"year": year})
    event |= {"resource": "/v1/exports/fec", "path": "/v1/exports/fec"}
    return api.call("read_api", event)


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_the_years_books_balance_and_match_the_documents(api: Api):
    last_year = api.create(INVOICE | {"finalize": True, "issue_date": "2025-12-30"}, headers={}).json()
    invoices = [api.create(INVOICE | {"finalize": True}, headers={}).json() for _ in range(3)]
    note = api.credit(
        invoices[0]["id"], {"reason": "Retour", "lines": [{"index": 1, "quantity": "1"}]}
    ).json()
    imported = api.create(
        INVOICE
        | {
            "type": "external",
            "external_ref": "EXT-9",
            "issue_date": "2026-02-01",
            "file": {"content_base64": PDF},
        },
        headers={},
    ).json()
    api.create(INVOICE, headers={})  # a draft: not in the books
    year = invoices[0]["issue_date"][:4]

    response = export(api, year)
    assert response.status == 200, response.text
    assert response.headers["content-disposition"] == f'attachment; filename="552100554FEC{year}1231.txt"'
    rows = [line.split("\t") for line in response.text.split("\r\n") if line]
    assert rows[0] == list(COLUMNS)
    lines = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]

    pieces = {line["PieceRef"] for line in lines}
    assert pieces == {*(invoice["number"] for invoice in invoices), note["number"], imported["number"]}
    assert last_year["number"] not in pieces
    balance: dict[str, Decimal] = defaultdict(Decimal)
    receivable = Decimal(0)
    for line in lines:
        balance[line["EcritureNum"]] += amount(line["Debit"]) - amount(line["Credit"])
        if line["CompteNum"] == "411000":
            receivable += amount(line["Debit"]) - amount(line["Credit"])
    assert set(balance.values()) == {Decimal(0)}
    assert sorted(balance, key=int) == [str(n) for n in range(1, len(pieces) + 1)]
    invoiced = sum(Decimal(document["totals"]["total_incl_tax"]) for document in [*invoices, imported])
    assert receivable == invoiced - Decimal(note["totals"]["total_incl_tax"])


def test_a_year_is_required_and_bounded(api: Api):
    assert export(api, "1999").status == 422
    assert export(api, "twenty").status == 422
