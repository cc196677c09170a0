"""Each function's peak memory after its first invocation, as Lambda's REPORT line gives it (Max
Memory Used): every sample event of events/ in a fresh environment of its function on the local
stack, against the smallest function written the same way (the import floor's, answering one
request). The template's MemorySize is chosen from these."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bench.imports import FLOOR
from devserver.demo import create_demo_tenant
from devserver.invoke import function_of, sample_events
from devserver.lambdas import FunctionPool
from devserver.stack import LocalStack, function_environment
from devserver.template import Function

FLOOR_HANDLER = FLOOR + "\nhandler = app.resolve\n"
FLOOR_EVENT = {
    "resource": "/items",
    "path": "/items",
    "httpMethod": "POST",
    "headers": {"content-type": "application/json"},
    "multiValueHeaders": {"content-type": ["application/json"]},
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "pathParameters": None,
    "stageVariables": None,
    "requestContext": {"resourcePath": "/items", "httpMethod": "POST", "stage": "api", "requestId": "bench"},
    "body": '{"name": "floor"}',
    "isBase64Encoded": False,
}


def _first_invocation_peak(function: Function, environment: dict[str, str], event: dict[str, Any]) -> float:
    pool = FunctionPool(function, environment)
    try:
        pool.invoke(event)
        return pool.peak_memory_mb()
    finally:
        pool.stop()


def _memory_size(stack: LocalStack, name: str) -> int:
    resource = stack.template.resources[name]["Properties"]
    return int(resource.get("MemorySize", stack.template.globals.get("MemorySize", 128)))


def measure(stack: LocalStack) -> list[tuple[str, str, str, str]]:
    create_demo_tenant(stack)  # the tenant the sample events name
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "app.py").write_text(FLOOR_HANDLER)
        floor_function = Function(
            name="Floor", code_dir=Path(folder), handler="app.handler", timeout=29, environment={}
        )
        floor_environment = function_environment(
            stack.template, "ReadApiFunction", stack.resources, stack.moto.endpoint
        )
        floor = _first_invocation_peak(floor_function, floor_environment, FLOOR_EVENT)
    peaks: dict[str, float] = {}
    for path in sample_events():
        event = json.loads(path.read_text())
        name = function_of(stack.template, event)
        environment = function_environment(stack.template, name, stack.resources, stack.moto.endpoint)
        peaks[name] = max(
            peaks.get(name, 0.0), _first_invocation_peak(stack.template.function(name), environment, event)
        )
    notes = dict.fromkeys(peaks, "the heaviest of its sample events")
    # The functions without a sample event (streams, schedules, the platform's queue) ran in this
    # bench's own stack: their peak over the run, or after INIT alone if nothing invoked them.
    for name, pool in stack.pools.items():
        if name not in peaks:
            peaks[name] = pool.peak_memory_mb()
            notes[name] = (
                f"its peak over {pool.invocations} invocations of this run"
                if pool.invocations
                else "after INIT"
            )
    rows = [
        (
            "peak memory after a first invocation: the floor (baseline)",
            f"{floor:.0f} MB",
            "1.00",
            "its one route",
        )
    ]
    for name, peak in sorted(peaks.items()):
        memory_size = _memory_size(stack, name)
        rows.append(
            (
                f"peak memory: {name}",
                f"{peak:.0f} MB",
                f"{peak / floor:.2f}",
                f"{peak / memory_size:.0%} of its MemorySize ({memory_size} MB); {notes[name]}",
            )
        )
    return rows
