"""moto at DynamoDB's costs: a transaction costs the items it writes, a Query the partition it reads,
not the whole table, so that what the local stack and `make bench` measure is the code's work.

To undo a cancelled transaction moto deep-copies the whole table, once per item of the
transaction, before applying it: a two-item transaction on a table of 3,000 items took 300 ms
where a GetItem took 2, so every transaction slowed with the table's history, and a burst of
webhook invoices (three transactions each) measured moto's copying, not the code. Here the
transaction keeps a copy of just the items it touches and the length of the table's stream, and a
cancelled one puts those back and drops the stream records it wrote: the same outcome, exactly.

A Query on the table (not an index) ran through every item of the table, sorted, to keep those of
its partition, and then weighed every item of the partition before looking at its sort key: an
empty `begins_with` on a tenant of 1,200 items took 48 ms. Here it reads the items of its partition
within its key condition alone, and moto sorts, pages and filters them as before: the same results.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TransactionCanceledException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

_Transact = Callable[[DynamoDBBackend, list[dict[str, Any]]], None]
_Query = Callable[..., Any]
_AllItems = Callable[[Table], list[Item]]
_Touched = tuple[Table, DynamoType, DynamoType | None, Item | None]


def _deepcopy_but_tables(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """moto's own copy of a table before a transaction is skipped (the table itself stands in):
    the transaction below restores what it touched instead."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[_Touched]:
    touched = []
    for entry in transact_items:
        _, operation = next(iter(entry.items()))
        table = backend.tables.get(operation.get("TableName"))
        key = operation.get("Key") or operation.get("Item")
        if table is None or not isinstance(key, dict) or table.hash_key_attr not in key:
            continue  # moto refuses it as it would have
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = None
        if table.range_key_attr is not None:
            if table.range_key_attr not in key:
                continue
            range_value = DynamoType(key[table.range_key_attr])
        touched.append(
            (table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value)))
        )
    return touched


def _restore(touched: list[_Touched], streams: dict[int, tuple[Table, int]]) -> None:
    for table, hash_value, range_value, item in reversed(touched):
        if range_value is None:
            table.items.pop(hash_value, None)
            if item is not None:
                table.items[hash_value] = item  # type: ignore[assignment]  # a table without range key
        else:
            table.items[hash_value].pop(range_value, None)
            if item is not None:
                table.items[hash_value][range_value] = item
    for table, length in streams.values():
        if table.stream_shard is not None:
            del table.stream_shard.items[length:]


def _transacting_only_its_items(transact: _Transact) -> _Transact:
    @functools.wraps(transact)
    def transact_write_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        touched = _touched(backend, transact_items)
        streams = {
            id(table): (table, len(table.stream_shard.items))
            for table, *_ in touched
            if table.stream_shard is not None
        }
        try:
            transact(backend, transact_items)
        except (TransactionCanceledException, MultipleTransactionsException, MockValidationException):
            _restore(touched, streams)
            raise

    return transact_write_items


# What a Query of this thread reads, while it runs: (table, hash key, sort key condition or None).
_querying = threading.local()
_Reading = tuple[Table, DynamoType, tuple[str, list[DynamoType]] | None]


def _partition_first(all_items: _AllItems) -> _AllItems:
    @functools.wraps(all_items)
    def items(table: Table) -> list[Item]:
        reading: _Reading | None = getattr(_querying, "partition", None)
        if reading is None or reading[0] is not table:
            return all_items(table)
        _, hash_key, condition = reading
        partition = table.items.get(hash_key, {})
        if not table.range_key_attr:
            return [partition]  # type: ignore[list-item]  # a table without range key: the item itself
        if condition is None:
            return list(partition.values())
        comparison, values = condition
        if comparison == "BEGINS_WITH" and values[0].type == "S":
            prefix = values[0].value  # the single table's usual Query, on plain strings
            return [
                item for key, item in partition.items() if key.type == "S" and key.value.startswith(prefix)
            ]
        return [item for item in partition.values() if item.range_key.compare(comparison, values)]

    return items


def _reading_its_partition(query: _Query) -> _Query:
    @functools.wraps(query)
    def partition_query(table: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name is not None or hash_key is None or hash_key not in table.items:
            return query(table, hash_key, *args, **kwargs)
        comparison = args[0] if args else kwargs.get("range_comparison")
        values = args[1] if len(args) > 1 else kwargs.get("range_objs")
        _querying.partition = (table, hash_key, (comparison, values) if comparison else None)
        try:
            return query(table, hash_key, *args, **kwargs)
        finally:
            _querying.partition = None

    return partition_query


def moto_at_dynamodb_costs() -> None:
    """In this interpreter, from now on (idempotent)."""
    if getattr(DynamoDBBackend.transact_write_items, "__wrapped__", None) is not None:
        return
    dynamodb_models.copy = SimpleNamespace(deepcopy=_deepcopy_but_tables)  # type: ignore[attr-defined,assignment]
    patches: dict[tuple[type, str], Callable[[Any], Any]] = {
        (DynamoDBBackend, "transact_write_items"): _transacting_only_its_items,
        (Table, "all_items"): _partition_first,
        (Table, "query"): _reading_its_partition,
    }
    for (owner, name), patch in patches.items():
        setattr(owner, name, patch(getattr(owner, name)))
