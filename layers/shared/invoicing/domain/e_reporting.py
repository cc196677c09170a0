"""E-reporting (flux 10 of the reform, AIFE external specifications, annex 6): what a seller tells
the tax administration, through its platform, of the sales that are not e-invoiced.

- 10.3, sales to consumers (B2C), aggregated: per day, currency, category and VAT rate, the taxable
  base, the VAT and the number of transactions; a credit note nets into the day it is issued.
- 10.1, sales to businesses established abroad (B2BInt): one record per invoice.
- 10.4 and 10.2, for services taxed on receipts: what was collected, per day and VAT rate
  (aggregated for consumers, per invoice for businesses abroad).

A document's share of a period is computed here once, from the document alone; the store adds it
to its day's totals exactly once (`Contribution.key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal, NamedTuple

from pydantic import Field

from invoicing.domain.base import Contract
from invoicing.domain.e_invoicing import FRENCH_VAT_RATES, CollectedAmount, is_taxed_on_receipts
from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.fields import Name
from invoicing.domain.lifecycle import collected_amounts
from invoicing.domain.model import Document
from invoicing.domain.money import minor_unit, round_money
from invoicing.domain.parts import Payment, PricedLine, VatAmount
from invoicing.domain.reporting_calendar import Period, ReportKind, period_of
from invoicing.domain.totals import allocate
from invoicing.domain.vat import VatCategory, exemption

# TLB1 goods and TPS1 services taxed in France, TNT1 what is not taxable in France (exports,
# intra-EU supplies and distance sales taxed in the buyer's country, reverse charge, exemptions),
# TMA1 the margin scheme.
ReportCategory = Literal["TLB1", "TPS1", "TNT1", "TMA1"]
ReportedRule = Literal["B2C", "B2BInt"]
PeriodStatus = Literal["open", "closed", "transmitted", "accepted", "rejected"]
TransmissionStatus = Literal["transmitted", "accepted", "rejected"]
REPORT_CATEGORIES: Final[tuple[ReportCategory, ...]] = ("TLB1", "TPS1", "TNT1", "TMA1")
_TAXED_IN_FRANCE: Final = frozenset({"S", "Z"})


class TransactionRow(NamedTuple):
    """One day's consumer sales in a currency, category and VAT rate (10.3)."""

    day: date
    currency: str
    category: ReportCategory
    vat_rate: Decimal
    base: Decimal
    vat: Decimal
    documents: int  # how many transactions (invoices and credit notes)


class PaymentRow(NamedTuple):
    """What consumers paid one day in a currency at a VAT rate, VAT included (10.4)."""

    day: date
    currency: str
    vat_rate: Decimal
    amount: Decimal
    payments: int


class TaxSubtotal(Contract):
    category: VatCategory
    vat_rate: Decimal
    base: Decimal
    vat: Decimal
    exemption_code: str | None = None
    exemption_reason: Name | None = None


class ReportedInvoice(Contract):
    """An invoice (or credit note) to a business established abroad, as 10.1 reports it."""

    document_id: str
    number: str
    issue_date: date
    type_code: str
    currency: str
    due_date: date | None = None
    buyer_name: Name
    buyer_vat_number: str | None = None
    buyer_country: str
    delivery_date: date | None = None
    category: ReportCategory
    total_excl_tax: Decimal
    total_vat: Decimal
    subtotals: list[TaxSubtotal]


class ReportedPayment(Contract):
    """A payment of an invoice of services to a business established abroad (10.2)."""

    document_id: str
    number: str
    issue_date: date
    paid_on: date
    currency: str
    amounts: list[CollectedAmount]


Record = ReportedInvoice | ReportedPayment


class Contribution(NamedTuple):
    """A document's (or one payment's) share of a period: added to it once, under `key`."""

    key: str
    period: Period
    rows: tuple[TransactionRow | PaymentRow, ...] = ()
    record: Record | None = None


class Transmission(Contract):
    """One sending of a period to the platform: the first (IN) or a corrective one (RE)."""

    id: str = Field(description="The tracking id the platform knows it by.")
    type_code: Literal["IN", "RE"]
    revision: int = Field(description="How many documents the period had taken in when it was sent.")
    at: datetime
    status: TransmissionStatus
    flow_id: str | None = None
    reasons: list[str] = Field(default_factory=list)


