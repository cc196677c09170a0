"""Every store and gateway the use cases depend on, as Protocols, with the records they exchange and
the outcomes a store reports.

The adapters implement these for AWS (DynamoDB, S3, SQS, EventBridge, KMS) and the rendering,
remote-file and shop packages; the tests implement them in memory. A store decides nothing: when a
write's expectation no longer holds it says so (`ConditionFailed`, `AlreadyExists`), and the use
case turns that into the domain's answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, Protocol, TypeVar

from invoicing.domain.errors import InvalidDocument

if TYPE_CHECKING:
    from invoicing.domain.e_invoicing import ReceivedStatus, StatusEntry
    from invoicing.domain.events import Event
    from invoicing.domain.fec import LedgerDocument
    from invoicing.domain.kinds import DocumentType, Resource, Series
    from invoicing.domain.model import AnyDocument, Document, Quote, Status
    from invoicing.domain.numbering import CounterState
    from invoicing.domain.parts import Customer, Language
    from invoicing.domain.settings import TenantSettings
    from invoicing.domain.webhooks.endpoints import WebhookEndpoint
    from invoicing.domain.webhooks.orders import Provider, ShopOrder, ShopRefund
    from invoicing.services.changes import Change
    from invoicing.services.reporting_ports import ReportStore, ReportSyntax

DocT_co = TypeVar("DocT_co", bound="Document | Quote", covariant=True)
DepositSyntax = Literal["Factur-X", "UBL", "CII"]  # what an e-invoice is deposited as
FlowSyntax = DepositSyntax | Literal["CDAR", "FRR"]
AckStatus = Literal["Pending", "Ok", "Error"]
PlatformTaskKind = Literal["deposit", "send_status", "hear_flow", "transmit"]
Disposition = Literal["inline", "attachment"]
# queued: waiting for (or being) processed; invoiced: its document made; duplicate: its order (or
# refund) had been made into a document by another delivery; ignored: an event that makes none;
# failed: it cannot make its document as it stands (`reason` says why), retried only on request.
DeliveryStatus = Literal["queued", "invoiced", "duplicate", "ignored", "failed"]


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

    def matches(self, summary: DocumentSummary) -> bool:
        """What the storage's query keeps, said of one document (a lookup by number)."""
        issued = summary.issue_date
        return (
            (self.status is None or summary.status == self.status)
            and (self.type is None or summary.type == self.type)
            and (self.customer is None or self.customer.casefold() in summary.customer_name.casefold())
            and (self.issued_from is None or (issued is not None and issued >= self.issued_from))
            and (self.issued_to is None or (issued is not None and issued <= self.issued_to))
            and (
                self.overdue_on is None
                or (
                    summary.status in {"open", "partially_paid"}
                    and summary.due_date is not None
                    and summary.due_date < self.overdue_on
                    and summary.amount_due > 0
                )
            )
        )


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


class ApiKeyRecord(NamedTuple):
    """An API key as its tenant sees it: never the key, only its first characters."""

    id: str
    prefix: str
    name: str | None
    created_at: str
    last_used_at: str | None = None


class SealedEndpoint(NamedTuple):
    """An endpoint as a delivery finds it (no tenant in its URL): its tenant and encrypted secret."""

    tenant_id: str
    endpoint: WebhookEndpoint
    sealed_secret: str


class Delivery(NamedTuple):
    """A shop's delivery as it was received, kept word for word."""

    provider: Provider
    delivery_id: str
    endpoint_id: str
    topic: str | None
    body: bytes
    received_at: datetime
    order_key: str  # the order it is about: a shop's deliveries of one order are processed in turn


class DeliveryRecord(NamedTuple):
    """What became of a delivery, as its endpoint lists it."""

    provider: Provider
    delivery_id: str
    endpoint_id: str
    topic: str | None
    received_at: datetime
    status: DeliveryStatus
    attempts: int
    reason: str | None = None
    document_id: str | None = None


class DeliveryPage(NamedTuple):
    records: list[DeliveryRecord]
    next_position: str | None  # where the next page starts; None on the last


class QueuedDelivery(NamedTuple):
    """What the queue carries to the processor: which recorded delivery to turn into its document."""

    tenant_id: str
    provider: Provider
    delivery_id: str
    order_key: str  # one order's deliveries stay in order; different orders go side by side
    resend: str = ""  # a later send of the same delivery (a retry, a release): not a duplicate


class DeliveryChange(NamedTuple):
    """A committed change to a delivery's record as a stream reports it."""

    tenant_id: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None


class DocumentChange(NamedTuple):
    """A committed change to a document as a stream reports it: its summary before and after (None
    when it did not exist, or no longer does)."""

    tenant_id: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None


