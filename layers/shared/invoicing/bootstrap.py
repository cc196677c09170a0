"""The composition root: the real adapters behind the services' ports, built from a function's
environment. Handlers, the local stack and the CLI take their dependencies from here; the tests
hand the services in-memory fakes instead.

A function's environment holds only what its template entry gives it (the drafts function has no
bucket), so the environment is validated once, at INIT, and each adapter is made, its module
loaded, when a use case first reaches for it: a function pays at cold start only for the adapters
its routes use (the authorizer, for one, loads the tenants' table alone).
"""

from __future__ import annotations

import os
import warnings
from functools import cache, cached_property
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field

from invoicing.adapters import aws

# A function that recorded no metric in an invocation publishes none, as meant: Powertools' warning
# about it would otherwise fill every function's log.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from invoicing.adapters.dynamodb.customers import CustomerTable
    from invoicing.adapters.dynamodb.deliveries import DeliveryTable
    from invoicing.adapters.dynamodb.documents import DocumentTable
    from invoicing.adapters.dynamodb.e_reporting import ReportTable
    from invoicing.adapters.dynamodb.listing import DocumentListing
    from invoicing.adapters.dynamodb.numbering import SeriesTable
    from invoicing.adapters.dynamodb.platforms import PlatformTable
    from invoicing.adapters.dynamodb.tenants import TenantTable
    from invoicing.adapters.dynamodb.unit_of_work import DynamoUnitOfWork
    from invoicing.adapters.dynamodb.webhooks import WebhookTable
    from invoicing.adapters.eventbridge import EventBus
    from invoicing.adapters.flow_service import FlowServicePlatforms
    from invoicing.adapters.kms import SecretBox
    from invoicing.adapters.remote_files import PublicHttpsFiles
    from invoicing.adapters.s3 import DocumentStore
    from invoicing.adapters.sqs import SqsDeliveryQueue, SqsPlatformTasks
    from invoicing.einvoice.cdar import CdarMessages
    from invoicing.einvoice.frr import FrrReports
    from invoicing.rendering.renderer import DocumentRenderer
    from invoicing.shops.deliveries import ShopDeliveries


class Clients(Protocol):
    """Where the AWS clients come from: the `aws` module on AWS, or the local stack's moto."""

    def dynamodb(self) -> DynamoDBClient: ...
    def s3(self) -> S3Client: ...
    def sqs(self) -> SQSClient: ...
    def kms(self) -> KMSClient: ...
    def events(self) -> EventBridgeClient: ...


class MissingSetting(RuntimeError):
    """The function reached for an adapter its template entry gives it no setting for."""


