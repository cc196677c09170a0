"""A series' counter in DynamoDB, the lease that queues its writers, and the finalization transaction.

The transaction (counter, number reservation, frozen document, lease release) is what makes
numbers gapless and unique: its conditions hold whatever the lease says. The lease only keeps
concurrent writers from racing the transaction: a waiter retries a cheap conditional PutItem
rather than a transaction that would be cancelled, and the holder commits at the first try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

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


class CounterMoved(Exception):
    """The counter is not where this writer saw it; `state` is where it now stands, when known."""

    def __init__(self, state: CounterState | None) -> None:
        super().__init__("the series counter moved")
        self.state = state


class DocumentChanged(Exception):
    """The draft was finalized or changed by someone else since it was read."""


class NumberTaken(Exception):
    """The counter matched but the number is already reserved: a numbering pattern change collided."""


class LeaseLost(Exception):
    """The writer's lease expired and another writer took it: queue again."""


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

    def counter(self, tenant_id: str, series: str) -> CounterState:
        response = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), f"COUNTER#{series}"), ConsistentRead=True
        )
        return _counter_state(response.get("Item"))

    def take_lease(
        self, tenant_id: str, series: str, owner: str, *, now: float, seconds: float
    ) -> float | None:
        """Hold the series for `seconds`; if another writer holds it, the seconds left on its lease.

        `expires_at` is also the table's TTL attribute, so a lease its holder never released is
        swept away in time; until then it is simply taken over once expired.
        """
        try:
            self._client.put_item(
                TableName=self._table,
                Item=key(tenant_pk(tenant_id), f"LEASE#{series}")
                | to_item({"owner": owner, "expires_at": _epoch(now + seconds)}),
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues=to_item({":now": _epoch(now)}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            holder = from_item(cast("dict[str, Any]", error.response.get("Item") or {}))
            return max(0.0, float(holder.get("expires_at", now)) - now)
        return None

    def release_lease(self, tenant_id: str, series: str, owner: str) -> None:
        """Give the series back early, after a failure; a lease already lost is left to its new holder."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), f"LEASE#{series}"),
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues=to_item({":owner": owner}),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
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
    ) -> StoredDocument:
        """Counter, number reservation, frozen document and lease release: all or nothing.

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
                    "last_number = :number",
                    "ExpressionAttributeNames": {"#period": "period"},
                    "ExpressionAttributeValues": to_item(
                        {
                            ":seq": following.seq,
                            ":period": following.period,
                            ":issued": following.last_issue_date.isoformat(),
                            ":number": document.number,
                        }
                        | expected
                    ),
                    "ConditionExpression": "attribute_not_exists(pk)"
                    if first
                    else "seq = :expected AND #period = :expected_period",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
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
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": key(pk, f"LEASE#{series}"),
                    "ConditionExpression": "#owner = :owner",
                    "ExpressionAttributeNames": {"#owner": "owner"},
                    "ExpressionAttributeValues": to_item({":owner": lease_owner}),
                }
            },
        ]
        try:
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", items))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
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
        if len(failed) == 4:
            counter, number, frozen, lease = failed
            if frozen:
                raise DocumentChanged from error
            if lease:
                raise LeaseLost from error
            if counter:
                item = reasons[0].get("Item")
                raise CounterMoved(_counter_state(dict(item)) if item else None) from error
            if number:
                raise NumberTaken from error
        raise error
