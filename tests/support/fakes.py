"""Every port of the services, in memory, for the service tests: no moto, no HTTP.

The store keeps the domain's documents as the table would after each change, behind one lock, and
a unit of work checks every change's expectation (a version, the amounts settled, an item that must
not exist yet) before applying any, as a DynamoDB transaction does. `fail_next` makes the next
changes of a kind fail on demand, the way a concurrent writer would have made them fail.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from invoicing.domain.e_invoicing import StatusEntry
from invoicing.domain.events import Event
from invoicing.domain.fec import LedgerDocument, ledger_document
from invoicing.domain.kinds import Resource, Series
from invoicing.domain.lifecycle import with_entries
from invoicing.domain.model import AnyDocument, Document
from invoicing.domain.numbering import CounterState
from invoicing.domain.parts import Language
from invoicing.domain.settings import TenantSettings
from invoicing.domain.webhooks.endpoints import WebhookEndpoint
from invoicing.domain.webhooks.orders import Provider
from invoicing.einvoice.cdar import CdarMessages
from invoicing.einvoice.frr import FrrReports
from invoicing.services.changes import (
    Change,
    DepositDeducted,
    DocumentCreated,
    DocumentFinalized,
    DocumentRendered,
    DraftDeleted,
    DraftReplaced,
    ExternalRefReserved,
    LifecycleRecorded,
    NumberReserved,
    OrderReserved,
    ProformaConverted,
    QuoteDecided,
    QuoteInvoiced,
    QuoteInvoiceWithdrawn,
    SeriesAdvanced,
    SettlementChanged,
)
from invoicing.services.ports import (
    AlreadyExists,
    ApiKeyRecord,
    ConditionFailed,
    Contention,
    Delivery,
    DeliveryPage,
    DeliveryRecord,
    DeliveryStatus,
    Disposition,
    DocumentSummary,
    ListFilters,
    QueuedDelivery,
    SealedEndpoint,
    Stored,
    StoredCustomer,
    SummaryPage,
    TooLarge,
)
from invoicing.shops.deliveries import ShopDeliveries
from tests.support.fake_platform import FakePlatform, FakePlatformConnections, FakePlatformTasks
from tests.support.fake_reports import FakeReports


@dataclass
class Counter:
    state: CounterState = field(default_factory=CounterState)
    lease_owner: str | None = None
    lease_expires_at: float = 0.0


@dataclass
class FakeStore:
    """What the single table holds, per tenant."""

    documents: dict[tuple[str, str], Stored[AnyDocument]] = field(default_factory=dict)
    counters: dict[tuple[str, Series], Counter] = field(default_factory=dict)
    reservations: dict[tuple[str, str], str] = field(default_factory=dict)
    max_document_bytes: int = 350_000
    lock: threading.Lock = field(default_factory=threading.Lock)
    commits: int = 0
    _failures: list[tuple[type, type[Exception]]] = field(default_factory=list)

    def fail_next(self, change: type, outcome: type[Exception] = ConditionFailed, times: int = 1) -> None:
        """The next `times` units of work that hold a change of this type are refused with `outcome`."""
        self._failures += [(change, outcome)] * times

    def document(self, tenant_id: str, document_id: str) -> AnyDocument:
        return self.documents[(tenant_id, document_id)].document

    def counter(self, tenant_id: str, series: Series) -> Counter:
        return self.counters.setdefault((tenant_id, series), Counter())


class FakeUnitOfWork:
    def __init__(self, store: FakeStore, tenant_id: str) -> None:
        self._store = store
        self._tenant = tenant_id
        self._changes: list[Change] = []

    def record(self, *changes: Change) -> None:
        self._changes.extend(changes)

    def commit(self) -> None:
        changes, self._changes = self._changes, []
        store = self._store
        with store.lock:
            for change in changes:
                self._refuse_injected(change)
                self._check(change)
            for change in changes:
                self._apply(change)
            store.commits += 1

    def _refuse_injected(self, change: Change) -> None:
        for position, (kind, outcome) in enumerate(self._store._failures):
            if isinstance(change, kind):
                del self._store._failures[position]
                if outcome is Contention:
                    raise Contention
                raise outcome(change)

    def _stored(self, document_id: str) -> Stored[AnyDocument] | None:
        return self._store.documents.get((self._tenant, document_id))

    def _check(self, change: Change) -> None:
        match change:
            case (
                DocumentCreated(document=document) | DocumentFinalized(document=document, draft_version=None)
            ):
                self._fits(document)
                if self._stored(document.id) is not None:
                    raise AlreadyExists(change)
            case (
                DocumentFinalized(document=document, draft_version=version)
                | DraftReplaced(document=document, version=version)
            ):
                self._fits(document)
                self._at_version(change, document.id, version)
            case DraftDeleted(document_id=document_id, version=None, resource=resource):
                stored = self._stored(document_id)
                if stored is None or not _unlinked_draft(stored.document, resource):
                    raise ConditionFailed(change, current=stored)
            case DraftDeleted(document_id=document_id, version=int(version)):
                self._at_version(change, document_id, version)
            case NumberReserved() | OrderReserved() | ExternalRefReserved():
                holder = self._store.reservations.get((self._tenant, _reservation(change)))
                if holder is not None:
                    raise AlreadyExists(change, holder=holder)
            case SeriesAdvanced(series=series, previous=previous, lease_owner=owner):
                counter = self._store.counter(self._tenant, series)
                if counter.lease_owner != owner or counter.state != previous:
                    raise ConditionFailed(change)
            case DocumentRendered(document_id=document_id):
                if self._stored(document_id) is None:
                    raise ConditionFailed(change)
            case SettlementChanged(before=before, after=after):
                current = self._document(change, after.id)
                if (
                    current.totals.amount_paid != before.totals.amount_paid
                    or current.totals.amount_credited != before.totals.amount_credited
                    or current.deducted_by != before.deducted_by
                    or _added(before.payments, after.payments) & {p.id for p in current.payments}
                    or _added(before.credit_notes, after.credit_notes) & {n.id for n in current.credit_notes}
                ):
                    raise ConditionFailed(change)
            case DepositDeducted(deposit=deposit):
                current = self._document(change, deposit.id)
                if (
                    current.deducted_by != deposit.deducted_by
                    or current.totals.amount_credited != deposit.totals.amount_credited
                ):
                    raise ConditionFailed(change)
            case (
                ProformaConverted(proforma_id=document_id, version=version)
                | QuoteDecided(quote_id=document_id, version=version)
                | QuoteInvoiced(quote_id=document_id, version=version)
            ):
                self._at_version(change, document_id, version)
            case QuoteInvoiceWithdrawn(quote_id=quote_id):
                if self._stored(quote_id) is None:
                    raise ConditionFailed(change)
            case LifecycleRecorded(document_id=document_id, entries=entries, flow_id=flow_id):
                reform = self._document(change, document_id).e_invoicing
                if reform is None or reform.processing_rule != "B2B":
                    raise ConditionFailed(change)
                if {entry.id for entry in entries} & {entry.id for entry in reform.history}:
                    raise ConditionFailed(change)
                if flow_id is not None and reform.flow_id not in (None, flow_id):
                    raise ConditionFailed(change)

    def _apply(self, change: Change) -> None:
        store, tenant = self._store, self._tenant
        match change:
            case DocumentFinalized(document=document, draft_version=None, settled=settled):
                store.documents[(tenant, document.id)] = Stored(settled or document, 1)
            case DocumentCreated(document=document):
                store.documents[(tenant, document.id)] = Stored(document, 1)
            case (
                DocumentFinalized(document=document, draft_version=version)
                | DraftReplaced(document=document, version=version)
            ):
                store.documents[(tenant, document.id)] = Stored(document, version + 1)
            case DraftDeleted(document_id=document_id):
                del store.documents[(tenant, document_id)]
            case NumberReserved() | OrderReserved() | ExternalRefReserved():
                store.reservations[(tenant, _reservation(change))] = change.document_id
            case SeriesAdvanced(series=series, following=following):
                store.counters[(tenant, series)] = Counter(following)
            case DocumentRendered(document_id=document_id, locale=locale):
                stored = store.documents[(tenant, document_id)]
                store.documents[(tenant, document_id)] = stored._replace(
                    rendered_locales=stored.rendered_locales | {locale}
                )
            case SettlementChanged(after=after):
                self._update(after.id, lambda document: after)
            case LifecycleRecorded(document_id=document_id, entries=entries, flow_id=flow_id):
                self._update(document_id, lambda document: _with_lifecycle(document, list(entries), flow_id))
            case DepositDeducted(deposit=deposit, final_id=final_id):
                self._update(
                    deposit.id, lambda document: document.model_copy(update={"deducted_by": final_id})
                )
            case ProformaConverted(proforma_id=proforma_id, invoice_id=invoice_id):
                self._update(
                    proforma_id, lambda document: document.model_copy(update={"converted_to": invoice_id}), 1
                )
            case QuoteDecided(quote_id=quote_id, decision=decision, at=at):
                self._update(
                    quote_id, lambda quote: quote.model_copy(update={"status": decision, "decided_at": at}), 1
                )
            case QuoteInvoiced(quote_id=quote_id, link=link, status=status):
                self._update(
                    quote_id,
                    lambda quote: quote.model_copy(
                        update={"invoices": [*quote.invoices, link], "status": status}
                    ),
                    1,
                )
            case QuoteInvoiceWithdrawn(quote_id=quote_id, document_id=document_id, status=status):
                self._update(
                    quote_id,
                    lambda quote: quote.model_copy(
                        update={"invoices": [link for link in quote.invoices if link.id != document_id]}
                        | ({"status": status} if status else {})
                    ),
                    1,
                )

    def _fits(self, document: AnyDocument) -> None:
        size = len(document.model_dump_json())
        if size > self._store.max_document_bytes:
            raise TooLarge(size, self._store.max_document_bytes)

    def _at_version(self, change: Change, document_id: str, version: int) -> None:
        stored = self._stored(document_id)
        if stored is None or stored.version != version:
            raise ConditionFailed(change)

    def _document(self, change: Change, document_id: str) -> Document:
        stored = self._stored(document_id)
        if stored is None or not isinstance(stored.document, Document):
            raise ConditionFailed(change)
        return stored.document

    def _update(self, document_id: str, updated: object, bump: int = 0) -> None:
        key = (self._tenant, document_id)
        stored = self._store.documents[key]
        self._store.documents[key] = Stored(
            updated(stored.document),  # type: ignore[operator]
            stored.version + bump,
            stored.rendered_locales,
        )


def _reservation(change: NumberReserved | OrderReserved | ExternalRefReserved) -> str:
    match change:
        case NumberReserved():
            return f"NUMBER#{change.number}"
        case OrderReserved():
            return f"ORDER#{change.order_key}"
        case ExternalRefReserved():
            return f"EXTREF#{change.external_ref}"


def _with_lifecycle(document: Document, entries: list[StatusEntry], flow_id: str | None) -> Document:
    reform = document.e_invoicing
    assert reform is not None
    reform = with_entries(reform, entries)
    if flow_id is not None:
        reform = reform.model_copy(update={"flow_id": flow_id})
    return document.model_copy(update={"e_invoicing": reform})


def _added(before: list[object], after: list[object]) -> set[str]:
    return {entry.id for entry in after} - {entry.id for entry in before}  # type: ignore[attr-defined]


class FakeDocuments:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def get(self, tenant_id: str, document_id: str) -> Stored[AnyDocument] | None:
        with self._store.lock:
            return self._store.documents.get((tenant_id, document_id))


class FakeNumbering:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def take_lease(
        self, tenant_id: str, series: Series, owner: str, *, now: float, seconds: float
    ) -> CounterState | float:
        with self._store.lock:
            counter = self._store.counter(tenant_id, series)
            if counter.lease_owner is not None and counter.lease_expires_at >= now:
                return counter.lease_expires_at - now
            counter.lease_owner, counter.lease_expires_at = owner, now + seconds
            return counter.state

    def release_lease(self, tenant_id: str, series: Series, owner: str) -> None:
        with self._store.lock:
            counter = self._store.counter(tenant_id, series)
            if counter.lease_owner == owner:
                counter.lease_owner = None


class FakeListing:
    """Newest first; filters as the index's are (status, type, part of the customer's name, dates)."""

    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def _summaries(self, tenant_id: str, resource: Resource) -> list[DocumentSummary]:
        with self._store.lock:
            documents = [
                stored.document
                for (tenant, _), stored in self._store.documents.items()
                if tenant == tenant_id and stored.document.kind.resource == resource
            ]
        summaries = [_summary(document) for document in documents]
        return sorted(summaries, key=lambda summary: summary.position, reverse=True)

    def page(
        self, tenant_id: str, filters: ListFilters, *, resource: Resource, after: str | None, limit: int
    ) -> SummaryPage:
        found = [
            summary
            for summary in self._summaries(tenant_id, resource)
            if (after is None or summary.position < after) and filters.matches(summary)
        ]
        next_position = found[limit - 1].position if len(found) > limit else None
        return SummaryPage(found[:limit], next_position, Decimal(0))

    def by_number(self, tenant_id: str, number: str) -> DocumentSummary | None:
        document_id = self._store.reservations.get((tenant_id, f"NUMBER#{number}"))
        stored = self._store.documents.get((tenant_id, document_id)) if document_id else None
        return _summary(stored.document) if stored else None

    def ledger(self, tenant_id: str, issued_from: date, issued_to: date) -> list[LedgerDocument]:
        with self._store.lock:
            documents = [
                stored.document
                for (tenant, _), stored in self._store.documents.items()
                if tenant == tenant_id and isinstance(stored.document, Document)
            ]
        entries = [entry for document in documents if (entry := ledger_document(document)) is not None]
        return [entry for entry in entries if issued_from <= entry.issue_date <= issued_to]


def _summary(document: AnyDocument) -> DocumentSummary:
    return DocumentSummary(
        id=document.id,
        type=document.type,
        status=document.status,
        number=document.number,
        customer_name=document.customer.name,
        issue_date=document.issue_date,
        due_date=document.due_date,
        valid_until=document.valid_until,
        currency=document.currency,
        total_incl_tax=document.totals.total_incl_tax,
        amount_due=document.totals.amount_due,
        created_at=document.created_at,
        position=f"{document.created_at.isoformat()}#{document.id}",
    )


class FakeCustomers:
    def __init__(self) -> None:
        self.customers: dict[tuple[str, str], StoredCustomer] = {}

    def put(self, tenant_id: str, stored: StoredCustomer, *, previous_version: int | None) -> None:
        current = self.customers.get((tenant_id, stored.id))
        if (current.version if current else None) != previous_version:
            raise ConditionFailed
        self.customers[(tenant_id, stored.id)] = stored

    def get(self, tenant_id: str, customer_id: str) -> StoredCustomer | None:
        return self.customers.get((tenant_id, customer_id))

    def page(
        self, tenant_id: str, *, before: str | None, limit: int
    ) -> tuple[list[StoredCustomer], str | None]:
        ids = sorted((cid for tenant, cid in self.customers if tenant == tenant_id), reverse=True)
        ids = [cid for cid in ids if before is None or cid < before]
        page = [self.customers[(tenant_id, cid)] for cid in ids[:limit]]
        return page, page[-1].id if len(ids) > limit else None


class FakeTenants:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.keys: dict[str, tuple[str, ApiKeyRecord]] = {}  # by hash: the tenant and the key
        self._settings: dict[str, TenantSettings] = {}
        self.settings_reads = 0

    def create_tenant(self, tenant_id: str, name: str, first_key: ApiKeyRecord, key_hash: str) -> None:
        self.names[tenant_id] = name
        self.keys[key_hash] = (tenant_id, first_key)

    def add_api_key(self, tenant_id: str, api_key: ApiKeyRecord, key_hash: str, *, most: int) -> None:
        if len(self.api_keys(tenant_id)) >= most:
            raise ConditionFailed
        self.keys[key_hash] = (tenant_id, api_key)

    def api_keys(self, tenant_id: str) -> list[ApiKeyRecord]:
        held = [record for tenant, record in self.keys.values() if tenant == tenant_id]
        return sorted(held, key=lambda record: (record.created_at, record.id), reverse=True)

    def revoke_api_key(self, tenant_id: str, key_id: str) -> ApiKeyRecord | None:
        found = [(h, r) for h, (tenant, r) in self.keys.items() if tenant == tenant_id and r.id == key_id]
        if not found:
            return None
        if len(self.api_keys(tenant_id)) == 1:
            raise ConditionFailed
        del self.keys[found[0][0]]
        return found[0][1]._replace(last_used_at=None)

    def use_api_key(self, key_hash: str, used_at: str) -> str | None:
        if key_hash not in self.keys:
            return None
        tenant_id, record = self.keys[key_hash]
        self.keys[key_hash] = (tenant_id, record._replace(last_used_at=used_at))
        return tenant_id

    def settings(self, tenant_id: str) -> TenantSettings:
        self.settings_reads += 1
        return self._settings.get(tenant_id, TenantSettings())

    def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        self._settings[tenant_id] = settings


class FakeWebhooks:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self.endpoints_by_id: dict[str, SealedEndpoint] = {}

    def put_endpoint(self, tenant_id: str, endpoint: WebhookEndpoint, sealed_secret: str) -> None:
        self.endpoints_by_id[endpoint.id] = SealedEndpoint(tenant_id, endpoint, sealed_secret)

    def endpoint(self, endpoint_id: str) -> SealedEndpoint | None:
        return self.endpoints_by_id.get(endpoint_id)

    def endpoints(self, tenant_id: str) -> list[WebhookEndpoint]:
        found = [sealed.endpoint for sealed in self.endpoints_by_id.values() if sealed.tenant_id == tenant_id]
        return sorted(found, key=lambda endpoint: endpoint.created_at)

    def delete_endpoint(self, tenant_id: str, endpoint_id: str) -> None:
        sealed = self.endpoints_by_id.get(endpoint_id)
        if sealed is None or sealed.tenant_id != tenant_id:
            raise ConditionFailed
        del self.endpoints_by_id[endpoint_id]

    def order_document(self, tenant_id: str, keys: tuple[str, ...]) -> str | None:
        for order_key in keys:
            found = self._store.reservations.get((tenant_id, f"ORDER#{order_key}"))
            if found is not None:
                return found
        return None


class FakeDeliveryRecords:
    """Deliveries as received, and their records: what became of each."""

    def __init__(self) -> None:
        self.received: dict[tuple[str, str, str], Delivery] = {}
        self.records: dict[tuple[str, str, str], DeliveryRecord] = {}
        self.waiting: dict[tuple[str, str, str], QueuedDelivery] = {}
        self._lock = threading.Lock()

    def record_delivery(self, tenant_id: str, delivery: Delivery) -> None:
        key = (tenant_id, delivery.provider, delivery.delivery_id)
        with self._lock:
            if key in self.received:
                raise AlreadyExists
            self.received[key] = delivery
            self.records[key] = DeliveryRecord(
                delivery.provider,
                delivery.delivery_id,
                delivery.endpoint_id,
                delivery.topic,
                delivery.received_at,
                "queued",
                0,
            )

    def delivery(self, tenant_id: str, provider: Provider, delivery_id: str) -> Delivery | None:
        return self.received.get((tenant_id, provider, delivery_id))

    def record(self, tenant_id: str, delivery_id: str) -> DeliveryRecord:
        (found,) = [
            record for key, record in self.records.items() if key[0] == tenant_id and key[2] == delivery_id
        ]
        return found

    def start_attempt(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        key = (tenant_id, delivery.provider, delivery.delivery_id)
        with self._lock:
            record = self.records[key]
            self.records[key] = record._replace(attempts=record.attempts + 1)
            return self.records[key]

    def mark_delivery(
        self,
        tenant_id: str,
        delivery: Delivery,
        status: DeliveryStatus,
        *,
        document_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        key = (tenant_id, delivery.provider, delivery.delivery_id)
        with self._lock:
            self.records[key] = self.records[key]._replace(
                status=status, document_id=document_id, reason=reason
            )

    def requeue(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        key = (tenant_id, delivery.provider, delivery.delivery_id)
        with self._lock:
            if self.records[key].status != "failed":
                raise ConditionFailed
            self.records[key] = self.records[key]._replace(status="queued", reason="retry requested")
            return self.records[key]

    def deliveries(self, tenant_id: str, endpoint_id: str, *, limit: int, after: str | None) -> DeliveryPage:
        def position(record: DeliveryRecord) -> str:
            return f"{record.received_at.isoformat()}#{record.delivery_id}"

        mine = sorted(
            (
                r
                for (tenant, _, _), r in self.records.items()
                if tenant == tenant_id and r.endpoint_id == endpoint_id
            ),
            key=position,
            reverse=True,
        )
        if after is not None:
            mine = [record for record in mine if position(record) < after]
        page = mine[:limit]
        return DeliveryPage(page, position(page[-1]) if len(mine) > limit else None)

    def wait_for_order(self, tenant_id: str, queued: QueuedDelivery) -> None:
        self.waiting[(tenant_id, queued.order_key, queued.delivery_id)] = queued

    def waiting_for(self, tenant_id: str, order_keys: tuple[str, ...]) -> list[QueuedDelivery]:
        return [
            queued
            for (tenant, key, _), queued in self.waiting.items()
            if tenant == tenant_id and key in order_keys
        ]

    def stop_waiting(self, tenant_id: str, queued: QueuedDelivery) -> None:
        self.waiting.pop((tenant_id, queued.order_key, queued.delivery_id), None)


@dataclass(frozen=True)
class StoredFile:
    body: bytes
    content_type: str
    retain_until: datetime | None


class FakeFiles:
    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}
        self.lock = threading.Lock()

    def put_once(
        self, key: str, body: bytes, content_type: str, *, retain_until: datetime | None = None
    ) -> bool:
        with self.lock:
            if key in self.files:
                return False
            self.files[key] = StoredFile(body, content_type, retain_until)
            return True

    def put(self, key: str, body: bytes, content_type: str) -> None:
        with self.lock:
            self.files[key] = StoredFile(body, content_type, None)

    def get(self, key: str) -> bytes | None:
        with self.lock:
            stored = self.files.get(key)
        return stored.body if stored else None

    def link(self, key: str, *, filename: str, disposition: Disposition) -> str:
        return f"memory://{key}?filename={filename}&disposition={disposition}"


class FakeQueue:
    def __init__(self) -> None:
        self.sent: list[QueuedDelivery] = []

    def send(self, delivery: QueuedDelivery) -> None:
        self.sent.append(delivery)


class FakeEvents:
    def __init__(self) -> None:
        self.published: list[Event] = []

    def publish(self, events: Sequence[Event]) -> None:
        self.published.extend(events)


class FakeSecrets:
    """Sealed with its tenant and endpoint as context: a secret moved to another endpoint does not open."""

    def seal(self, secret: str, *, tenant_id: str, endpoint_id: str) -> str:
        return base64.b64encode(json.dumps([tenant_id, endpoint_id, secret]).encode()).decode()

    def open(self, sealed: str, *, tenant_id: str, endpoint_id: str) -> str:
        tenant, endpoint, secret = json.loads(base64.b64decode(sealed))
        if (tenant, endpoint) != (tenant_id, endpoint_id):
            raise ValueError("sealed for another endpoint")
        return str(secret)


class FakeRemoteFiles:
    def __init__(self, files: Mapping[str, bytes] | None = None) -> None:
        self.files = dict(files or {})

    def fetch(self, url: str) -> bytes:
        return self.files[url]


class FakeRenderer:
    """Files that say what they are and of which document, so a test can tell them apart."""

    def __init__(self) -> None:
        self.rendered: list[tuple[str, Language, bool]] = []
        self.lock = threading.Lock()

    def html(self, document: AnyDocument, locale: Language, *, preview: bool = False) -> str:
        with self.lock:
            self.rendered.append((document.id, locale, preview))
        return f"<html lang='{locale}'>{document.number or 'draft'}{' preview' if preview else ''}</html>"

    def pdf(self, html: str) -> bytes:
        return b"%PDF-" + html.encode()

    def cii(self, document: Document) -> bytes:
        return f"<cii>{document.number}</cii>".encode()

    def ubl(self, document: Document) -> bytes:
        return f"<ubl>{document.number}</ubl>".encode()

    def facturx(self, pdf: bytes, cii: bytes, document: Document) -> bytes:
        return pdf + b" with " + cii


class FakeDependencies:
    """The ports a use case reaches for, every one of them in memory."""

    def __init__(self) -> None:
        self.store = FakeStore()
        self.documents = FakeDocuments(self.store)
        self.listing = FakeListing(self.store)
        self.numbering = FakeNumbering(self.store)
        self.customers = FakeCustomers()
        self.tenants = FakeTenants()
        self.webhooks = FakeWebhooks(self.store)
        self.delivery_records = FakeDeliveryRecords()
        self.files = FakeFiles()
        self.deliveries = FakeQueue()
        self.events = FakeEvents()
        self.secrets = FakeSecrets()
        self.remote_files = FakeRemoteFiles()
        self.renderer = FakeRenderer()
        self.shops = ShopDeliveries()
        self.platforms = FakePlatform()
        self.platform_connections = FakePlatformConnections()
        self.platform_tasks = FakePlatformTasks()
        self.status_messages = CdarMessages()
        self.reports = FakeReports()
        self.report_syntax = FrrReports()
        self.retention_years = 10

    def unit_of_work(self, tenant_id: str) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, tenant_id)


def _unlinked_draft(document: AnyDocument, resource: str) -> bool:
    """What the store's condition on deleting a draft linked to nothing checks."""
    if document.kind.resource != resource or not document.is_draft:
        return False
    return not isinstance(document, Document) or (document.quote is None and document.converted_to is None)
