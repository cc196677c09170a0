"""The FEC (fichier des écritures comptables, art. A47 A-1 of the LPF): the sales journal of a year.

Each finalized invoice, deposit invoice, credit note and imported document is one balanced entry:
the customer's account (411, one auxiliary account per customer) against revenue (706 for
services, 707 for goods) and VAT
collected (44571) per rate. A deposit invoice credits advances received (4191) instead of revenue,
and the final invoice that deducts it moves the deposit back out of 4191 and its VAT out of 44571.
A shop's rounding amount goes to 758 or 658. Entries are numbered continuously in date order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from invoicing.domain.errors import StateConflict
from invoicing.domain.kinds import KINDS, DocumentType
from invoicing.domain.model import Document

COLUMNS: Final = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
JOURNAL = ("VE", "Journal des ventes")
CUSTOMERS = ("411000", "Clients")
REVENUE = ("706000", "Prestations de services")
GOODS_REVENUE = ("707000", "Ventes de marchandises")
VAT = ("445710", "TVA collectée")
ADVANCES = ("419100", "Clients - avances et acomptes reçus")
ROUNDING_GAIN = ("758000", "Produits divers de gestion courante")
ROUNDING_LOSS = ("658000", "Charges diverses de gestion courante")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LedgerDocument:
    """What the books need of a finalized document."""

    type: DocumentType
    number: str
    issue_date: date
    validated_on: date
    customer_name: str
    currency: str
    total_incl_tax: Decimal
    vat: tuple[tuple[Decimal, Decimal, Decimal], ...]  # (rate, base, amount)
    rounding: Decimal = ZERO
    # (number, excl., incl.) of each deposit a final invoice deducts
    deposits: tuple[tuple[str, Decimal, Decimal], ...] = field(default_factory=tuple)
    exchange_rate: Decimal | None = None  # euros for one unit of `currency`
    operation_nature: str | None = None  # goods go to 707, services (and the rest) to 706


def ledger_document(document: Document) -> LedgerDocument | None:
    """What the books hold of a document: None until it is finalized, and for what is not in them."""
    if not document.kind.ledger or document.finalized_at is None:
        return None
    if document.number is None or document.issue_date is None:
        raise StateConflict(f"{document.id} is finalized without its number", code="not_finalized")
    totals = document.totals
    return LedgerDocument(
        type=document.type,
        number=document.number,
        issue_date=document.issue_date,
        validated_on=document.finalized_at.date(),
        customer_name=document.customer.name,
        currency=document.currency,
        total_incl_tax=totals.total_incl_tax,
        vat=tuple((vat.rate, vat.base, vat.amount) for vat in totals.vat),
        rounding=totals.rounding,
        deposits=tuple((ref.number, ref.amount_excl_tax, ref.amount) for ref in document.deposits),
        exchange_rate=document.exchange_rate,
        operation_nature=document.operation_nature,
    )


@dataclass(frozen=True)
class FecLine:
    account: tuple[str, str]
    label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    auxiliary: tuple[str, str] = ("", "")


def auxiliary_account(customer_name: str) -> tuple[str, str]:
    """One auxiliary account per customer, stable from export to export."""
    digest = hashlib.sha256(customer_name.casefold().encode()).hexdigest()[:8].upper()
    return f"C{digest}", customer_name


def _rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",")


def entry_lines(document: LedgerDocument) -> list[FecLine]:
    label = f"{document.number} {document.customer_name}"[:100]
    customer = auxiliary_account(document.customer_name)
    receivable = document.total_incl_tax + document.rounding
    deposit = KINDS[document.type].deposit
    lines = [FecLine(CUSTOMERS, label, debit=receivable, auxiliary=customer)]
    for rate, base, amount in document.vat:
        revenue = GOODS_REVENUE if document.operation_nature == "goods" else REVENUE
        lines.append(FecLine(ADVANCES if deposit else revenue, f"{label} HT {_rate(rate)} %", credit=base))
        if amount:
            lines.append(FecLine(VAT, f"{label} TVA {_rate(rate)} %", credit=amount))
    if document.rounding > 0:
        lines.append(FecLine(ROUNDING_GAIN, f"{label} arrondi", credit=document.rounding))
    elif document.rounding < 0:
        lines.append(FecLine(ROUNDING_LOSS, f"{label} arrondi", debit=-document.rounding))
    for number, excluded, included in document.deposits:
        lines.append(FecLine(ADVANCES, f"{label} acompte {number}", debit=excluded))
        if included != excluded:
            lines.append(FecLine(VAT, f"{label} TVA acompte {number}", debit=included - excluded))
        lines.append(FecLine(CUSTOMERS, f"{label} acompte {number}", credit=included, auxiliary=customer))
    if KINDS[document.type].credit:
        lines = [FecLine(line.account, line.label, line.credit, line.debit, line.auxiliary) for line in lines]
    debit = sum((line.debit for line in lines), Decimal(0))
    credit = sum((line.credit for line in lines), Decimal(0))
    if debit != credit:
        raise StateConflict(
            f"the entry of {document.number} does not balance ({debit} / {credit})", code="unbalanced"
        )
    return [line for line in lines if line.debit or line.credit]


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _in_euros(lines: list[FecLine], rate: Decimal | None) -> list[tuple[Decimal, Decimal]]:
    """Each line's debit and credit in euros, converted one by one; the cents that rounding leaves go
    to the customer's line, so the entry still balances."""
    if rate is None:
        return [(line.debit, line.credit) for line in lines]
    cent = Decimal("0.01")
    converted = [((line.debit * rate).quantize(cent), (line.credit * rate).quantize(cent)) for line in lines]
    gap = sum((credit - debit for debit, credit in converted), Decimal(0))
    customer = next(n for n, line in enumerate(lines) if line.account == CUSTOMERS)
    debit, credit = converted[customer]
    converted[customer] = (debit + gap, credit) if debit else (debit, credit - gap)
    return converted