class PeriodState(NamedTuple):
    """A period as stored: its bounds, how many contributions it took in, and its transmissions."""

    period: Period
    revision: int = 0
    closed_at: datetime | None = None
    transmissions: tuple[Transmission, ...] = ()

    @property
    def status(self) -> PeriodStatus:
        if self.transmissions:
            return self.transmissions[-1].status
        return "closed" if self.closed_at is not None else "open"

    @property
    def transmitted_revision(self) -> int | None:
        return self.transmissions[-1].revision if self.transmissions else None

    @property
    def needs_transmission(self) -> bool:
        """Closed, and holding what no transmission has sent yet (a first one, or a corrective)."""
        if self.closed_at is None:
            return False
        last = self.transmitted_revision
        return self.revision > 0 and (last is None or self.revision > last)


class PeriodContent(NamedTuple):
    """What a period holds, as its report states it."""

    transactions: tuple[TransactionRow, ...] = ()
    invoices: tuple[ReportedInvoice, ...] = ()
    payments: tuple[PaymentRow, ...] = ()
    paid_invoices: tuple[ReportedPayment, ...] = ()


def reported_rule(document: Document) -> ReportedRule | None:
    """Whether a finalized document is e-reported, and as what."""
    rule = document.e_invoicing.processing_rule if document.e_invoicing else None
    if document.is_draft or document.issue_date is None or document.seller is None:
        return None
    return rule if rule in ("B2C", "B2BInt") else None


def _period(document: Document, kind: ReportKind, day: date) -> Period:
    if document.seller is None:
        raise BrokenInvariant("document.seller is missing")
    return period_of(document.seller.vat_regime, kind, day)


def transactions_contribution(document: Document) -> Contribution | None:
    """A finalized e-reported document's share of its issue date's transactions period."""
    rule = reported_rule(document)
    if rule is None or document.issue_date is None:
        return None
    period = _period(document, "transactions", document.issue_date)
    if rule == "B2BInt":
        return Contribution(document.id, period, record=reported_invoice(document))
    return Contribution(document.id, period, rows=tuple(transaction_rows(document)))


def payment_contribution(document: Document, payment: Payment) -> Contribution | None:
    """A payment's share of its month's payments period: only for services taxed on receipts, and
    only what was received (a refund recorded as a payment is not a collection)."""
    rule = reported_rule(document)
    seller = document.seller
    if rule is None or seller is None or payment.amount <= 0 or document.kind.credit:
        return None
    if not is_taxed_on_receipts(document.operation_nature, vat_on_debits=seller.vat_on_debits):
        return None
    amounts = collected_amounts(document.totals.vat, payment.amount, document.currency)
    period = _period(document, "payments", payment.date)
    key = f"{document.id}:{payment.id}"
    if rule == "B2BInt":
        number, issue_date = document.issued()
        record = ReportedPayment(
            document_id=document.id,
            number=number,
            issue_date=issue_date,
            paid_on=payment.date,
            currency=document.currency,
            amounts=amounts,
        )
        return Contribution(key, period, record=record)
    rows = tuple(
        PaymentRow(payment.date, document.currency, share.vat_rate, share.amount, 1) for share in amounts
    )
    return Contribution(key, period, rows=rows)


def _is_taxed_in_france(document: Document, group: VatAmount) -> bool:
    """A sale taxed at a French rate, supplied in France (where the goods go, or the customer is)."""
    place = document.delivery_address or document.customer.address
    country = place.country if place is not None else "FR"
    return group.category in _TAXED_IN_FRANCE and country == "FR" and group.rate in FRENCH_VAT_RATES


def category_of(document: Document, group: VatAmount, nature: Literal["goods", "services"]) -> ReportCategory:
    if not _is_taxed_in_france(document, group):
        return "TNT1"
    return "TLB1" if nature == "goods" else "TPS1"


def _line_nature(document: Document, line: PricedLine) -> Literal["goods", "services"]:
    nature = line.nature or document.operation_nature
    return "services" if nature == "services" else "goods"


