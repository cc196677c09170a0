"""Finalized documents built through the domain alone, as the e-invoice and rendering tests need
them: a seller, a French business buyer, and a finalized invoice of any content."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from invoicing.domain.documents import draft_document, freeze
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.parts import Seller

NOW = datetime(2026, 11, 21, tzinfo=UTC)
ISSUED = date(2026, 11, 21)
SELLER = Seller.model_validate(
    {
        "name": "Atelier Durand SAS",
        "legal_form": "SAS",
        "siren": "552100554",
        "vat_number": "FR96552100554",
        "email": "factures@atelier-durand.example",
        "address": {"line1": "4 place Bellecour", "postal_code": "69002", "city": "Lyon"},
    }
)
BUYER = {
    "name": "Librairie Martin SARL",
    "siren": "732829320",
    "vat_number": "FR44732829320",
    "address": {"line1": "12 rue des Écoles", "postal_code": "75005", "city": "Paris"},
}
EXEMPT = "TVA non applicable, art. 293 B du CGI"


def line(title: str, price: str, rate: str, **fields: Any) -> dict[str, Any]:
    return {"title": title, "unit_price": price, "vat_rate": rate} | fields


def finalized(
    number: str = "F2026-00001", *, seller: Seller = SELLER, issued: date = ISSUED, **fields: Any
) -> Document:
    """An invoice of a service at 20 % to BUYER, issued by `seller` on `issued`, with `fields` changed."""
    body = {
        "customer": BUYER,
        "payment_terms": "30",
        "operation_nature": "services",
        "lines": [line("Conseil", "100", "20")],
    }
    draft = draft_document(
        DocumentContent.model_validate(body | fields), document_id=f"inv_{number}", now=NOW
    )
    return freeze(draft, seller=seller, number=number, issue_date=issued, default_terms="30", now=NOW)
