"""DynamoDB stream event source mappings on this machine: the table's stream is read once, from
its start, and each mapping's poller hands the records to its function in order, as Lambda does; a
batch that reports a failure is handed over again from its first failed record, so no change is
skipped. Reading the stream once for every mapping keeps its records from being serialized by moto
(behind its one lock) once per mapping: on Lambda each mapping reads the stream itself, at no cost
to the table."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from devserver.lambdas import FunctionPool, InvocationError
from devserver.polling import Poller
from devserver.resources import REGION

IDLE_SECONDS = 0.1  # an idle stream is read again 10 times a second: each read holds moto's one lock
RETRY_SECONDS = 1.0
READ_LIMIT = 1000  # GetRecords' own maximum


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


class StreamReader:
    """The table's stream, read in one thread for all its mappings: what every one of them has
    passed is dropped."""

    def __init__(self, dynamodb: Any, streams: Any, table: str) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self._table = table
        self._records: list[dict[str, Any]] = []  # read, not yet passed by every mapping
        self._first = 0  # the position in the stream of `_records[0]`
        self._positions: dict[int, int] = {}  # each mapping's next position
        self._changed = threading.Condition()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"stream-{table}", daemon=True)
        self.arn = ""

    def start(self) -> None:
        self.arn = self._dynamodb.describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        with self._changed:
            self._changed.notify_all()
        self._thread.join(timeout=10)

    def subscribe(self) -> int:
        """A mapping's id, reading from the stream's start."""
        with self._changed:
            mapping = len(self._positions)
            self._positions[mapping] = self._first
            return mapping

    def read(self, mapping: int, limit: int, wait: float) -> tuple[int, list[dict[str, Any]]]:
        """The mapping's next records (up to `limit`) and the position of the first, waiting up to
        `wait` seconds for some."""
        with self._changed:
            position = self._positions[mapping]
            if position - self._first >= len(self._records):
                self._changed.wait(wait)
            offset = position - self._first
            return position, self._records[offset : offset + limit]

    def advance(self, mapping: int, position: int) -> None:
        """The mapping goes on from `position`; what no mapping needs any more is dropped."""
        with self._changed:
            self._positions[mapping] = position
            passed = min(self._positions.values()) - self._first
            if passed > 0:
                del self._records[:passed]
                self._first += passed

    def _run(self) -> None:
        (shard,) = self._streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][:1]
        iterator = self._streams.get_shard_iterator(
            StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while not self._stopped.is_set():
            response = self._streams.get_records(ShardIterator=iterator, Limit=READ_LIMIT)
            iterator = response["NextShardIterator"]
            read = [_lambda_record(record, self.arn) for record in response.get("Records", [])]
            if read:
                with self._changed:
                    self._records += read
                    self._changed.notify_all()
            else:
                self._stopped.wait(IDLE_SECONDS)


class StreamPoller(Poller):
    """One mapping of the stream to its function: its batch size, its filter patterns."""

    def __init__(
        self,
        reader: StreamReader,
        pool: FunctionPool,
        batch_size: int,
        *,
        patterns: tuple[dict[str, Any], ...] = (),
    ) -> None:
        super().__init__(pool, "stream")
        self._reader = reader
        self._mapping = reader.subscribe()
        self._patterns = patterns
        self._batch = batch_size

    def _run(self) -> None:
        while not self._stopped.is_set():
            position, read = self._reader.read(self._mapping, self._batch, wait=IDLE_SECONDS)
            if not read:
                continue
            records = [record for record in read if self._wanted(record)]
            failed = self._deliver(records) if records else None
            if failed is None:
                self._reader.advance(self._mapping, position + len(read))
                continue
            at = next(n for n, record in enumerate(read) if record["dynamodb"]["SequenceNumber"] == failed)
            self._reader.advance(self._mapping, position + at)
            self._pause(RETRY_SECONDS)

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
