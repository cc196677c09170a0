"""Imported documents in DynamoDB: the document and its external_ref's reservation, together.

The reservation item (`EXTREF#<ref>`) makes an external_ref unique per tenant whatever races: two
imports of one reference write one document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.documents import StoredDocument, new_document_put
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import Document

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class ImportTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put_external(self, tenant_id: str, document: Document) -> StoredDocument:
        assert document.external_ref is not None
        pk = tenant_pk(tenant_id)
        try:
            self._client.transact_write_items(
                TransactItems=[
                    new_document_put(self._table, tenant_id, document),
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": key(pk, f"EXTREF#{document.external_ref}")
                            | to_item({"document_id": document.id}),
                            "ConditionExpression": "attribute_not_exists(pk)",
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        }
                    },
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            if len(reasons) < 2 or reasons[1].get("Code") != "ConditionalCheckFailed":
                raise
            existing = from_item(cast("dict[str, Any]", reasons[1].get("Item") or {})).get("document_id")
            raise StateConflict(
                f"external_ref {document.external_ref!r} is already imported as {existing}",
                code="external_ref_taken",
                field="external_ref",
            ) from None
        return StoredDocument(document, version=1)
