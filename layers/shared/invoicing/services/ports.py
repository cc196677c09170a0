"""Every store and gateway the use cases depend on, as Protocols, with the records they exchange and
the outcomes a store reports.

The adapters implement these for AWS (DynamoDB, S3, SQS, EventBridge, KMS) and the rendering,
remote-file and shop packages; the tests implement them in memory. A store decides nothing: when a
write's expectation no longer holds it says so (`ConditionFailed`, `AlreadyExists`), and the use
case turns that into the domain's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, Protocol, TypeVar

from invoicing.domain.errors import InvalidDocument
from invoicing.domain.model import AnyDocument, Document, Quote, Status

if TYPE_CHECKING:
    from invoicing.domain.events import DocumentEvent
    from invoicing.domain.fec import LedgerDocument
    from invoicing.domain.kinds import DocumentType, Resource, Series
    from invoicing.domain.numbering import CounterState
    from invoicing.domain.parts import Customer, Language
    from invoicing.domain.settings import TenantSettings
    from invoicing.domain.webhooks.endpoints import WebhookEndpoint
    from invoicing.domain.webhooks.orders import Provider, ShopOrder, ShopRefund
    from invoicing.services.changes import Change

DocT_co = TypeVar("DocT_co", bound=Document | Quote, covariant=True)
Disposition = Literal["inline", "attachment"]
DeliveryStatus = Literal["received", "processed", "ignored", "failed"]


# Records ---------------------------------------------------------------------------------------


class Stored(NamedTuple, Generic[DocT_co]):
    """A document as stored: `version` changes with each change to a draft or to a quote's decision
    and invoices; `rendered_locales` are those its files are written in."""

    document: DocT_co
    version: int
    rendered_locales: frozenset[str] = frozenset()


class DocumentSummary(NamedTuple):
    """What a list shows of a document, read from the listing index without its body."""

    id: str
    type: DocumentType
    status: Status
    number: str | None
    customer_name: str
    issue_date: date | None
    due_date: date | None
    valid_until: date | None
    currency: str
    total_incl_tax: Decimal
    amount_due: Decimal
    created_at: datetime
    position: str  # where it stands in its tenant's list, newest first


class ListFilters(NamedTuple):
    status: Status | None = None
    type: DocumentType | None = None
    customer: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    overdue_on: date | None = None

    @property
    def any(self) -> bool:
        return any(value is not None for value in self)


class SummaryPage(NamedTuple):
    summaries: list[DocumentSummary]
    next_position: str | None
    read_units: Decimal


class StoredCustomer(NamedTuple):
    id: str
    customer: Customer
    created_at: str
    updated_at: str
    version: int


class SealedEndpoint(NamedTuple):
    """An endpoint as a delivery finds it (no tenant in its URL): its tenant and encrypted secret."""

    tenant_id: str
    endpoint: WebhookEndpoint
    sealed_secret: str


class Delivery(NamedTuple):
    """A shop's delivery as it was received, then what became of it."""

    provider: Provider
    delivery_id: str
    endpoint_id: str
    topic: str | None
    body: bytes
    received_at: datetime
    status: DeliveryStatus
    document_id: str | None = None


class QueuedDelivery(NamedTuple):
    """What the queue carries to the processor: which recorded delivery to turn into its document."""

    tenant_id: str
    provider: Provider
    delivery_id: str


class DocumentChange(NamedTuple):
    """A committed change to a document as a stream reports it: its summary before and after (None
    when it did not exist, or no longer does)."""

    tenant_id: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None


# Outcomes --------------------------------------------------------------------------------------


class StorageOutcome(Exception):
    """A write the store did not make as asked."""


class ConditionFailed(StorageOutcome):
    """What the change expected (a version, the amounts it read) no longer holds: nothing of the unit
    of work was written. `current` is the document as it stands, for a deletion the store refused."""

    def __init__(self, change: Change | None = None, current: Stored[AnyDocument] | None = None) -> None:
        super().__init__(type(change).__name__ if change is not None else "condition failed")
        self.change = change
        self.current = current


class AlreadyExists(ConditionFailed):
    """What the change creates is there already; `holder` is the document it leads to, if known."""

    def __init__(self, change: Change | None = None, holder: str | None = None) -> None:
        super().__init__(change)
        self.holder = holder


class Contention(StorageOutcome):
    """Another write held one of the items at that moment: the same changes may simply be retried."""


class FileRefused(InvalidDocument):
    """The client's URL, or what it served, cannot be taken: said on the field that named it (422)."""

    code = "file_refused"


