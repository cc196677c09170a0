"""DynamoDB stream event source mappings on this machine: a poller reads the table's stream from its
start and hands the records to the function in order, as Lambda does; a batch that reports a failure
is handed over again from its first failed record, so no change is skipped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devserver.lambdas import FunctionPool, InvocationError
from devserver.polling import Poller
from devserver.resources import REGION

IDLE_SECONDS = 0.1  # two stream consumers read the stream: each read holds moto's one lock
RETRY_SECONDS = 1.0


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": change, "awsRegion": REGION, "eventSourceARN": stream_arn}


def matches(value: Any, pattern: Any) -> bool:
    """Whether a record matches a Lambda filter pattern, as far as the template's patterns go: nested
    fields, and lists of values or of `{"prefix": ...}`, any of which matches."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            name in value and matches(value[name], wanted) for name, wanted in pattern.items()
        )
    return any(
        str(value).startswith(choice["prefix"]) if isinstance(choice, dict) else value == choice
        for choice in pattern
    )


class StreamPoller(Poller):
    def __init__(
        self,
        dynamodb: Any,
        streams: Any,
        table: str,
        pool: FunctionPool,
        batch_size: int,
        *,
        patterns: tuple[dict[str, Any], ...] = (),
    ) -> None:
        super().__init__(pool, "stream")
        self._patterns = patterns
        self._dynamodb = dynamodb
        self._streams = streams
        self._table = table
        self._batch = batch_size

    def _run(self) -> None:
        arn = self._dynamodb.describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
        (shard,) = self._streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][:1]
        # Where to read from next. The iterator is asked for afresh at each poll: moto rolls a
        # cancelled transaction back by restoring a copy of the table, stream included, and an
        # iterator kept from before would go on reading the stream that was replaced.
        position: dict[str, str] = {"ShardIteratorType": "TRIM_HORIZON"}
        while not self._stopped.is_set():
            iterator = self._streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], **position)
            response = self._streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=self._batch)
            read = response.get("Records", [])
            records = [record for record in read if self._wanted(record)]
            failed = self._deliver([_lambda_record(record, arn) for record in records]) if records else None
            if failed is not None:
                position = {"ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": failed}
                self._pause(RETRY_SECONDS)
            elif read:
                last = read[-1]["dynamodb"]["SequenceNumber"]
                position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last}
            else:
                self._pause(IDLE_SECONDS)

    def _wanted(self, record: dict[str, Any]) -> bool:
        return not self._patterns or any(matches(record, pattern) for pattern in self._patterns)

    def _deliver(self, records: list[dict[str, Any]]) -> str | None:
        """The sequence number to start again from, or None when the whole batch went through."""
        try:
            result = self._pool.invoke({"Records": records}) or {}
        except (InvocationError, EOFError, OSError):
            return str(records[0]["dynamodb"]["SequenceNumber"])
        failures = [str(item["itemIdentifier"]) for item in result.get("batchItemFailures", [])]
        return min(failures, key=int) if failures else None