def fec_rows(documents: list[LedgerDocument]) -> list[list[str]]:
    """The header and one row per line of each entry, entries numbered 1, 2... in date order; a
    document in another currency is booked in euros at its rate, its own amount beside."""
    unconverted = sorted(
        document.number
        for document in documents
        if document.currency != "EUR" and document.exchange_rate is None
    )
    if unconverted:
        raise StateConflict(
            f"{len(unconverted)} document(s) are in another currency without an exchange rate (such as "
            f"{unconverted[0]}): the FEC books euros",
            code="foreign_currency",
        )
    rows = [list(COLUMNS)]
    ordered = sorted(documents, key=lambda document: (document.issue_date, document.number))
    entries = [(document, lines) for document in ordered if (lines := entry_lines(document))]
    for number, (document, lines) in enumerate(entries, start=1):  # a zero document makes no entry
        day = document.issue_date.strftime("%Y%m%d")
        foreign = document.currency != "EUR"
        for line, (debit, credit) in zip(lines, _in_euros(lines, document.exchange_rate), strict=True):
            rows.append(
                [
                    *JOURNAL,
                    str(number),
                    day,
                    *line.account,
                    *line.auxiliary,
                    document.number,
                    day,
                    line.label,
                    _amount(debit),
                    _amount(credit),
                    "",
                    "",
                    document.validated_on.strftime("%Y%m%d"),
                    _amount(line.debit or line.credit) if foreign else "",
                    document.currency if foreign else "",
                ]
            )
    return rows


def fec_file(rows: list[list[str]]) -> bytes:
    """Tab-separated, one line per row, as the administration reads it."""
    return "".join("\t".join(cell.replace("\t", " ") for cell in row) + "\r\n" for row in rows).encode()


def fec_filename(siren: str, year: int) -> str:
    """`<SIREN>FEC<closing date>.txt`, the year closing on 31 December."""
    return f"{siren}FEC{year}1231.txt"
