"""What each kind of document can do, in one table.

Every rule that depends on a document's type reads its kind here (numbered in which series,
payable, creditable, an e-invoice...) rather than keeping a set of types of its own, so a new kind
is one row, and a capability one column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DocumentType = Literal[
    "invoice", "credit_note", "deposit", "proforma", "quote", "external", "external_credit"
]
Series = Literal["invoice", "credit_note", "quote"]
Resource = Literal["invoices", "quotes"]
EventFamily = Literal["invoice", "credit_note"]


@dataclass(frozen=True, kw_only=True)
class Kind:
    series: Series | None
    """The series it is numbered in at finalization; None when we never number it (a proforma has no
    legal number, an import keeps the one it had elsewhere)."""
    resource: Resource = "invoices"
    """Where the API serves it, which its id's prefix says."""
    type_code: str | None = None
    """Its EN 16931 document type code (BT-3, UNTDID 1001)."""
    payable: bool = False
    """It takes payments."""
    credit: bool = False
    """It reverses a sale (a credit note, ours or imported): booked and shown the other way round."""
    creditable: bool = False
    """Our credit notes correct it."""
    deposit: bool = False
    """A deposit invoice (facture d'acompte): a final invoice deducts it; the books hold it as 4191."""
    deducts_deposits: bool = False
    """A final invoice: it may deduct deposit invoices from its amount due."""
    original_file: bool = False
    """Imported: issued elsewhere, final at once, its original PDF is the document."""
    e_invoice: bool = False
    """We issue it as an e-invoice (Factur-X, CII, UBL), which the reform's flows carry."""
    ledger: bool = False
    """It is in the books: the FEC, and its files kept unchangeable under Object Lock."""
    convertible: bool = False
    """It turns, once, into a draft invoice (a proforma)."""
    events: EventFamily | None = None
    """The family of events out its changes raise (invoice.*, credit_note.*), if any."""

    @property
    def settled(self) -> bool:
        """Its amount due and status follow what is paid and credited on it."""
        return self.payable or self.credit


KINDS: dict[DocumentType, Kind] = {
    "invoice": Kind(
        series="invoice",
        type_code="380",
        payable=True,
        creditable=True,
        deducts_deposits=True,
        e_invoice=True,
        ledger=True,
        events="invoice",
    ),
    "deposit": Kind(
        series="invoice",
        type_code="386",
        payable=True,
        creditable=True,
        deposit=True,
        e_invoice=True,
        ledger=True,
        events="invoice",
    ),
    "credit_note": Kind(
        series="credit_note", type_code="381", credit=True, e_invoice=True, ledger=True, events="credit_note"
    ),
    "proforma": Kind(series=None, convertible=True),
    "quote": Kind(series="quote", resource="quotes"),
    "external": Kind(series=None, type_code="380", payable=True, original_file=True, ledger=True),
    "external_credit": Kind(series=None, type_code="381", credit=True, original_file=True, ledger=True),
}