def _natures_of(document: Document, group: VatAmount) -> dict[Literal["goods", "services"], Decimal]:
    """The nets of a VAT group's lines, by the nature of what each line sells."""
    nets: dict[Literal["goods", "services"], Decimal] = {}
    for line in document.lines:
        if line.total_excl_tax is not None and (line.vat_rate, line.vat_category) == (
            group.rate,
            group.category,
        ):
            nature = _line_nature(document, line)
            nets[nature] = nets.get(nature, Decimal(0)) + line.total_excl_tax
    return nets or {_line_nature(document, document.lines[0]): group.base}


def _split(amount: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """`amount` in proportion to `weights` to the cent; all of it to the first when none weighs."""
    if len(weights) == 1 or sum(weights, Decimal(0)) <= 0 or any(weight < 0 for weight in weights):
        return [amount] + [Decimal(0)] * (len(weights) - 1)
    unit = minor_unit(currency)
    shares = allocate(abs(amount), weights, unit)
    return [share.copy_sign(amount) for share in shares]


def _net_of_deposits(document: Document) -> list[VatAmount]:
    """The VAT groups a final invoice reports: its own, less what its deposit invoices (reported on
    their own dates) already did, in proportion to each group's base."""
    groups = document.totals.vat
    if not document.deposits or not groups:
        return groups
    base = sum((deposit.amount_excl_tax for deposit in document.deposits), Decimal(0))
    vat = sum((deposit.amount - deposit.amount_excl_tax for deposit in document.deposits), Decimal(0))
    weights = [group.base for group in groups]
    bases = _split(base, weights, document.currency)
    vats = _split(vat, weights, document.currency)
    return [
        group.model_copy(update={"base": group.base - b, "amount": group.amount - v})
        for group, b, v in zip(groups, bases, vats, strict=True)
    ]


def transaction_rows(document: Document) -> list[TransactionRow]:
    """A consumer document's rows: each VAT group's base and VAT, split by the nature of its lines
    when it sells both; a credit note's are negative."""
    _, issue_date = document.issued()
    sign = Decimal(-1) if document.kind.credit else Decimal(1)
    rows: dict[tuple[ReportCategory, Decimal], tuple[Decimal, Decimal]] = {}
    for group in _net_of_deposits(document):
        natures = _natures_of(document, group)
        weights = list(natures.values())
        bases = _split(group.base, weights, document.currency)
        vats = _split(group.amount, weights, document.currency)
        for nature, base, vat in zip(natures, bases, vats, strict=True):
            category = category_of(document, group, nature)
            before = rows.get((category, group.rate), (Decimal(0), Decimal(0)))
            rows[(category, group.rate)] = (before[0] + base, before[1] + vat)
    return [
        TransactionRow(
            issue_date,
            document.currency,
            category,
            rate,
            round_money(sign * base, document.currency),
            round_money(sign * vat, document.currency),
            1,
        )
        for (category, rate), (base, vat) in sorted(rows.items())
    ]


def reported_invoice(document: Document) -> ReportedInvoice:
    """A document to a business abroad as its 10.1 record."""
    number, issue_date = document.issued()
    customer = document.customer
    place = customer.address or document.delivery_address
    groups = document.totals.vat
    natures = {_line_nature(document, line) for line in document.lines if line.kind == "item"}
    category = category_of(document, groups[0], "services" if natures == {"services"} else "goods")
    return ReportedInvoice(
        document_id=document.id,
        number=number,
        issue_date=issue_date,
        type_code=document.kind.type_code,
        currency=document.currency,
        due_date=document.due_date,
        buyer_name=customer.name,
        buyer_vat_number=customer.vat_number,
        buyer_country=place.country if place is not None else "FR",
        delivery_date=document.delivery_date,
        category=category,
        total_excl_tax=document.totals.total_excl_tax,
        total_vat=document.totals.total_vat,
        subtotals=[
            TaxSubtotal(
                category=group.category,
                vat_rate=group.rate,
                base=group.base,
                vat=group.amount,
                exemption_reason=reason,
                exemption_code=code,
            )
            for group in groups
            for reason, code in [exemption(group.category, document.vat_exemption)]
        ],
    )
