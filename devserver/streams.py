"""DynamoDB stream event source mappings on this machine: a poller reads the table's stream from its
start and hands the records to the function in order, as Lambda does; a batch that reports a failure
is handed over again from its first failed record, so no change is skipped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devserver.lambdas import FunctionPool, InvocationError
from devserver.polling import Poller
from devserver.resources import REGION

IDLE_SECONDS = 0.05
RETRY_SECONDS = 1.0


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": change, "awsRegion": REGION, "eventSourceARN": stream_arn}


def _is_document(record: dict[str, Any]) -> bool:
    """The template's filter criteria: only the documents' items (sk beginning with DOC#)."""
    return str(record["dynamodb"].get("Keys", {}).get("sk", {}).get("S", "")).startswith("DOC#")


class StreamPoller(Poller):
    def __init__(self, dynamodb: Any, streams: Any, table: str, pool: FunctionPool, batch_size: int) -> None:
        super().__init__(pool, "stream")
        self._dynamodb = dynamodb
        self._streams = streams
        self._table = table
        self._batch = batch_size

    def _run(self) -> None:
        arn = self._dynamodb.describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
        (shard,) = self._streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][:1]
        iterator = self._streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while not self._stopped.is_set():
            response = self._streams.get_records(ShardIterator=iterator, Limit=self._batch)
            records = [record for record in response.get("Records", []) if _is_document(record)]
            failed = self._deliver([_lambda_record(record, arn) for record in records]) if records else None
            if failed is not None:
                self._pause(RETRY_SECONDS)
                iterator = self._streams.get_shard_iterator(
                    StreamArn=arn,
                    ShardId=shard["ShardId"],
                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=failed,
                )["ShardIterator"]
                continue
            iterator = response.get("NextShardIterator") or iterator
            if not response.get("Records"):
                self._pause(IDLE_SECONDS)

    def _deliver(self, records: list[dict[str, Any]]) -> str | None:
        """The sequence number to start again from, or None when the whole batch went through."""
        try:
            result = self._pool.invoke({"Records": records}) or {}
        except (InvocationError, EOFError, OSError):
            return str(records[0]["dynamodb"]["SequenceNumber"])
        failures = [str(item["itemIdentifier"]) for item in result.get("batchItemFailures", [])]
        return min(failures, key=int) if failures else None
