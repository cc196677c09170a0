"""Quotes: decided once within their validity, invoiced by deposits that add up to the quote."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Quote, QuoteContent
from invoicing.domain.parts import QuoteInvoice, Seller
from invoicing.domain.quotes import check_decision, deposit_from_quote, invoice_from_quote, is_expired

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SELLER = Seller.model_validate(
    {"name": "Atelier SAS", "siren": "552100554", "address": {"line1": "1", "postal_code": "1", "city": "L"}}
)


def quote(*prices: str, language: str = "en") -> Quote:
    content = QuoteContent.model_validate(
        {
            "language": language,
            "customer": {"name": "ACME"},
            "lines": [
                {"title": f"Part {n}", "unit_price": price, "vat_rate": "20"}
                for n, price in enumerate(prices)
            ],
        }
    )
    draft = draft_document(content, document_id="quo_1", now=NOW)
    final = freeze(
        draft, seller=SELLER, number="D1", issue_date=date(2026, 11, 1), default_terms="30", now=NOW
    )
    return final.model_copy(update={"status": "accepted"})


def test_a_finalized_quote_is_valid_30_days_by_default_and_has_no_due_date():
    final = quote("100")
    assert (final.valid_until, final.due_date) == (date(2026, 12, 1), None)
    opened = final.model_copy(update={"status": "open"})
    assert not is_expired(opened, date(2026, 12, 1))
    assert is_expired(opened, date(2026, 12, 2))
    with pytest.raises(StateConflict) as refused:
        check_decision(opened, "accepted", date(2026, 12, 2))
    assert refused.value.code == "quote_expired"
    check_decision(opened, "declined", date(2026, 12, 2))


def test_deposits_round_on_the_cumulated_percentage_so_they_add_up_to_the_quote():
    accepted = quote("100.01")  # half of 100.01 is 50.005: the two halves are 50.01 and 50.00
    first, link = deposit_from_quote(accepted, Decimal(50), document_id="inv_a", now=NOW)
    assert (first.lines[0].unit_price, first.lines[0].title) == (
        Decimal("50.01"),
        "Deposit of 50% on quote D1",
    )
    accepted = accepted.model_copy(update={"invoices": [link]})
    second, _ = deposit_from_quote(accepted, Decimal(50), document_id="inv_b", now=NOW)
    assert second.lines[0].unit_price == Decimal("50.00")
    with pytest.raises(InvalidDocument) as refused:
        deposit_from_quote(accepted, Decimal("50.01"), document_id="inv_c", now=NOW)
    assert refused.value.field == "deposit_percent"


def test_the_final_invoice_names_the_quote_and_its_deposits():
    accepted = quote("100").model_copy(
        update={
            "invoices": [
                QuoteInvoice(id="inv_a", type="deposit", deposit_percent=Decimal(30), created_at=NOW)
            ]
        }
    )
    invoice, link = invoice_from_quote(accepted, document_id="inv_f", now=NOW)
    assert (invoice.type, invoice.deposit_ids, invoice.quote.number, invoice.valid_until) == (
        "invoice",
        ["inv_a"],
        "D1",
        None,
    )
    assert link == QuoteInvoice(id="inv_f", type="invoice", created_at=NOW)
    with pytest.raises(StateConflict) as refused:
        invoice_from_quote(accepted.model_copy(update={"status": "invoiced"}), document_id="x", now=NOW)
    assert refused.value.code == "quote_invoiced"
