"""SQS event source mappings on this machine: a poller per mapping hands batches to the function as
Lambda does (the same record shape), several at once as Lambda scales out (up to as many as the
function has environments here), deletes what succeeded and leaves the reported failures to come
back, so SQS's redrive policy moves a delivery that keeps failing to its dead-letter queue. On a
FIFO queue SQS itself (moto as AWS) hands out no message of a group that has one in flight: a group
stays in order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from devserver.lambdas import ACCOUNT_ID, MAX_ENVIRONMENTS_PER_FUNCTION, FunctionPool, InvocationError
from devserver.polling import Poller
from devserver.resources import REGION

IDLE_SECONDS = 0.25  # an idle queue asks again 4 times a second: each receive holds moto's one lock
RETRY_AFTER_SECONDS = 1  # far shorter than the template's visibility timeout: local retries come fast


def sqs_event(queue_url: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue_url.rsplit('/', 1)[-1]}"
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }


class QueuePoller(Poller):
    def __init__(self, sqs: Any, queue_url: str, pool: FunctionPool, batch_size: int) -> None:
        super().__init__(pool, "queue")
        self._sqs = sqs
        self._url = queue_url
        self._batch = min(batch_size, 10)

    def _run(self) -> None:
        slots = threading.BoundedSemaphore(MAX_ENVIRONMENTS_PER_FUNCTION)
        with ThreadPoolExecutor(
            MAX_ENVIRONMENTS_PER_FUNCTION, thread_name_prefix=self._thread.name
        ) as batches:
            while not self._stopped.is_set():
                if not slots.acquire(timeout=IDLE_SECONDS):
                    continue
                # No long polling: moto holds its one lock for as long as a receive waits.
                messages = self._sqs.receive_message(
                    QueueUrl=self._url,
                    MaxNumberOfMessages=self._batch,
                    WaitTimeSeconds=0,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
                if not messages:
                    slots.release()
                    self._pause(IDLE_SECONDS)
                    continue
                batches.submit(self._deliver_then_free, messages, slots)

    def _deliver_then_free(self, messages: list[dict[str, Any]], slots: threading.BoundedSemaphore) -> None:
        try:
            self._deliver(messages)
        finally:
            slots.release()

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        try:
            result = self._pool.invoke(sqs_event(self._url, messages)) or {}
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        except (InvocationError, EOFError, OSError):
            failed = {message["MessageId"] for message in messages}
        for message in messages:
            if message["MessageId"] in failed:
                self._sqs.change_message_visibility(
                    QueueUrl=self._url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=RETRY_AFTER_SECONDS,
                )
            else:
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
