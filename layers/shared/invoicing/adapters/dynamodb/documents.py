"""Documents and their numbering in DynamoDB: a draft is one PutItem, a finalization one transaction."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.errors import DomainError
from invoicing.domain.model import Document

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# DynamoDB items stop at 400 KB; the compressed document keeps well under with room for attributes.
MAX_STORED_DOCUMENT_BYTES = 350_000


class DocumentTooLarge(DomainError):
    code = "document_too_large"


@dataclass(frozen=True)
class CounterState:
    """Where a series stands: its last sequence number, in which period, issued on which date."""

    seq: int = 0
    period: str | None = None
    last_issue_date: date | None = None

    def following(self, period: str, issue_date: date) -> CounterState:
        seq = self.seq + 1 if period == self.period else 1
        return CounterState(seq=seq, period=period, last_issue_date=issue_date)


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    version: int
    rendered_locales: frozenset[str] = field(default_factory=frozenset)


class CounterMoved(Exception):
    """Another finalization took the number first; `state` is the counter as it now stands."""

    def __init__(self, state: CounterState | None) -> None:
        super().__init__("the series counter moved")
        self.state = state


class DocumentChanged(Exception):
    """The draft was finalized or changed by someone else since it was read."""


class NumberTaken(Exception):
    """The counter matched but the number is already reserved: a numbering pattern change collided."""


class TransactionContention(Exception):
    """DynamoDB refused the transaction because another one held an item: try again as is."""


def _counter_state(item: dict[str, Any] | None) -> CounterState:
    if not item:
        return CounterState()
    values = from_item(item)
    last = values.get("last_issue_date")
    return CounterState(
        seq=int(values.get("seq", 0)),
        period=values.get("period"),
        last_issue_date=date.fromisoformat(last) if last else None,
    )


class DocumentTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put_draft(self, tenant_id: str, document: Document) -> StoredDocument:
        self._client.put_item(
            TableName=self._table,
            Item=self._document_item(tenant_id, document, version=1),
            ConditionExpression="attribute_not_exists(pk)",
        )
        return StoredDocument(document, version=1)

    def get(self, tenant_id: str, document_id: str) -> StoredDocument | None:
        response = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), f"DOC#{document_id}"), ConsistentRead=True
        )
        item = response.get("Item")
        if item is None:
            return None
        values = from_item(item)
        document = Document.model_validate_json(zlib.decompress(bytes(values["body"])))
        return StoredDocument(document, int(values["version"]), frozenset(values.get("rendered", ())))

    def counter(self, tenant_id: str, series: str) -> CounterState:
        response = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), f"COUNTER#{series}"), ConsistentRead=True
        )
        return _counter_state(response.get("Item"))

    def commit_finalization(
        self,
        tenant_id: str,
        document: Document,
        *,
        series: str,
        previous: CounterState,
        following: CounterState,
        draft_version: int | None,
    ) -> StoredDocument:
        """Write the counter, the number's reservation and the frozen document, all or nothing.

        `draft_version` is the version of the stored draft that was frozen, or None when the
        document is created finalized.
        """
        assert document.number is not None
        assert following.last_issue_date is not None
        pk = tenant_pk(tenant_id)
        version = (draft_version or 0) + 1
        counter_update: dict[str, Any] = {
            "Update": {
                "TableName": self._table,
                "Key": key(pk, f"COUNTER#{series}"),
                "UpdateExpression": "SET seq = :seq, #period = :period, last_issue_date = :issued, "
                "last_number = :number",
                "ExpressionAttributeNames": {"#period": "period"},
                "ExpressionAttributeValues": to_item(
                    {
                        ":seq": following.seq,
                        ":period": following.period,
                        ":issued": following.last_issue_date.isoformat(),
                        ":number": document.number,
                    }
                    | (
                        {}
                        if previous.seq == 0
                        else {":expected": previous.seq, ":expected_period": previous.period}
                    )
                ),
                "ConditionExpression": "attribute_not_exists(pk)"
                if previous.seq == 0
                else "seq = :expected AND #period = :expected_period",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        reservation: dict[str, Any] = {
            "Put": {
                "TableName": self._table,
                "Item": key(pk, f"NUMBER#{document.number}") | to_item({"document_id": document.id}),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        frozen: dict[str, Any] = {
            "Put": {
                "TableName": self._table,
                "Item": self._document_item(tenant_id, document, version=version),
                "ConditionExpression": "attribute_not_exists(pk)"
                if draft_version is None
                else "#status = :draft AND version = :version",
                **(
                    {}
                    if draft_version is None
                    else {
                        "ExpressionAttributeNames": {"#status": "status"},
                        "ExpressionAttributeValues": to_item({":draft": "draft", ":version": draft_version}),
                    }
                ),
            }
        }
        try:
            items = [counter_update, reservation, frozen]
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", items))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            self._raise_cancellation(error)
        return StoredDocument(document, version)

    @staticmethod
    def _raise_cancellation(error: ClientError) -> None:
        reasons = error.response.get("CancellationReasons", [])
        codes = [reason.get("Code") for reason in reasons]
        if "TransactionConflict" in codes:
            raise TransactionContention from error
        if len(reasons) == 3 and codes[2] == "ConditionalCheckFailed":
            raise DocumentChanged from error
        if codes and codes[0] == "ConditionalCheckFailed":
            item = reasons[0].get("Item")
            raise CounterMoved(_counter_state(dict(item)) if item else None) from error
        if len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
            raise NumberTaken from error
        raise error

    def mark_rendered(self, tenant_id: str, document_id: str, locale: str) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), f"DOC#{document_id}"),
            UpdateExpression="ADD rendered :locale",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":locale": {"SS": [locale]}},
        )

    def _document_item(self, tenant_id: str, document: Document, *, version: int) -> dict[str, Any]:
        body = zlib.compress(document.model_dump_json(exclude_none=True).encode(), level=6)
        if len(body) > MAX_STORED_DOCUMENT_BYTES:
            raise DocumentTooLarge(
                f"the document takes {len(body) // 1000} KB once compressed; at most "
                f"{MAX_STORED_DOCUMENT_BYTES // 1000} KB can be stored: shorten descriptions or split it",
                field="lines",
            )
        return key(tenant_pk(tenant_id), f"DOC#{document.id}") | to_item(
            {
                "id": document.id,
                "type": document.type,
                "status": document.status,
                "number": document.number,
                "issue_date": document.issue_date.isoformat() if document.issue_date else None,
                "created_at": document.created_at.isoformat(),
                "version": version,
                "body": body,
            }
        )
