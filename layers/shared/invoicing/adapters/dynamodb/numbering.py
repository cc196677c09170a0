"""A series' counter in DynamoDB and the lease on it that queues its writers.

The lease, kept on the counter item itself, only keeps writers from racing the finalization
transaction (whose conditions alone make numbers gapless and unique: see `writes`):
a waiter retries a cheap conditional UpdateItem instead of a transaction bound to be cancelled, and
taking the lease returns the counter as it stands, so the holder commits at the first try with no
extra read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import counter_sk, from_item, key, tenant_pk, to_item
from invoicing.domain.numbering import CounterState

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from invoicing.domain.kinds import Series


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
        self, tenant_id: str, series: Series, owner: str, *, now: float, seconds: float
    ) -> CounterState | float:
        """The counter, held by `owner` for `seconds` from now; or the seconds left on another's lease."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), counter_sk(series)),
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

    def release_lease(self, tenant_id: str, series: Series, owner: str) -> None:
        """Give the series back early, after a failure; a lease already lost is left to its new holder."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), counter_sk(series)),
                UpdateExpression="REMOVE lease_owner, lease_expires_at",
                ConditionExpression="lease_owner = :owner",
                ExpressionAttributeValues=to_item({":owner": owner}),
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