class PlatformConnection(NamedTuple):
    """A tenant's approved platform: its Flow Service, the OAuth2 client that calls it (the secret
    sealed), the syntax e-invoices are deposited in, and the webhook it calls us back on."""

    connection_id: str
    url: str
    token_url: str
    client_id: str
    sealed_secret: str
    syntax: DepositSyntax
    connected_at: str
    webhook_id: str | None = None
    sealed_signing_key: str | None = None
    polled_until: str | None = None


class PlatformFlow(NamedTuple):
    """A flow as the Flow Service describes it (its metadata, not its file)."""

    flow_id: str
    tracking_id: str | None
    flow_type: str
    direction: Literal["In", "Out"]
    ack_status: AckStatus
    reasons: tuple[str, ...]
    updated_at: datetime


class PlatformTask(NamedTuple):
    """Work for the platform, done after the commit that called for it: deposit a document's
    e-invoice, send one of its statuses, hear what a flow the platform told us of says, or transmit
    an e-reporting period."""

    kind: PlatformTaskKind
    tenant_id: str
    document_id: str | None = None
    entry_id: str | None = None
    flow_id: str | None = None
    seen_at: str | None = None  # when the platform last changed the flow: one task per change
    period_id: str | None = None  # the e-reporting period to transmit,
    revision: int | None = None  # at this revision: a corrective transmission is another task


# Outcomes --------------------------------------------------------------------------------------


class StorageOutcome(Exception):
    """A write the store did not make as asked."""


class NotReady(Exception):
    """What a task works on is not all written yet (a finalization still rendering its files): the
    task comes back later."""


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


class PlatformUnavailable(Exception):
    """The platform did not answer, or answered that it cannot now (5xx, 429): try again later."""


class PlatformRefused(Exception):
    """The platform refused the request itself (credentials, a malformed call): trying again as it
    is will not help."""


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
    def create_tenant(self, tenant_id: str, name: str, first_key: ApiKeyRecord, key_hash: str) -> None: ...

    def add_api_key(self, tenant_id: str, api_key: ApiKeyRecord, key_hash: str, *, most: int) -> None:
        """ConditionFailed when the tenant holds `most` keys already."""
        ...

    def api_keys(self, tenant_id: str) -> list[ApiKeyRecord]: ...

    def revoke_api_key(self, tenant_id: str, key_id: str) -> ApiKeyRecord | None:
        """The key as it was, None when the tenant has no such key; ConditionFailed when it is the
        tenant's last."""
        ...

    def use_api_key(self, key_hash: str, used_at: str) -> str | None:
        """The tenant of the key with this hash, its use recorded; None for no key."""
        ...

    def settings(self, tenant_id: str) -> TenantSettings: ...

    def put_settings(self, tenant_id: str, settings: TenantSettings) -> None: ...


class Webhooks(Protocol):
    def put_endpoint(self, tenant_id: str, endpoint: WebhookEndpoint, sealed_secret: str) -> None: ...

    def endpoint(self, endpoint_id: str) -> SealedEndpoint | None: ...

    def endpoints(self, tenant_id: str) -> list[WebhookEndpoint]: ...

    def delete_endpoint(self, tenant_id: str, endpoint_id: str) -> None:
        """ConditionFailed when the tenant has no such endpoint."""
        ...

    def order_document(self, tenant_id: str, keys: tuple[str, ...]) -> str | None:
        """The document an order or refund became, found under any of the ids the shop names it by."""
        ...


