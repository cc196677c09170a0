"""Deposit invoices (factures d'acompte) and the final invoice that deducts them.

A deposit is a real invoice, numbered in the invoice series, with VAT at the rates of what it is
paid towards. The final invoice shows the whole operation and deducts the deposits invoiced, net
of any credit note on them, from its amount due (EN 16931's prepaid amount, BT-113): its totals
stay those of the whole operation.
"""

from __future__ import annotations

from decimal import Decimal

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import Document
from invoicing.domain.money import round_money
from invoicing.domain.parts import DepositRef


def deposit_ref(final: Document, deposit: Document, position: int) -> DepositRef:
    """The deposit as `final` deducts it; refused unless it is a finalized deposit of the same
    customer's currency, deducted by no other invoice and not cancelled by credit notes."""
    field = f"deposit_ids[{position}]"
    if not deposit.kind.deposit:
        raise InvalidDocument(f"{deposit.id} is a {deposit.type}, not a deposit invoice", field=field)
    if deposit.is_draft:
        raise StateConflict(
            f"the deposit invoice {deposit.id} is still a draft: finalize it first",
            code="not_finalized",
            field=field,
        )
    if deposit.currency != final.currency:
        raise InvalidDocument(
            f"the deposit invoice {deposit.number} is in {deposit.currency}, not {final.currency}",
            field=field,
        )
    if deposit.customer.name.casefold() != final.customer.name.casefold():
        raise InvalidDocument(
            f"the deposit invoice {deposit.number} was issued to {deposit.customer.name}, "
            f"not {final.customer.name}",
            field=field,
        )
    if deposit.deducted_by not in (None, final.id):
        raise StateConflict(
            f"the deposit invoice {deposit.number} is already deducted by invoice {deposit.deducted_by}",
            code="deposit_deducted",
            field=field,
        )
    amount = deposit.totals.total_incl_tax - deposit.totals.amount_credited
    if amount <= 0:
        raise StateConflict(
            f"the deposit invoice {deposit.number} was cancelled by credit notes",
            code="deposit_credited",
            field=field,
        )
    number, issue_date = deposit.issued()
    share = amount / deposit.totals.total_incl_tax
    return DepositRef(
        id=deposit.id,
        number=number,
        issue_date=issue_date,
        amount_excl_tax=round_money(deposit.totals.total_excl_tax * share, deposit.currency),
        amount=amount,
    )


def deduct_deposits(final: Document, deposits: list[Document]) -> Document:
    """The final invoice with its deposits deducted from the amount due, never below zero."""
    refs = [deposit_ref(final, deposit, position) for position, deposit in enumerate(deposits)]
    deducted = sum((ref.amount for ref in refs), Decimal(0))
    if deducted > final.totals.total_incl_tax:
        raise InvalidDocument(
            f"the deposits ({deducted} {final.currency}) exceed the invoice's total "
            f"({final.totals.total_incl_tax} {final.currency})",
            field="deposit_ids",
        )
    totals = final.totals.model_copy(update={"amount_deposits": deducted})
    totals = totals.model_copy(update={"amount_due": totals.payable})
    return final.model_copy(update={"deposits": refs, "totals": totals})
