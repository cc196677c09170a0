"""Shop deliveries in the single table: as received, what became of each, and what waits.

pk `TENANT#<id>`, sk `DELIVERY#<provider>#<delivery id>`: the delivery as received (raw body,
    compressed), written once, so a repeat is known at once; never updated
pk `TENANT#<id>`, sk `DELIVERYLOG#<endpoint>#<received at>#<delivery id>`: what became of it
    (status, attempts, reason, document): small, so that an endpoint's deliveries list newest first
    in one Query, bodies left out
pk `TENANT#<id>`, sk `WAITING#<order key>#<provider>#<delivery id>`: a refund waiting for its order
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.services.ports import (
    AlreadyExists,
    ConditionFailed,
    Delivery,
    DeliveryPage,
    DeliveryRecord,
    DeliveryStatus,
    QueuedDelivery,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from invoicing.domain.webhooks.orders import Provider

LOG = "DELIVERYLOG#"


def _received_sk(provider: str, delivery_id: str) -> str:
    return f"DELIVERY#{provider}#{delivery_id}"


def _log_prefix(endpoint_id: str) -> str:
    return f"{LOG}{endpoint_id}#"


def _position(delivery: Delivery | DeliveryRecord) -> str:
    """Where a delivery stands in its endpoint's list, newest last: the page position too."""
    return f"{delivery.received_at.isoformat()}#{delivery.delivery_id}"


def _log_sk(delivery: Delivery) -> str:
    return _log_prefix(delivery.endpoint_id) + _position(delivery)


def _waiting_sk(queued: QueuedDelivery) -> str:
    return f"WAITING#{queued.order_key}#{queued.provider}#{queued.delivery_id}"


def _record(values: dict[str, Any]) -> DeliveryRecord:
    return DeliveryRecord(
        provider=values["provider"],
        delivery_id=values["delivery_id"],
        endpoint_id=values["endpoint_id"],
        topic=values.get("topic"),
        received_at=datetime.fromisoformat(values["received_at"]),
        status=values.get("status", "queued"),
        attempts=int(values.get("attempts", 0)),
        reason=values.get("reason") or None,
        document_id=values.get("document_id") or None,
    )


class DeliveryTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def record_delivery(self, tenant_id: str, delivery: Delivery) -> None:
        """The delivery as received and its log item, in one transaction."""
        received: dict[str, Any] = {
            "TableName": self._table,
            "Item": key(tenant_pk(tenant_id), _received_sk(delivery.provider, delivery.delivery_id))
            | to_item(
                {
                    "endpoint_id": delivery.endpoint_id,
                    "topic": delivery.topic,
                    "body": zlib.compress(delivery.body, level=6),
                    "received_at": delivery.received_at.isoformat(),
                    "order_key": delivery.order_key,
                }
            ),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        try:
            writes = [{"Put": received}, {"Update": self._log_update(tenant_id, delivery, attempts=0)}]
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", writes))
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or [{}]
            if reasons[0].get("Code") != "ConditionalCheckFailed":
                raise
            raise AlreadyExists from None

    def _log_update(self, tenant_id: str, delivery: Delivery, *, attempts: int) -> dict[str, Any]:
        """The update that writes the delivery's log item if absent, its attempts counted up by
        `attempts`."""
        described = {
            "provider": delivery.provider,
            "delivery_id": delivery.delivery_id,
            "endpoint_id": delivery.endpoint_id,
            "topic": delivery.topic or "",
            "received_at": delivery.received_at.isoformat(),
            "status": "queued",
        }
        names = {f"#f{n}": name for n, name in enumerate(described)}
        values = {f":f{n}": value for n, value in enumerate(described.values())}
        assignments = ", ".join(f"#f{n} = if_not_exists(#f{n}, :f{n})" for n in range(len(described)))
        return {
            "TableName": self._table,
            "Key": key(tenant_pk(tenant_id), _log_sk(delivery)),
            "UpdateExpression": f"SET {assignments} ADD attempts :attempts",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_item(values | {":attempts": attempts}),
        }

    def delivery(self, tenant_id: str, provider: Provider, delivery_id: str) -> Delivery | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), _received_sk(provider, delivery_id)),
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        values = from_item(item)
        return Delivery(
            provider=provider,
            delivery_id=delivery_id,
            endpoint_id=values["endpoint_id"],
            topic=values.get("topic"),
            body=zlib.decompress(bytes(values["body"])),
            received_at=datetime.fromisoformat(values["received_at"]),
            order_key=values["order_key"],
        )

    def start_attempt(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        update = self._log_update(tenant_id, delivery, attempts=1)
        return _record(from_item(self._client.update_item(**update, ReturnValues="ALL_NEW")["Attributes"]))

    def mark_delivery(
        self,
        tenant_id: str,
        delivery: Delivery,
        status: DeliveryStatus,
        *,
        document_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), _log_sk(delivery)),
            UpdateExpression="SET #status = :status, document_id = :document, reason = :reason",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_item(
                {":status": status, ":document": document_id or "", ":reason": reason or ""}
            ),
        )

    def requeue(self, tenant_id: str, delivery: Delivery) -> DeliveryRecord:
        try:
            item = self._client.update_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), _log_sk(delivery)),
                UpdateExpression="SET #status = :queued, reason = :reason",
                ConditionExpression="#status = :failed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item(
                    {":queued": "queued", ":failed": "failed", ":reason": "retry requested"}
                ),
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            raise ConditionFailed from None
        return _record(from_item(item))

    def deliveries(self, tenant_id: str, endpoint_id: str, *, limit: int, after: str | None) -> DeliveryPage:
        prefix = _log_prefix(endpoint_id)
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_item({":pk": tenant_pk(tenant_id), ":prefix": prefix}),
            "ScanIndexForward": False,
            "Limit": limit + 1,  # one more than asked: whether there is a next page
        }
        if after is not None:
            query["ExclusiveStartKey"] = key(tenant_pk(tenant_id), prefix + after)
        items = self._client.query(**query).get("Items", [])
        records = [_record(from_item(item)) for item in items[:limit]]
        last = records[-1] if len(items) > limit else None
        return DeliveryPage(records, _position(last) if last else None)

    def wait_for_order(self, tenant_id: str, queued: QueuedDelivery) -> None:
        self._client.put_item(
            TableName=self._table,
            Item=key(tenant_pk(tenant_id), _waiting_sk(queued))
            | to_item({"provider": queued.provider, "delivery_id": queued.delivery_id}),
        )

    def waiting_for(self, tenant_id: str, order_keys: tuple[str, ...]) -> list[QueuedDelivery]:
        found: dict[tuple[str, str], QueuedDelivery] = {}
        for order_key in order_keys:
            items = self._client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues=to_item(
                    {":pk": tenant_pk(tenant_id), ":prefix": f"WAITING#{order_key}#"}
                ),
                ConsistentRead=True,
            ).get("Items", [])
            for item in map(from_item, items):
                queued = QueuedDelivery(tenant_id, item["provider"], item["delivery_id"], order_key)
                found.setdefault((queued.provider, queued.delivery_id), queued)
        return list(found.values())

    def stop_waiting(self, tenant_id: str, queued: QueuedDelivery) -> None:
        self._client.delete_item(TableName=self._table, Key=key(tenant_pk(tenant_id), _waiting_sk(queued)))
