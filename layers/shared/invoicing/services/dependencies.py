"""The adapters a use case needs, built once per execution environment from its environment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from invoicing.adapters import aws
from invoicing.adapters.dynamodb.documents import DocumentTable
from invoicing.adapters.dynamodb.listing import DocumentListing
from invoicing.adapters.dynamodb.numbering import SeriesTable
from invoicing.adapters.dynamodb.tenants import TenantTable
from invoicing.adapters.s3 import DocumentStore


@dataclass(frozen=True)
class Dependencies:
    documents: DocumentTable
    listing: DocumentListing
    series: SeriesTable
    tenants: TenantTable
    store: DocumentStore


@cache
def from_environment() -> Dependencies:
    table = aws.table_name()
    return Dependencies(
        documents=DocumentTable(aws.dynamodb(), table),
        listing=DocumentListing(aws.dynamodb(), table),
        series=SeriesTable(aws.dynamodb(), table),
        tenants=TenantTable(aws.dynamodb(), table),
        store=DocumentStore(aws.s3(), aws.bucket_name()),
    )