class TooLarge(StorageOutcome):
    """A document is larger than the store keeps in one piece."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes, at most {limit}")
        self.size = size
        self.limit = limit


# Stores ----------------------------------------------------------------------------------------


class UnitOfWork(Protocol):
    """Changes recorded by a use case, committed together: all of them, or none."""

    def record(self, *changes: Change) -> None: ...

    def commit(self) -> None:
        """Raises ConditionFailed (or AlreadyExists) naming the change, Contention, or TooLarge."""
        ...


class Documents(Protocol):
    def get(self, tenant_id: str, document_id: str) -> Stored[AnyDocument] | None:
        """The document as stored: its frozen body with the payments and credit notes recorded since
        (the amounts and status they leave are the domain's to compute), a quote with its decision."""
        ...


class Listing(Protocol):
    def page(
        self, tenant_id: str, filters: ListFilters, *, resource: Resource, after: str | None, limit: int
    ) -> SummaryPage:
        """Up to `limit` summaries after the position `after`, newest first."""
        ...

    def by_number(self, tenant_id: str, number: str) -> DocumentSummary | None: ...

    def ledger(self, tenant_id: str, issued_from: date, issued_to: date) -> list[LedgerDocument]:
        """Every finalized document of the books issued between the two dates."""
        ...


class SeriesLeases(Protocol):
    def take_lease(
        self, tenant_id: str, series: Series, owner: str, *, now: float, seconds: float
    ) -> CounterState | float:
        """The series' counter, held by `owner` for `seconds`; or the seconds left on another's lease."""
        ...

    def release_lease(self, tenant_id: str, series: Series, owner: str) -> None: ...


class Customers(Protocol):
    def put(self, tenant_id: str, stored: StoredCustomer, *, previous_version: int | None) -> None:
        """Create (previous_version None) or replace the customer still at `previous_version`."""
        ...

    def get(self, tenant_id: str, customer_id: str) -> StoredCustomer | None: ...

    def page(
        self, tenant_id: str, *, before: str | None, limit: int
    ) -> tuple[list[StoredCustomer], str | None]: ...


class Tenants(Protocol):
    def create_tenant(self, tenant_id: str, name: str, key_hash: str, created_at: str) -> None: ...

    def tenant_of_key(self, key_hash: str) -> str | None: ...

    def settings(self, tenant_id: str) -> TenantSettings: ...

    def put_settings(self, tenant_id: str, settings: TenantSettings) -> None: ...


class Webhooks(Protocol):
    def put_endpoint(self, tenant_id: str, endpoint: WebhookEndpoint, sealed_secret: str) -> None: ...

    def endpoint(self, endpoint_id: str) -> SealedEndpoint | None: ...

    def endpoints(self, tenant_id: str) -> list[WebhookEndpoint]: ...

    def delete_endpoint(self, tenant_id: str, endpoint_id: str) -> None:
        """ConditionFailed when the tenant has no such endpoint."""
        ...

    def record_delivery(self, tenant_id: str, delivery: Delivery) -> None:
        """AlreadyExists when the delivery was recorded before."""
        ...

    def delivery(self, tenant_id: str, provider: Provider, delivery_id: str) -> Delivery | None: ...

    def mark_delivery(
        self,
        tenant_id: str,
        delivery: Delivery,
        status: DeliveryStatus,
        *,
        document_id: str | None = None,
        error: str | None = None,
    ) -> None: ...

    def order_document(self, tenant_id: str, keys: tuple[str, ...]) -> str | None:
        """The document an order or refund became, found under any of the ids the shop names it by."""
        ...


# Gateways --------------------------------------------------------------------------------------


class Files(Protocol):
    def put_once(
        self, key: str, body: bytes, content_type: str, *, retain_until: datetime | None = None
    ) -> bool:
        """Write unless the key exists; True if written. Kept unchangeable until `retain_until`."""
        ...

    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def link(self, key: str, *, filename: str, disposition: Disposition) -> str:
        """A short-lived link that downloads the file under `filename`."""
        ...


class DeliveryQueue(Protocol):
    def send(self, delivery: QueuedDelivery) -> None: ...


class EventPublisher(Protocol):
    def publish(self, events: list[DocumentEvent]) -> None: ...


class Secrets(Protocol):
    def seal(self, secret: str, *, tenant_id: str, endpoint_id: str) -> str: ...

    def open(self, sealed: str, *, tenant_id: str, endpoint_id: str) -> str: ...


class RemoteFiles(Protocol):
    def fetch(self, url: str) -> bytes:
        """The file a client's URL serves; FileRefused says why not."""
        ...


class Renderer(Protocol):
    """The document as people read it (HTML, PDF) and as machines do (CII, UBL, Factur-X)."""

    def html(self, document: AnyDocument, locale: Language, *, preview: bool = False) -> str: ...

    def pdf(self, html: str) -> bytes: ...

    def cii(self, document: Document) -> bytes: ...

    def ubl(self, document: Document) -> bytes: ...

    def facturx(self, pdf: bytes, cii: bytes, document: Document) -> bytes: ...


class ShopEvents(Protocol):
    """A shop's deliveries as the domain reads them, whatever the shop."""

    def is_ping(self, provider: Provider, body: bytes, headers: Mapping[str, str]) -> bool:
        """The unsigned test a shop sends when a webhook is saved: answered, never recorded."""
        ...

    def verified(
        self, provider: Provider, secret: str, body: bytes, headers: Mapping[str, str], *, now: float
    ) -> tuple[str, str | None]:
        """(delivery id, topic) of a delivery signed with `secret`; Unauthenticated otherwise."""
        ...

    def read(self, provider: Provider, topic: str | None, body: bytes) -> ShopOrder | ShopRefund | None:
        """The order or refund it tells of; None for an event that makes no document."""
        ...


class Dependencies(Protocol):
    """Every port a use case may reach for, as the composition root builds them."""

    @property
    def documents(self) -> Documents: ...
    @property
    def listing(self) -> Listing: ...
    @property
    def numbering(self) -> SeriesLeases: ...
    @property
    def customers(self) -> Customers: ...
    @property
    def tenants(self) -> Tenants: ...
    @property
    def webhooks(self) -> Webhooks: ...
    @property
    def files(self) -> Files: ...
    @property
    def deliveries(self) -> DeliveryQueue: ...
    @property
    def events(self) -> EventPublisher: ...
    @property
    def secrets(self) -> Secrets: ...
    @property
    def remote_files(self) -> RemoteFiles: ...
    @property
    def renderer(self) -> Renderer: ...
    @property
    def shops(self) -> ShopEvents: ...
    @property
    def retention_years(self) -> int:
        """How long finalized documents' files stay unchangeable."""
        ...

    def unit_of_work(self, tenant_id: str) -> UnitOfWork: ...
