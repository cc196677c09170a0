"""The 2026 reform on a document: which flow it takes, and its life once issued.

From 1 September 2026 (2027 for small companies) an invoice between French businesses is an
e-invoice that the seller's approved platform carries to the buyer's; what goes to consumers or
abroad is e-reported instead. The flow a document takes is its processing rule, as the AFNOR
XP Z12-013 Flow Service names them; its lifecycle statuses are those of the reform's status
messages (CDAR, XP Z12-012), kept with what each said.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal, NamedTuple

from pydantic import Field

from invoicing.domain.base import Contract
from invoicing.domain.fields import Name
from invoicing.domain.parts import Customer, OperationNature

ProcessingRule = Literal["B2B", "B2BInt", "B2C", "OutOfScope"]
# The flows that are e-reported rather than e-invoiced.
REPORTED_RULES: Final[frozenset[ProcessingRule]] = frozenset({"B2C", "B2BInt"})
LifecycleStatus = Literal[
    "pending", "deposited", "rejected", "refused", "approved", "disputed", "collected", "reported"
]

# The status codes of the reform's lifecycle (XP Z12-012), for what we say and what we are told.
STATUS_CODES: Final[dict[LifecycleStatus, str]] = {
    "deposited": "200",
    "approved": "205",
    "disputed": "207",
    "refused": "210",
    "collected": "212",
    "rejected": "213",
}
STATUS_OF_CODE: Final[dict[str, LifecycleStatus]] = {code: status for status, code in STATUS_CODES.items()}
# The value of the BAR note that says the flow in the e-invoice itself (FNFE-MPE, BR-FR-20).
BAR_TREATMENTS: Final[dict[ProcessingRule, str]] = {
    "B2B": "B2B",
    "B2BInt": "B2BINT",
    "B2C": "B2C",
    "OutOfScope": "OUTOFSCOPE",
}
_NATURE_LETTERS: Final[dict[OperationNature, str]] = {"goods": "B", "services": "S", "mixed": "M"}
# The VAT rates a French e-invoice may state (BR-FR-16): mainland, Corsica, the overseas
# departments, and the rates of earlier years.
FRENCH_VAT_RATES: Final = frozenset(
    Decimal(rate)
    for rate in (
        "0",
        "20",
        "10",
        "5.5",
        "2.1",
        "13",
        "8.5",
        "1.75",
        "1.05",
        "0.9",
        "19.6",
        "7",
        "20.6",
        "9.2",
        "9.6",
    )
)


class CollectedAmount(Contract):
    vat_rate: Decimal
    amount: Decimal = Field(description="Collected at this rate, VAT included.")


class StatusEntry(Contract):
    """One step of a document's life on the platforms: who said what, when."""

    id: str = Field(description="Unique per document: the platform's flow, or ours for what we said.")
    status: LifecycleStatus
    at: datetime
    reason: Name | None = None
    amounts: list[CollectedAmount] = Field(
        default_factory=list, description="For collected: what was paid, per VAT rate."
    )


class ReceivedStatus(NamedTuple):
    """What a status message from the buyer's side says of one of the seller's invoices: its number
    and issue date, the status code and the reason given."""

    number: str
    issue_date: date | None
    code: str
    reason: str | None


class EInvoicing(Contract):
    processing_rule: ProcessingRule = Field(
        description="B2B: e-invoiced through the seller's platform; B2BInt (a foreign business) and B2C "
        "(a consumer): e-reported; OutOfScope: neither."
    )
    status: LifecycleStatus | None = Field(
        default=None,
        description="The last status of an e-invoiced (B2B) document; reported for an e-reported one once "
        "its period went to the platform.",
    )
    period_id: str | None = Field(
        default=None, description="The e-reporting period that reported the document (B2C, B2BInt)."
    )
    flow_id: str | None = Field(default=None, description="The platform's id of the e-invoice's flow.")
    history: list[StatusEntry] = Field(default_factory=list)


def is_french_business(customer: Customer) -> bool:
    """A business established in France: it has a SIREN (given, or read from its SIRET or VAT number)."""
    return customer.is_business and customer.french_siren is not None


def processing_rule(customer: Customer, *, e_invoice: bool) -> ProcessingRule:
    """The flow of a document the seller (a French company) issues to `customer`."""
    if not e_invoice:
        return "OutOfScope"
    if not customer.is_business:
        return "B2C"
    return "B2B" if is_french_business(customer) else "B2BInt"


def billing_framework(nature: OperationNature | None, *, deducts_deposits: bool) -> str | None:
    """The billing framework (BT-23, cadre de facturation): the nature of the operation (B goods,
    S services, M both) and its situation (4 a final invoice after deposit invoices, 1 otherwise,
    deposit invoices and credit notes included)."""
    letter = _NATURE_LETTERS.get(nature) if nature else None
    if letter is None:
        return None
    return f"{letter}{'4' if deducts_deposits else '1'}"


def is_taxed_on_receipts(nature: OperationNature | None, *, vat_on_debits: bool) -> bool:
    """VAT on services falls due when they are paid, unless the seller opted for debits: the seller
    then tells the buyer's platform what it collected (status 212)."""
    return nature == "services" and not vat_on_debits
