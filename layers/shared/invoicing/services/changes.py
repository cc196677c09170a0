"""The changes a use case records in a unit of work, in the domain's terms (immutable records).

Each says what changes and what the use case read before deciding it (a version, the amounts
settled), so that the store can refuse the change if that no longer holds; none carries a storage
expression. A unit of work commits its changes together or not at all, and a refusal names the
change whose expectation failed.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from invoicing.domain.e_invoicing import StatusEntry
from invoicing.domain.kinds import Resource, Series
from invoicing.domain.model import AnyDocument, Document, QuoteStatus
from invoicing.domain.numbering import CounterState
from invoicing.domain.parts import QuoteInvoice
from invoicing.domain.quotes import Decision


class DocumentCreated(NamedTuple):
    """A new document, a draft or created final; refused if its id was ever taken."""

    document: AnyDocument


class DraftReplaced(NamedTuple):
    """The draft, still at `version`, replaced by its revision."""

    document: AnyDocument
    version: int


class DraftDeleted(NamedTuple):
    """The draft deleted: still at `version`, or, with none, provided it is a draft of `resource`
    linked to nothing (no quote it was made from, no invoice a proforma became)."""

    document_id: str
    resource: Resource
    version: int | None = None


class DocumentFinalized(NamedTuple):
    """The frozen document, replacing its draft still at `draft_version`, or created final (None);
    created `settled` too when it is born paid (a shop's order), its payments and the statuses they
    give recorded beside the frozen body as a later payment's would be."""

    document: AnyDocument
    draft_version: int | None
    settled: Document | None = None


class SeriesAdvanced(NamedTuple):
    """The series' counter moves from `previous` to `following` for `number`, under the lease that
    `lease_owner` holds (which the move gives back)."""

    series: Series
    previous: CounterState
    following: CounterState
    number: str
    lease_owner: str


class NumberReserved(NamedTuple):
    """`number` belongs to the document: no other can ever hold it."""

    number: str
    document_id: str


class DocumentRendered(NamedTuple):
    """The document's files are written in `locale`."""

    document_id: str
    locale: str


class SettlementChanged(NamedTuple):
    """What is paid and credited on a finalized document went from `before` (as read) to `after`:
    a payment recorded or removed, a credit note (and a shop's refund) added, with the lifecycle
    status a payment adds to an e-invoice (collected)."""

    before: Document
    after: Document


class DepositDeducted(NamedTuple):
    """The deposit invoice, as read, is deducted by the final invoice `final_id`."""

    deposit: Document
    final_id: str


class ProformaConverted(NamedTuple):
    """The proforma, still at `version`, became the invoice `invoice_id`."""

    proforma_id: str
    version: int
    invoice_id: str


class QuoteDecided(NamedTuple):
    """The customer's decision on the quote, still at `version`."""

    quote_id: str
    version: int
    decision: Decision
    at: datetime


class QuoteInvoiced(NamedTuple):
    """A document made from the quote, still at `version`, which is `status` afterwards."""

    quote_id: str
    version: int
    link: QuoteInvoice
    status: QuoteStatus


class QuoteInvoiceWithdrawn(NamedTuple):
    """The draft made from the quote is gone: the quote forgets it, and is `status` again if given."""

    quote_id: str
    document_id: str
    status: QuoteStatus | None


class OrderReserved(NamedTuple):
    """One of the ids a shop names an order (or refund) by leads to its document."""

    order_key: str
    document_id: str


class ExternalRefReserved(NamedTuple):
    """An imported document's own number: imported once per tenant."""

    external_ref: str
    document_id: str


class LifecycleRecorded(NamedTuple):
    """Statuses of an e-invoice heard from the platforms or said by us, each recorded once (by id),
    with the flow the platform gave the e-invoice once it is known (it never changes after)."""

    document_id: str
    entries: tuple[StatusEntry, ...]
    flow_id: str | None = None


Change = (
    DocumentCreated
    | DraftReplaced
    | DraftDeleted
    | DocumentFinalized
    | SeriesAdvanced
    | NumberReserved
    | DocumentRendered
    | SettlementChanged
    | DepositDeducted
    | ProformaConverted
    | QuoteDecided
    | QuoteInvoiced
    | QuoteInvoiceWithdrawn
    | OrderReserved
    | ExternalRefReserved
    | LifecycleRecorded
)