class DeliveryRecords(Protocol):
    """Each delivery a shop made, word for word, and what became of it."""

    def record_delivery(self, tenant_id: str, delivery: Delivery) -> None:
        """Keep it, `queued`; AlreadyExists when the delivery was recorded before."""
        ...

    def delivery(self, tenant_id: str, provider: Provider, delivery_id: str) -> Delivery | None: ...

    def start_attempt(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        """Count one more attempt at the delivery, and tell what became of it so far."""
        ...

    def mark_delivery(
        self,
        tenant_id: str,
        delivery: Delivery,
        status: DeliveryStatus,
        *,
        document_id: str | None = None,
        reason: str | None = None,
    ) -> None: ...

    def requeue(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        """Make a failed delivery `queued` again; ConditionFailed when it has not failed."""
        ...

    def deliveries(self, tenant_id: str, endpoint_id: str, *, limit: int, after: str | None) -> DeliveryPage:
        """An endpoint's deliveries, newest first, from `after` (a page's `next_position`)."""
        ...

    def wait_for_order(self, tenant_id: str, queued: QueuedDelivery) -> None:
        """Keep a delivery aside, under its order's key, until a document is made of the order (a
        refund that came before its order)."""
        ...

    def waiting_for(self, tenant_id: str, order_keys: tuple[str, ...]) -> list[QueuedDelivery]:
        """The deliveries kept aside for an order known by any of these keys, each once."""
        ...

    def stop_waiting(self, tenant_id: str, queued: QueuedDelivery) -> None:
        """The delivery is queued again: no longer kept aside."""
        ...


# Gateways --------------------------------------------------------------------------------------


class Files(Protocol):
    def put_once(
        self, key: str, body: bytes, content_type: str, *, retain_until: datetime | None = None
    ) -> bool:
        """Write unless the key exists; True if written. Kept unchangeable until `retain_until`."""
        ...

    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes | None:
        """The file written under `key`, or None."""
        ...

    def link(self, key: str, *, filename: str, disposition: Disposition) -> str:
        """A short-lived link that downloads the file under `filename`."""
        ...


class DeliveryQueue(Protocol):
    def send(self, delivery: QueuedDelivery) -> None: ...


class EventPublisher(Protocol):
    def publish(self, events: Sequence[Event]) -> None: ...


class Secrets(Protocol):
    def seal(self, secret: str, *, tenant_id: str, endpoint_id: str) -> str: ...

    def open(self, sealed: str, *, tenant_id: str, endpoint_id: str) -> str: ...


class RemoteFiles(Protocol):
    def fetch(self, url: str) -> bytes:
        """The file a client's URL serves; FileRefused says why not."""
        ...


class Platform(Protocol):
    """One tenant's approved platform, through the AFNOR XP Z12-013 Flow Service. Raises
    PlatformUnavailable or PlatformRefused."""

    def submit(
        self, name: str, body: bytes, *, tracking_id: str, syntax: FlowSyntax, processing_rule: str
    ) -> PlatformFlow: ...

    def find(self, tracking_id: str) -> PlatformFlow | None:
        """The flow we submitted under `tracking_id`, if the platform has it."""
        ...

    def flow(self, flow_id: str) -> PlatformFlow: ...

    def original(self, flow_id: str) -> bytes:
        """The file of a flow as its emitter sent it."""
        ...

    def updated_after(self, moment: datetime | None) -> list[PlatformFlow]:
        """Every flow changed after `moment` (all of them with None), oldest change first."""
        ...

    def subscribe(self, callback_url: str) -> tuple[str, str]:
        """(webhook id, signing key) of a new subscription to every flow's changes."""
        ...

    def unsubscribe(self, webhook_id: str) -> None: ...


class Platforms(Protocol):
    def open(self, url: str, token_url: str, client_id: str, client_secret: str) -> Platform:
        """The platform at `url`, called with a token of that OAuth2 client; ValueError for a URL
        that is not to be called (not https, not a public address)."""
        ...


class PlatformConnections(Protocol):
    def put(self, tenant_id: str, connection: PlatformConnection) -> None:
        """The tenant's connection, replacing any earlier one."""
        ...

    def get(self, tenant_id: str) -> PlatformConnection | None: ...

    def by_id(self, connection_id: str) -> tuple[str, PlatformConnection] | None:
        """(tenant, connection) of a callback's connection id."""
        ...

    def all(self) -> list[tuple[str, PlatformConnection]]: ...

    def delete(self, tenant_id: str, connection_id: str) -> None: ...

    def polled(self, tenant_id: str, connection_id: str, until: str) -> None:
        """The flows changed up to `until` were heard."""
        ...


class PlatformTasks(Protocol):
    def send(self, task: PlatformTask) -> None: ...


class StatusMessages(Protocol):
    """The reform's lifecycle status messages (CDAR)."""

    def of(self, document: Document, entry: StatusEntry, *, message_id: str, now: datetime) -> bytes:
        """The seller's message telling `entry` (collected, with its amounts) of the document."""
        ...

    def read(self, xml: bytes) -> list[ReceivedStatus]:
        """The invoices a message names and the status it gives each; ValueError if it is none."""
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

    def order_key(self, provider: Provider, topic: str | None, body: bytes) -> str | None:
        """The order a signed delivery is about (a refund's, the refunded order), read cheaply and
        never refused: None when the body does not say."""
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
    def delivery_records(self) -> DeliveryRecords: ...
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
    def platforms(self) -> Platforms: ...
    @property
    def platform_connections(self) -> PlatformConnections: ...
    @property
    def platform_tasks(self) -> PlatformTasks: ...
    @property
    def status_messages(self) -> StatusMessages: ...
    @property
    def reports(self) -> ReportStore: ...
    @property
    def report_syntax(self) -> ReportSyntax: ...
    @property
    def retention_years(self) -> int:
        """How long finalized documents' files stay unchangeable."""
        ...

    def unit_of_work(self, tenant_id: str) -> UnitOfWork: ...
