"""A series' counter in DynamoDB, the lease on it that queues writers, and the finalization transaction.

The transaction (counter, number reservation, frozen document) is what makes numbers gapless and
unique: its conditions hold whatever the lease says. The lease, kept on the counter item itself,
only keeps writers from racing the transaction: a waiter retries a cheap conditional UpdateItem
instead of a transaction bound to be cancelled, and taking the lease returns the counter as it
stands, so the holder commits at the first try with no extra read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.documents import StoredDocument, document_item
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.model import Document

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


@dataclass(frozen=True)
class CounterState:
    """Where a series stands: its last sequence number, in which period, issued on which date."""

    seq: int = 0
    period: str | None = None
    last_issue_date: date | None = None

    def following(self, period: str, issue_date: date) -> CounterState:
        seq = self.seq + 1 if period == self.period else 1
        return CounterState(seq=seq, period=period, last_issue_date=issue_date)


class DocumentChanged(Exception):
    """The draft was finalized or changed by someone else since it was read."""


class NumberTaken(Exception):
    """The counter matched but the number is already reserved: a numbering pattern change collided."""


class LeaseLost(Exception):
    """The writer's lease expired and another writer took the series: queue again."""


class RelatedChanged(Exception):
    """A document the transaction also updates (the invoice a credit note corrects, a deposit a final
    invoice deducts) changed meanwhile."""


class TransactionContention(Exception):
    """DynamoDB refused the transaction because another one held an item: try again as is."""


def _epoch(seconds: float) -> Decimal:
    """Epoch seconds to the millisecond, as DynamoDB numbers and TTL take them."""
    return Decimal(f"{seconds:.3f}")


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


class SeriesTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def take_lease(
        self, tenant_id: str, series: str, owner: str, *, now: float, seconds: float
    ) -> CounterState | float:
        """The counter, held by `owner` for `seconds` from now; or the seconds left on another's lease."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), f"COUNTER#{series}"),
                UpdateExpression="SET lease_owner = :owner, lease_expires_at = :until",
                ConditionExpression="attribute_not_exists(lease_owner) OR lease_expires_at < :now",
                ExpressionAttributeValues=to_item(
                    {":owner": owner, ":until": _epoch(now + seconds), ":now": _epoch(now)}
                ),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            code = error_code(error)
            if code == "TransactionConflictException":
                return 0.0  # the holder's transaction is committing this very item: ask again
            if code != "ConditionalCheckFailedException":
                raise
            holder = from_item(cast("dict[str, Any]", error.response.get("Item") or {}))
            return max(0.0, float(holder.get("lease_expires_at", now)) - now)
        return _counter_state(cast("dict[str, Any]", response.get("Attributes")))

    def release_lease(self, tenant_id: str, series: str, owner: str) -> None:
        """Give the series back early, after a failure; a lease already lost is left to its new holder."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), f"COUNTER#{series}"),
                UpdateExpression="REMOVE lease_owner, lease_expires_at",
                ConditionExpression="lease_owner = :owner",
                ExpressionAttributeValues=to_item({":owner": owner}),
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise

    def commit_finalization(
        self,
        tenant_id: str,
        document: Document,
        *,
        series: str,
        previous: CounterState,
        following: CounterState,
        draft_version: int | None,
        lease_owner: str,
        related: list[dict[str, Any]] | None = None,
    ) -> StoredDocument:
        """Counter (its lease released), number reservation, frozen document and the `related`
        updates (the invoice a credit note corrects, the deposits a final invoice deducts): all or
        nothing.

        `draft_version` is the version of the stored draft that was frozen, or None when the
        document is created finalized.
        """
        assert document.number is not None
        assert following.last_issue_date is not None
        pk = tenant_pk(tenant_id)
        version = (draft_version or 0) + 1
        first = previous.seq == 0
        expected = {} if first else {":expected": previous.seq, ":expected_period": previous.period}
        items: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(pk, f"COUNTER#{series}"),
                    "UpdateExpression": "SET seq = :seq, #period = :period, last_issue_date = :issued, "
                    "last_number = :number REMOVE lease_owner, lease_expires_at",
                    "ExpressionAttributeNames": {"#period": "period"},
                    "ExpressionAttributeValues": to_item(
                        {
                            ":seq": following.seq,
                            ":period": following.period,
                            ":issued": following.last_issue_date.isoformat(),
                            ":number": document.number,
                            ":owner": lease_owner,
                        }
                        | expected
                    ),
                    "ConditionExpression": "lease_owner = :owner AND "
                    + (
                        "attribute_not_exists(seq)"
                        if first
                        else "seq = :expected AND #period = :expected_period"
                    ),
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": key(pk, f"NUMBER#{document.number}") | to_item({"document_id": document.id}),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Put": self._frozen_document(tenant_id, document, version=version, draft_version=draft_version)},
        ]
        items.extend({"Update": update} for update in related or ())
        try:
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", items))
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            self._raise_cancellation(error)
        return StoredDocument(document, version)

    def _frozen_document(
        self, tenant_id: str, document: Document, *, version: int, draft_version: int | None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": document_item(tenant_id, document, version=version),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        if draft_version is not None:
            put["ConditionExpression"] = "#status = :draft AND version = :version"
            put["ExpressionAttributeNames"] = {"#status": "status"}
            put["ExpressionAttributeValues"] = to_item({":draft": "draft", ":version": draft_version})
        return put

    @staticmethod
    def _raise_cancellation(error: ClientError) -> None:
        reasons = error.response.get("CancellationReasons", [])
        failed = [reason.get("Code") == "ConditionalCheckFailed" for reason in reasons]
        if any(reason.get("Code") == "TransactionConflict" for reason in reasons):
            raise TransactionContention from error
        if any(failed[3:]):
            raise RelatedChanged from error
        if len(failed) >= 3:
            counter, number, frozen = failed[:3]
            if frozen:
                raise DocumentChanged from error
            if counter:
                # The lease expired and another writer took the series meanwhile.
                raise LeaseLost from error
            if number:
                raise NumberTaken from error
        raise error
