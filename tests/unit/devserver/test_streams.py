"""The local stack's stream mappings: the stream read once for all of them, each mapping handed
every record it wants, in order, once; a failure handed over again from its failed record without
holding up the other mappings."""

from __future__ import annotations

import threading
import time
from typing import Any

from devserver.streams import StreamPoller, StreamReader

ARN = "arn:aws:dynamodb:eu-west-3:123456789012:table/t/stream/2026-12-02T00:00:00.000"


class FakeStreams:
    """A one-shard stream that records can be appended to, counting what GetRecords hands out."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.handed_out = 0
        self._lock = threading.Lock()

    def append(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                number = str(100 + len(self.records))
                self.records.append(
                    {
                        "eventName": "INSERT",
                        "dynamodb": {"Keys": {"sk": {"S": key}}, "SequenceNumber": number},
                    }
                )

    def describe_table(self, TableName: str) -> dict[str, Any]:
        return {"Table": {"LatestStreamArn": ARN}}

    def describe_stream(self, StreamArn: str) -> dict[str, Any]:
        return {"StreamDescription": {"Shards": [{"ShardId": "shard-1"}]}}

    def get_shard_iterator(self, **_: Any) -> dict[str, Any]:
        return {"ShardIterator": "0"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        with self._lock:
            start = int(ShardIterator)
            read = self.records[start : start + Limit]
            self.handed_out += len(read)
            return {"Records": read, "NextShardIterator": str(start + len(read))}


class FakePool:
    """A function's environments: what each invocation was handed, failing the records it is told to
    fail once."""

    def __init__(self, fail_once: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.handed: list[str] = []
        self._fail_once = set(fail_once)

    @property
    def function(self) -> Any:
        return type("Function", (), {"name": "F"})

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        keys = [record["dynamodb"]["Keys"]["sk"]["S"] for record in event["Records"]]
        self.handed += keys
        failed = [
            record["dynamodb"]["SequenceNumber"]
            for record in event["Records"]
            if record["dynamodb"]["Keys"]["sk"]["S"] in self._fail_once
        ]
        self._fail_once -= set(keys)
        return {"batchItemFailures": [{"itemIdentifier": number} for number in failed]}


def until(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the stream's records were not handed over"
        time.sleep(0.02)


def started(streams: FakeStreams, *mappings: tuple[FakePool, tuple[dict[str, Any], ...]]) -> Any:
    reader = StreamReader(streams, streams, "t")
    pollers = [StreamPoller(reader, pool, 2, patterns=patterns) for pool, patterns in mappings]  # type: ignore[arg-type]
    reader.start()
    for poller in pollers:
        poller.start()
    return reader, pollers


def stopped(reader: StreamReader, pollers: list[StreamPoller]) -> None:
    for poller in pollers:
        poller.stop()
    reader.stop()


def test_each_mapping_is_handed_what_it_wants_in_order_and_the_stream_is_read_once():
    streams = FakeStreams()
    every, documents = FakePool(), FakePool()
    reader, pollers = started(
        streams, (every, ()), (documents, ({"dynamodb": {"Keys": {"sk": {"S": [{"prefix": "DOC#"}]}}}},))
    )
    try:
        streams.append("DOC#1", "DELIVERY#1", "DOC#2", "DOC#3", "COUNTER#invoice")
        until(lambda: len(every.handed) == 5 and len(documents.handed) == 3)
        assert every.handed == ["DOC#1", "DELIVERY#1", "DOC#2", "DOC#3", "COUNTER#invoice"]
        assert documents.handed == ["DOC#1", "DOC#2", "DOC#3"]
        assert streams.handed_out == 5  # read once for both mappings
    finally:
        stopped(reader, pollers)


def test_a_failed_record_comes_back_to_its_mapping_alone_and_passed_records_are_dropped():
    streams = FakeStreams()
    failing, other = FakePool(fail_once={"DOC#2"}), FakePool()
    reader, pollers = started(streams, (failing, ()), (other, ()))
    try:
        streams.append("DOC#1", "DOC#2", "DOC#3", "DOC#4")
        until(lambda: other.handed == ["DOC#1", "DOC#2", "DOC#3", "DOC#4"])
        until(lambda: failing.handed[-1:] == ["DOC#4"])
        # Its batch came again from the failed record: DOC#1 once, DOC#2 twice.
        assert failing.handed == ["DOC#1", "DOC#2", "DOC#2", "DOC#3", "DOC#4"]
        assert reader.read(0, 10, wait=0) == (4, [])  # nothing kept that both have passed
    finally:
        stopped(reader, pollers)
