"""The adapters a use case needs, each built from the environment on first use and then kept.

A function's environment holds only what its template entry gives it (the drafts function has no
bucket), so an adapter is made only when a use case reaches for it.
"""

from __future__ import annotations

from functools import cache, cached_property

from invoicing.adapters import aws
from invoicing.adapters.dynamodb.customers import CustomerTable
from invoicing.adapters.dynamodb.documents import DocumentTable
from invoicing.adapters.dynamodb.imports import ImportTable
from invoicing.adapters.dynamodb.listing import DocumentListing
from invoicing.adapters.dynamodb.numbering import SeriesTable
from invoicing.adapters.dynamodb.quotes import QuoteTable
from invoicing.adapters.dynamodb.tenants import TenantTable
from invoicing.adapters.dynamodb.webhooks import WebhookTable
from invoicing.adapters.eventbridge import EventBus
from invoicing.adapters.kms import SecretBox
from invoicing.adapters.remote_files import RemoteFiles
from invoicing.adapters.s3 import DocumentStore
from invoicing.adapters.sqs import DeliveryQueue


class Dependencies:
    @cached_property
    def customers(self) -> CustomerTable:
        return CustomerTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def deliveries(self) -> DeliveryQueue:
        return DeliveryQueue(aws.sqs(), aws.webhook_queue_url())

    @cached_property
    def documents(self) -> DocumentTable:
        return DocumentTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def events(self) -> EventBus:
        return EventBus(aws.events(), aws.event_bus_name())

    @cached_property
    def imports(self) -> ImportTable:
        return ImportTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def listing(self) -> DocumentListing:
        return DocumentListing(aws.dynamodb(), aws.table_name())

    @cached_property
    def quotes(self) -> QuoteTable:
        return QuoteTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def remote_files(self) -> RemoteFiles:
        return RemoteFiles()

    @cached_property
    def secrets(self) -> SecretBox:
        return SecretBox(aws.kms(), aws.webhook_key_id())

    @cached_property
    def series(self) -> SeriesTable:
        return SeriesTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def tenants(self) -> TenantTable:
        return TenantTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def webhooks(self) -> WebhookTable:
        return WebhookTable(aws.dynamodb(), aws.table_name())

    @cached_property
    def retention_years(self) -> int:
        """How long finalized documents' files stay under Object Lock (the template's parameter)."""
        return aws.archive_retention_years()

    @cached_property
    def store(self) -> DocumentStore:
        return DocumentStore(aws.s3(), aws.bucket_name())


@cache
def from_environment() -> Dependencies:
    return Dependencies()
