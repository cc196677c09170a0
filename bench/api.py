"""Latency through the local stack against bare DynamoDB calls on the same moto server, and the
throughput of 16 writers finalizing on one series against one writer."""

from __future__ import annotations

import json
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.stats import percentile, timed
from devserver.stack import LocalStack
from invoicing.services.tenants import create_tenant
from tests.support.http import Client, new_client

SAMPLES = 100
LISTED = 250
THROUGHPUT_DRAFTS = {1: 40, 16: 200}


def _latency_row(name: str, samples: list[float], baseline: list[float]) -> tuple[str, str, str, str]:
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    ratio = p50 / percentile(baseline, 0.5)
    return (name, f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms", f"{ratio:.1f}", "")


def latency(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    client = new_client(stack)
    dynamodb = stack.moto.dynamodb()
    table = stack.table_name()
    item = {"pk": {"S": "BENCH"}, "sk": {"S": "ITEM"}, "body": {"B": b"x" * 2000}}
    put = timed(lambda: dynamodb.put_item(TableName=table, Item=item), SAMPLES)
    get = timed(lambda: dynamodb.get_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]}), SAMPLES)

    drafts: list[str] = []
    create = timed(lambda: drafts.append(client.draft_id()), SAMPLES)
    pending = iter(drafts)
    finalize = timed(lambda: client.finalize(next(pending)), SAMPLES)
    finals = iter(drafts)
    download = timed(lambda: client.request("GET", f"/v1/invoices/{next(finals)}/download"), SAMPLES)
    read_ids = iter(drafts)
    read = timed(lambda: client.request("GET", f"/v1/invoices/{next(read_ids)}"), SAMPLES)
    return [
        _latency_row("bare PutItem on the local moto (baseline)", put, put),
        _latency_row("POST /v1/invoices (draft) via gateway + authorizer", create, put),
        _latency_row("POST /v1/invoices/{id}/finalize (renders, stores)", finalize, put),
        _latency_row("bare GetItem on the local moto (baseline)", get, get),
        _latency_row("GET /v1/invoices/{id}/download (303)", download, get),
        _latency_row("GET /v1/invoices/{id}", read, get),
    ]


def _throughput(client: Client, writers: int, drafts: int) -> tuple[float, int]:
    """Invoices finalized per second, and the 503s retried on the way (clients retry those)."""
    with ThreadPoolExecutor(writers) as pool:
        ids = list(pool.map(lambda _: client.draft_id(), range(drafts)))
        # Warm one environment per writer first, as a steady state would have them.
        list(pool.map(lambda _: client.finalize("inv_" + "0" * 32), range(writers)))
        start = time.perf_counter()
        answers = list(pool.map(client.finalize_as_clients_do, ids))
        elapsed = time.perf_counter() - start
    assert len({number for number, _ in answers}) == drafts, "a number was given twice"
    return drafts / elapsed, sum(retries for _, retries in answers)


def throughput(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    one, _ = _throughput(new_client(stack), 1, THROUGHPUT_DRAFTS[1])
    many, retried = _throughput(new_client(stack), 16, THROUGHPUT_DRAFTS[16])
    return [
        (
            "finalize throughput, 1 writer on one series (baseline)",
            f"{one:.1f} /s",
            "1.00",
            f"{THROUGHPUT_DRAFTS[1]} invoices",
        ),
        (
            "finalize throughput, 16 writers on one series",
            f"{many:.1f} /s",
            f"{many / one:.2f}",
            f"{THROUGHPUT_DRAFTS[16]} invoices, {retried} retried after a 503, no number given twice",
        ),
    ]


def _read_units(items: list[dict[str, Any]]) -> float:
    """What DynamoDB bills an eventually consistent Query: half a unit per 4 KB read, rounded up."""
    size = sum(len(name) + len(json.dumps(value)) for item in items for name, value in item.items())
    return math.ceil(size / 4096) / 2


def listing(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    tenant = create_tenant(stack.dependencies().tenants, "Bench")
    client = Client(stack.url, tenant.api_key)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: client.draft_id(), range(LISTED)))
    dynamodb = stack.moto.dynamodb()
    bare_query = {
        "TableName": stack.table_name(),
        "IndexName": "ByCreation",
        "KeyConditionExpression": "gsi1pk = :tenant",
        "ExpressionAttributeValues": {":tenant": {"S": f"TENANT#{tenant.tenant_id}#DOCS"}},
        "ScanIndexForward": False,
        "Limit": 100,
    }
    bare = timed(lambda: dynamodb.query(**bare_query), SAMPLES)
    api = timed(lambda: client.request("GET", "/v1/invoices", params={"limit": 100}), SAMPLES)
    units = _read_units(dynamodb.query(**bare_query | {"Limit": 101})["Items"])
    return [
        _latency_row("bare Query, 100 items of the ByCreation index (baseline)", bare, bare),
        _latency_row("GET /v1/invoices?limit=100", api, bare),
        (
            "read units of that page (estimated from item sizes)",
            f"{units:.1f} RCU",
            "",
            "one Query of 101 index entries; moto reports no real capacity",
        ),
    ]
