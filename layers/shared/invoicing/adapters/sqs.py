"""The SQS FIFO queues. Deliveries: one message group per order of a tenant, so the deliveries of
one order (paid, then refunded) are processed in the order they came, while different orders, of
one tenant or many, go side by side and a failing one holds up no other; the numbering serializes
only itself (its lease). Platform
tasks: one group per document (or flow heard), so a document's deposit goes before its statuses and
one document waiting on its platform holds up no other."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from invoicing.services.ports import PlatformTask, QueuedDelivery

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


def message_body(delivery: QueuedDelivery) -> str:
    return json.dumps(
        {
            "tenant_id": delivery.tenant_id,
            "provider": delivery.provider,
            "delivery_id": delivery.delivery_id,
            "order_key": delivery.order_key,
        }
    )


def queued_delivery(body: str) -> QueuedDelivery:
    """The delivery a message of the queue names, as the processor receives it."""
    values = json.loads(body)
    return QueuedDelivery(
        values["tenant_id"], values["provider"], values["delivery_id"], values.get("order_key", "")
    )


def message_group(delivery: QueuedDelivery) -> str:
    """The tenant and a digest of its order: an order's key may hold any character a shop puts in
    an id, a group id only some, and 128 at most."""
    order = hashlib.sha256(delivery.order_key.encode()).hexdigest()[:32]
    return f"{delivery.tenant_id[:64]}#{order}"


class SqsDeliveryQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, delivery: QueuedDelivery) -> None:
        """Deduplicated by SQS for five minutes on top of the delivery record's own check; a retry
        or a release (`resend`) is a send of its own."""
        dedup = hashlib.sha256(
            f"{delivery.tenant_id}|{delivery.provider}|{delivery.delivery_id}|{delivery.resend}".encode()
        )
        self._client.send_message(
            QueueUrl=self._url,
            MessageBody=message_body(delivery),
            MessageGroupId=message_group(delivery),
            MessageDeduplicationId=dedup.hexdigest(),
        )

    def move_from(self, dead_letters_url: str, *, limit: int) -> int:
        """Send up to `limit` dead letters back to this queue, each deleted only once re-sent."""
        moved = 0
        while moved < limit:
            batch = self._client.receive_message(
                QueueUrl=dead_letters_url,
                MaxNumberOfMessages=min(10, limit - moved),
                WaitTimeSeconds=1,
                AttributeNames=["MessageGroupId"],
            ).get("Messages", [])
            if not batch:
                break
            for message in batch:
                self._client.send_message(
                    QueueUrl=self._url,
                    MessageBody=message["Body"],
                    MessageGroupId=message.get("Attributes", {}).get("MessageGroupId", "replay"),
                    # A new id: SQS would drop the replay as a duplicate of the first send otherwise.
                    MessageDeduplicationId=hashlib.sha256(
                        message["MessageId"].encode() + b"|replay"
                    ).hexdigest(),
                )
                self._client.delete_message(QueueUrl=dead_letters_url, ReceiptHandle=message["ReceiptHandle"])
                moved += 1
        return moved


def platform_task(body: str) -> PlatformTask:
    """The task a message of the platform queue carries."""
    values = json.loads(body)
    return PlatformTask(**{name: values.get(name) for name in PlatformTask._fields})


class SqsPlatformTasks:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, task: PlatformTask) -> None:
        """Deduplicated by SQS for five minutes: the same task told twice (a stream's repeat, a
        webhook and the poll) is queued once."""
        subject = task.document_id or (
            f"period:{task.period_id}" if task.period_id else f"flow:{task.flow_id}"
        )
        self._client.send_message(
            QueueUrl=self._url,
            MessageBody=json.dumps(task._asdict()),
            MessageGroupId=f"{task.tenant_id}#{subject}"[:128],
            MessageDeduplicationId=hashlib.sha256(json.dumps(task._asdict()).encode()).hexdigest(),
        )