class Environment(BaseModel):
    """What the template gives a function, by the names it gives them."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str | None = Field(default=None, alias="TABLE_NAME", min_length=3, max_length=255)
    idempotency_table: str | None = Field(
        default=None, alias="IDEMPOTENCY_TABLE", min_length=3, max_length=255
    )
    documents_bucket: str | None = Field(default=None, alias="DOCUMENTS_BUCKET", min_length=3, max_length=63)
    event_bus_name: str | None = Field(default=None, alias="EVENT_BUS_NAME", min_length=1)
    webhook_queue_url: str | None = Field(default=None, alias="WEBHOOK_QUEUE_URL", pattern=r"^https?://")
    webhook_key_id: str | None = Field(default=None, alias="WEBHOOK_KEY_ID", min_length=1)
    platform_queue_url: str | None = Field(default=None, alias="PLATFORM_QUEUE_URL", pattern=r"^https?://")
    # Only the local stack sets it, for its platform emulator on 127.0.0.1.
    allow_loopback_platforms: bool = Field(default=False, alias="ALLOW_LOOPBACK_PLATFORMS")
    archive_retention_years: int = Field(default=10, alias="ARCHIVE_RETENTION_YEARS", ge=1, le=100)

    def required(self, name: str) -> str:
        value = getattr(self, name)
        if not value:
            alias = type(self).model_fields[name].alias
            raise MissingSetting(f"this function has no {alias}: its template entry does not give it one")
        return str(value)


class AwsDependencies:
    """Every port, on AWS (or on the local stack, when AWS_ENDPOINT_URL points at it)."""

    def __init__(self, environment: Environment, clients: Clients = aws) -> None:
        self.environment = environment
        self._clients = clients

    @cached_property
    def _table(self) -> str:
        return self.environment.required("table_name")

    @cached_property
    def documents(self) -> DocumentTable:
        from invoicing.adapters.dynamodb.documents import DocumentTable  # noqa: PLC0415

        return DocumentTable(self._clients.dynamodb(), self._table)

    @cached_property
    def listing(self) -> DocumentListing:
        from invoicing.adapters.dynamodb.listing import DocumentListing  # noqa: PLC0415

        return DocumentListing(self._clients.dynamodb(), self._table)

    @cached_property
    def numbering(self) -> SeriesTable:
        from invoicing.adapters.dynamodb.numbering import SeriesTable  # noqa: PLC0415

        return SeriesTable(self._clients.dynamodb(), self._table)

    @cached_property
    def customers(self) -> CustomerTable:
        from invoicing.adapters.dynamodb.customers import CustomerTable  # noqa: PLC0415

        return CustomerTable(self._clients.dynamodb(), self._table)

    @cached_property
    def tenants(self) -> TenantTable:
        from invoicing.adapters.dynamodb.tenants import TenantTable  # noqa: PLC0415

        return TenantTable(self._clients.dynamodb(), self._table)

    @cached_property
    def webhooks(self) -> WebhookTable:
        from invoicing.adapters.dynamodb.webhooks import WebhookTable  # noqa: PLC0415

        return WebhookTable(self._clients.dynamodb(), self._table)

    @cached_property
    def delivery_records(self) -> DeliveryTable:
        from invoicing.adapters.dynamodb.deliveries import DeliveryTable  # noqa: PLC0415

        return DeliveryTable(self._clients.dynamodb(), self._table)

    def unit_of_work(self, tenant_id: str) -> DynamoUnitOfWork:
        from invoicing.adapters.dynamodb.unit_of_work import DynamoUnitOfWork  # noqa: PLC0415

        return DynamoUnitOfWork(self._clients.dynamodb(), self._table, tenant_id)

    @cached_property
    def files(self) -> DocumentStore:
        from invoicing.adapters.s3 import DocumentStore  # noqa: PLC0415

        return DocumentStore(self._clients.s3(), self.environment.required("documents_bucket"))

    @cached_property
    def deliveries(self) -> SqsDeliveryQueue:
        from invoicing.adapters.sqs import SqsDeliveryQueue  # noqa: PLC0415

        return SqsDeliveryQueue(self._clients.sqs(), self.environment.required("webhook_queue_url"))

    @cached_property
    def events(self) -> EventBus:
        from invoicing.adapters.eventbridge import EventBus  # noqa: PLC0415

        return EventBus(self._clients.events(), self.environment.required("event_bus_name"))

    @cached_property
    def secrets(self) -> SecretBox:
        from invoicing.adapters.kms import SecretBox  # noqa: PLC0415

        # Only the function that creates endpoints encrypts, so only it is given the key's id.
        return SecretBox(self._clients.kms(), self.environment.webhook_key_id)

    @cached_property
    def remote_files(self) -> PublicHttpsFiles:
        from invoicing.adapters.remote_files import PublicHttpsFiles  # noqa: PLC0415

        return PublicHttpsFiles()

    @cached_property
    def renderer(self) -> DocumentRenderer:
        # The heaviest of all (xhtml2pdf, factur-x): a function that only sometimes renders (create:
        # drafts) skips it at cold start.
        from invoicing.rendering.renderer import DocumentRenderer  # noqa: PLC0415

        return DocumentRenderer()

    @cached_property
    def shops(self) -> ShopDeliveries:
        from invoicing.shops.deliveries import ShopDeliveries  # noqa: PLC0415

        return ShopDeliveries()

    @cached_property
    def platforms(self) -> FlowServicePlatforms:
        from invoicing.adapters.flow_service import FlowServicePlatforms  # noqa: PLC0415

        return FlowServicePlatforms(allow_loopback=self.environment.allow_loopback_platforms)

    @cached_property
    def platform_connections(self) -> PlatformTable:
        from invoicing.adapters.dynamodb.platforms import PlatformTable  # noqa: PLC0415

        return PlatformTable(self._clients.dynamodb(), self._table)

    @cached_property
    def platform_tasks(self) -> SqsPlatformTasks:
        from invoicing.adapters.sqs import SqsPlatformTasks  # noqa: PLC0415

        return SqsPlatformTasks(self._clients.sqs(), self.environment.required("platform_queue_url"))

    @cached_property
    def status_messages(self) -> CdarMessages:
        from invoicing.einvoice.cdar import CdarMessages  # noqa: PLC0415

        return CdarMessages()

    @cached_property
    def reports(self) -> ReportTable:
        from invoicing.adapters.dynamodb.e_reporting import ReportTable  # noqa: PLC0415

        return ReportTable(self._clients.dynamodb(), self._table)

    @cached_property
    def report_syntax(self) -> FrrReports:
        from invoicing.einvoice.frr import FrrReports  # noqa: PLC0415

        return FrrReports()

    @property
    def retention_years(self) -> int:
        return self.environment.archive_retention_years

    @cached_property
    def idempotency_store(self) -> DynamoDBPersistenceLayer:
        """Where Powertools Idempotency keeps the first answer to each Idempotency-Key. Only the create
        function deduplicates requests, so only it loads the idempotency package."""
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer  # noqa: PLC0415

        return DynamoDBPersistenceLayer(
            table_name=self.environment.required("idempotency_table"), boto3_client=self._clients.dynamodb()
        )


@cache
def from_environment() -> AwsDependencies:
    """The function's dependencies, made once per execution environment from its variables."""
    return AwsDependencies(Environment.model_validate(dict(os.environ)))
