"""What stands between a draft and a legal, valid e-invoice (Abby's finalizeRequirements and
warnings): blocking problems refuse finalization, warnings only say what a careful issuer adds.

The blocking rules are those of French law and of EN 16931 that our data can break: the seller's
identity; the legal reason of a line without VAT; the VAT numbers that reverse charge and intra-EU
supplies need; the buyer's address between businesses; and between French businesses, whose
e-invoices the platforms check against the French rules (BR-FR), the nature of the operation, French
VAT rates and quantities of 4 decimals at most. Warnings follow the mentions of the 2026 reform: the
buyer's SIREN between French businesses, the nature of the operation, and the date of delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invoicing.domain.e_invoicing import FRENCH_VAT_RATES, processing_rule
from invoicing.domain.model import AnyDocument
from invoicing.domain.parts import Seller
from invoicing.domain.vat import default_category

QUANTITY_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Problem:
    code: str
    field: str | None
    message: str


def _french_rules(document: AnyDocument) -> list[Problem]:
    """What an e-invoice between French businesses states that EN 16931 leaves free (BR-FR)."""
    problems = []
    for position, line in enumerate(document.lines):
        if line.kind != "item":
            continue
        if line.vat_rate is not None and line.vat_rate not in FRENCH_VAT_RATES:
            problems.append(
                Problem(
                    "vat_rate_not_french",
                    f"lines[{position}].vat_rate",
                    f"a French e-invoice states a French VAT rate (20, 10, 5.5, 2.1; 13, 8.5, 1.75, 1.05, "
                    f"0.9 in Corsica and overseas): {line.vat_rate} is not one (BR-FR-16)",
                )
            )
        if line.quantity != line.quantity.quantize(QUANTITY_PLACES):
            problems.append(
                Problem(
                    "quantity_too_precise",
                    f"lines[{position}].quantity",
                    "send a quantity with at most 4 decimals: an e-invoice states no more (BR-FR-DEC-02)",
                )
            )
    return problems


_ADDRESS_REQUIRED = Problem(
    "buyer_address_missing",
    "customer.address",
    "send the customer's address (customer.address: line1, postal_code, city, country): an e-invoice "
    "to a business or abroad gives the buyer's address (EN 16931 BR-10)",
)
_ADDRESS_ADVISED = Problem(
    "buyer_address_missing",
    "customer.address",
    "without the customer's address (customer.address), the e-invoice takes the buyer's country as France",
)


@dataclass(frozen=True)
class Check:
    blocking: list[Problem]
    warnings: list[Problem]

    @property
    def finalizable(self) -> bool:
        return not self.blocking


def _categories(document: AnyDocument) -> set[str]:
    return {
        line.vat_category or default_category(line.vat_rate)
        for line in document.lines
        if line.kind == "item" and line.vat_rate is not None
    }


def check_document(document: AnyDocument, seller: Seller | None) -> Check:
    blocking: list[Problem] = []
    warnings: list[Problem] = []
    customer = document.customer
    categories = _categories(document)
    # A quote is checked as the e-invoices it becomes (its deposits, its final invoice): what they
    # would be refused, it is refused now, before the customer signs it.
    e_invoice = document.kind.e_invoice or document.kind.resource == "quotes"
    # Between French businesses the e-invoice goes through the platforms, which refuse what breaks
    # the French rules (BR-FR): those problems block it here first.
    e_invoiced = processing_rule(customer, e_invoice=e_invoice) == "B2B"
    if e_invoiced:
        blocking += _french_rules(document)
    if seller is None:
        blocking.append(
            Problem(
                "seller_identity_missing",
                "settings.seller",
                "set the seller's legal identity (name, address, SIREN) with PUT /v1/settings",
            )
        )
    if "E" in categories and not document.vat_exemption:
        blocking.append(
            Problem(
                "vat_exemption_missing",
                "vat_exemption",
                "a line without VAT needs the legal reason on the document, e.g. 'TVA non applicable, "
                "art. 293 B du CGI'",
            )
        )
    if categories & {"AE", "K"} and not customer.vat_number:
        blocking.append(
            Problem(
                "buyer_vat_number_missing",
                "customer.vat_number",
                "reverse charge and intra-EU supplies name the buyer's VAT number",
            )
        )
    if seller is not None and not seller.vat_number and categories & {"S", "AE", "K", "G"}:
        blocking.append(
            Problem(
                "seller_vat_number_missing",
                "settings.seller.vat_number",
                "an invoice with VAT (or reverse charge, or an exempt supply abroad) names the seller's "
                "VAT number (EN 16931 BR-S-02); a seller under the franchise en base invoices at 0 % with "
                "the art. 293 B mention",
            )
        )
    if document.kind.e_invoice and document.currency != "EUR" and document.exchange_rate is None:
        blocking.append(
            Problem(
                "exchange_rate_missing",
                "exchange_rate",
                f"an invoice in {document.currency} also gives its VAT in euros: give the exchange rate",
            )
        )
    if "K" in categories and document.delivery_date is None:
        blocking.append(
            Problem(
                "delivery_date_missing", "delivery_date", "an intra-EU supply of goods is dated (BR-IC-11)"
            )
        )
    if e_invoice and customer.address is None:
        required = customer.is_business or bool(categories & {"AE", "K", "G"})
        (blocking if required else warnings).append(_ADDRESS_REQUIRED if required else _ADDRESS_ADVISED)
    if customer.vat_number and customer.vat_number.startswith("FR") and not customer.siren:
        warnings.append(
            Problem(
                "buyer_siren_missing",
                "customer.siren",
                "between French businesses, the buyer's SIREN is a mandatory mention from September 2026",
            )
        )
    if e_invoice and document.operation_nature is None:
        problem = Problem(
            "operation_nature_missing",
            "operation_nature",
            "send operation_nature (goods, services or mixed): a mandatory mention from September 2026, "
            "and what an e-invoice's billing framework (BT-23) is made of",
        )
        (blocking if e_invoiced else warnings).append(problem)
    if document.kind.e_invoice and document.delivery_date is None and "K" not in categories:
        warnings.append(
            Problem(
                "delivery_date_missing",
                "delivery_date",
                "the date of delivery or of the end of the service is a mandatory mention when it differs "
                "from the issue date",
            )
        )
    return Check(blocking, warnings)
