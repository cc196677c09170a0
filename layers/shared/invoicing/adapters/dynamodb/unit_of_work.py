"""A unit of work on the single table: its changes in one TransactWriteItems, or one single-item
write when there is only one (half the cost, and the same condition).

A refusal is reported as what happened to which change: ConditionFailed (AlreadyExists for an item
that must not exist yet, with the document a reservation leads to), Contention when another
transaction held an item at that moment. The adapter says what the store did; the use case decides
what it means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.documents import stored
from invoicing.adapters.dynamodb.table import from_item
from invoicing.adapters.dynamodb.writes import Write, Writes, is_reservation
from invoicing.services.changes import DraftDeleted
from invoicing.services.ports import AlreadyExists, ConditionFailed, Contention

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from invoicing.services.changes import Change


class DynamoUnitOfWork:
    def __init__(self, client: DynamoDBClient, table_name: str, tenant_id: str) -> None:
        self._client = client
        self._writes = Writes(table_name, tenant_id)
        self._changes: list[Change] = []

    def record(self, *changes: Change) -> None:
        self._changes.extend(changes)

    def commit(self) -> None:
        changes, self._changes = self._changes, []
        writes = [self._writes.of(change) for change in changes]
        if len(writes) == 1:
            self._write_one(changes[0], writes[0])
        elif writes:
            self._transact(changes, writes)

    def _write_one(self, change: Change, write: Write) -> None:
        ((operation, parameters),) = write.items()
        calls: dict[str, Callable[..., object]] = {
            "Put": self._client.put_item,
            "Update": self._client.update_item,
            "Delete": self._client.delete_item,
        }
        try:
            calls[operation](**parameters)
        except ClientError as error:
            code = error_code(error)
            if code == "TransactionConflictException":
                raise Contention from error
            if code != "ConditionalCheckFailedException":
                raise
            raise _refused(change, cast("dict[str, Any] | None", error.response.get("Item"))) from None

    def _transact(self, changes: list[Change], writes: list[Write]) -> None:
        try:
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", writes))
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            if len(reasons) != len(changes):
                raise  # not a cancellation this unit of work can read
            if any(reason.get("Code") == "TransactionConflict" for reason in reasons):
                raise Contention from error
            for change, reason in zip(changes, reasons, strict=True):
                if reason.get("Code") == "ConditionalCheckFailed":
                    raise _refused(change, cast("dict[str, Any] | None", reason.get("Item"))) from None
            raise


def _refused(change: Change, current: dict[str, Any] | None) -> ConditionFailed:
    """The refusal, with what the store returned of the item when the write asked for it."""
    values = from_item(current) if current else {}
    if is_reservation(change):
        holder = values.get("document_id")
        return AlreadyExists(change, holder=str(holder) if holder else None)
    if isinstance(change, DraftDeleted) and values:
        return ConditionFailed(change, current=stored(values))
    return ConditionFailed(change)
