"""A shop's order as an invoice, and its refund as a credit note, to the cent of what was charged.

Lines keep the shop's quantities; VAT is computed per rate on the summed bases as for every
invoice (EN 16931 BR-CO-17). With prices that include tax, each rate's base is the one whose VAT
brings it back to that rate's tax-included sum, spread over the rate's lines by largest remainder:
the invoice then comes to what was charged. Only when no such base exists (the VAT of the base a
cent below is a cent short, of the next a cent over) does the difference, a cent a rate, show as
the invoice's rounding amount (BT-114), never hidden in a price; an order whose lines are further
from what was charged is refused rather than invoiced wrong.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from invoicing.domain.documents import draft_document
from invoicing.domain.errors import InvalidDocument
from invoicing.domain.model import Document, DocumentContent
from invoicing.domain.money import minor_unit, percent_of, round_money
from invoicing.domain.parts import Line, Totals
from invoicing.domain.totals import allocate
from invoicing.domain.webhooks.endpoints import EndpointSettings
from invoicing.domain.webhooks.orders import OrderLine, ShopOrder, ShopRefund, UnreadableEvent

_PRICE_PLACES = Decimal("0.000001")


def _total(base: Decimal, rate: Decimal, currency: str) -> Decimal:
    return base + round_money(percent_of(base, rate), currency)


def nearest_base(gross: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The base whose VAT at `rate`, rounded as every invoice rounds it, comes closest to `gross`:
    to the cent when one does, a cent off at most otherwise."""
    unit = minor_unit(currency)
    estimate = round_money(gross * 100 / (100 + rate), currency)
    candidates = (estimate, estimate - unit, estimate + unit)
    return min(candidates, key=lambda base: abs(_total(base, rate, currency) - gross))


def exact_base(gross: Decimal, rate: Decimal, currency: str) -> Decimal | None:
    """The base whose VAT adds up to `gross` to the cent; None when none does."""
    base = nearest_base(gross, rate, currency)
    return base if _total(base, rate, currency) == gross else None


def _line_net(line: OrderLine, currency: str) -> Decimal:
    """A tax-included line's net on its own: the shop's split of the price it showed, or ours."""
    if line.tax is not None:
        return line.amount - line.tax
    return round_money(line.amount * 100 / (100 + line.vat_rate), currency)


def order_nets(order: ShopOrder) -> list[Decimal]:
    """Each line's net: the shop's amount when its prices exclude tax; else each rate's nearest base
    (its exact one where it exists) spread over its lines in proportion to their tax-included
    amounts, to the cent."""
    lines = order.lines
    if not order.prices_include_tax:
        return [line.amount for line in lines]
    nets = [_line_net(line, order.currency) for line in lines]
    for rate in {line.vat_rate for line in lines}:
        indexes = [n for n, line in enumerate(lines) if line.vat_rate == rate]
        weights = [lines[n].amount for n in indexes]
        gross = sum(weights, Decimal(0))
        if gross <= 0 or any(weight < 0 for weight in weights):
            continue  # the lines' own nets, and a rounding amount
        base = nearest_base(gross, rate, order.currency)
        for n, share in zip(indexes, allocate(base, weights, minor_unit(order.currency)), strict=True):
            nets[n] = share
    return nets


def _document_line(line: OrderLine, net: Decimal, currency: str) -> Line:
    """The shop's quantity and a unit price that gives back its net to the cent, or else the line as
    one unit (its title saying how many)."""
    if line.quantity > 0:
        unit = (net / line.quantity).quantize(_PRICE_PLACES)
        if round_money(unit * line.quantity, currency) == net:
            return Line(title=line.title, quantity=line.quantity, unit_price=unit, vat_rate=line.vat_rate)
    return Line(
        title=f"{line.quantity.normalize()} x {line.title}"[:500], unit_price=net, vat_rate=line.vat_rate
    )


def _with_rounding(document: Document, charged: Decimal, lines: int) -> Document:
    difference = charged - document.totals.total_incl_tax
    tolerance = minor_unit(document.currency) * max(1, lines)
    if abs(difference) > tolerance:
        raise UnreadableEvent(
            f"the lines add up to {document.totals.total_incl_tax} {document.currency} but "
            f"{charged} {document.currency} was charged: the event lacks something an invoice needs",
            field="lines",
        )
    totals: Totals = document.totals.model_copy(update={"rounding": difference})
    return document.model_copy(update={"totals": totals.model_copy(update={"amount_due": totals.payable})})


def _exemption(rates: list[Decimal], vat_exemption: str | None) -> str | None:
    if any(rate == 0 for rate in rates) and not vat_exemption:
        raise UnreadableEvent(
            "a line carries no VAT and the webhook endpoint names no vat_exemption mention to print",
            field="vat_exemption",
        )
    return vat_exemption if any(rate == 0 for rate in rates) else None


def invoice_from_order(
    order: ShopOrder, settings: EndpointSettings, *, document_id: str, now: datetime
) -> Document:
    """The draft invoice of a paid order, as the shop's endpoint writes them, its amount due exactly
    what the customer paid."""
    lines = [
        _document_line(line, net, order.currency)
        for line, net in zip(order.lines, order_nets(order), strict=True)
    ]
    content = DocumentContent.model_validate(
        {
            "customer": order.customer,
            "operation_nature": settings.nature,
            "currency": order.currency,
            "language": settings.language,
            "title": f"Commande {order.reference}"[:200],
            "payment_terms": "0",
            "lines": lines,
            "vat_exemption": _exemption([line.vat_rate for line in order.lines], settings.vat_exemption),
            "metadata": order.set_aside | {"provider": order.provider, "order": order.reference[:100]},
        }
    )
    draft = draft_document(content, document_id=document_id, now=now)
    return _with_rounding(draft, order.paid, len(lines))


def refund_lines(invoice: Document, amount: Decimal) -> list[Line]:
    """A refund of an amount, tax included, spread over the invoice's VAT rates in proportion to
    what each rate weighs in its total: what the shop refunded carried VAT at those rates."""
    if not 0 < amount <= invoice.totals.total_incl_tax + invoice.totals.rounding:
        raise InvalidDocument(
            f"a refund of {amount} {invoice.currency} on an invoice of "
            f"{invoice.totals.total_incl_tax} {invoice.currency}",
            field="amount",
        )
    weights = [vat.base + vat.amount for vat in invoice.totals.vat]
    shares = allocate(amount, weights, minor_unit(invoice.currency))
    return [
        Line(
            title="Remboursement" if invoice.language == "fr" else "Refund",
            unit_price=exact_base(share, vat.rate, invoice.currency)
            or round_money(share * 100 / (100 + vat.rate), invoice.currency),
            vat_rate=vat.rate,
        )
        for vat, share in zip(invoice.totals.vat, shares, strict=True)
        if share != 0
    ]


def credit_note_from_refund(
    refund: ShopRefund, invoice: Document, amount: Decimal, *, document_id: str, now: datetime
) -> Document:
    """The draft credit note of a refund, its total what was refunded, to the cent."""
    lines = refund_lines(invoice, amount)
    content = DocumentContent.model_validate(
        {
            "type": "credit_note",
            "customer": invoice.customer,
            "operation_nature": invoice.operation_nature,
            "currency": invoice.currency,
            "language": invoice.language,
            "payment_terms": "0",
            "lines": lines,
            "vat_exemption": invoice.vat_exemption,
            "metadata": {"provider": refund.provider, "refund": refund.key[:100]},
        }
    )
    draft = draft_document(content, document_id=document_id, now=now)
    return _with_rounding(draft, amount, len(lines))
