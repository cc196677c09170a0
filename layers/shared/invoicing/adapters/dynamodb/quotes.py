"""A finalized quote's life in DynamoDB: the customer's decision, and the documents made from it.

Both are written beside the quote's frozen body (status, decided_at, the `invoices` map, version);
each write is conditional on the quote being as the caller read it, so a quote is never accepted
and declined, never invoiced twice in full and never given deposits past 100 %.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.documents import StoredDocument, new_document_put
from invoicing.adapters.dynamodb.table import key, tenant_pk, to_item
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import Document, QuoteInvoice

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class QuoteTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def decide(self, tenant_id: str, quote: StoredDocument, status: str, *, at: datetime) -> StoredDocument:
        """Record the customer's decision on an open quote; the first decision is the only one."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), f"DOC#{quote.document.id}"),
                UpdateExpression="SET #status = :decision, decided_at = :at, version = :next",
                ConditionExpression="#status = :open AND version = :version",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item(
                    {
                        ":decision": status,
                        ":at": at.isoformat(),
                        ":open": "open",
                        ":version": quote.version,
                        ":next": quote.version + 1,
                    }
                ),
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            raise StateConflict(
                "the quote was decided by another request: read it again", code="conflict"
            ) from None
        decided = quote.document.model_copy(update={"status": status, "decided_at": at})
        return StoredDocument(decided, quote.version + 1)

    def add_invoice(
        self, tenant_id: str, quote: StoredDocument, document: Document, link: QuoteInvoice
    ) -> StoredDocument:
        """The draft made from the quote and the quote's link to it, together; a final invoice also
        marks the quote invoiced. Refused if the quote changed since it was read."""
        full = link.type == "invoice"
        mark = ", #status = :invoiced" if full else ""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    new_document_put(self._table, tenant_id, document),
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), f"DOC#{quote.document.id}"),
                            "UpdateExpression": f"SET invoices.#link = :link, version = :next{mark}",
                            "ConditionExpression": "#status = :accepted AND version = :version",
                            "ExpressionAttributeNames": {"#link": document.id, "#status": "status"},
                            "ExpressionAttributeValues": to_item(
                                {
                                    ":link": link.model_dump_json(exclude_none=True),
                                    ":accepted": "accepted",
                                    ":version": quote.version,
                                    ":next": quote.version + 1,
                                }
                                | ({":invoiced": "invoiced"} if full else {})
                            ),
                        }
                    },
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            raise StateConflict(
                "the quote was invoiced or changed by another request: read it again", code="conflict"
            ) from None
        return StoredDocument(document, version=1)
