"""Cold import of each function's module in a fresh interpreter, against its floor: what any
Powertools REST function with pydantic imports anyway (boto3, Logger, Metrics and Tracer, the REST
resolver, pydantic), and for the functions that render, that floor with the renderer's libraries
(jinja2, lxml, xhtml2pdf, factur-x). A bare `import boto3` is shown beside them."""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = [
    "authorizer",
    "read_api",
    "api_keys",
    "edit_drafts",
    "payments",
    "customers",
    "create_invoice",
    "finalize_invoice",
    "download_invoice",
    "credit_notes",
    "quotes",
    "webhook_endpoints",
    "webhook_receiver",
    "webhook_processor",
    "outbox",
    "e_invoicing",
    "platform_tasks",
    "e_reporting",
]
REPEAT = 7

_PROBE = """
import importlib.util, json, sys, time
start = time.process_time()
{body}
elapsed = time.process_time() - start
print(json.dumps({{"seconds": elapsed, "xhtml2pdf": "xhtml2pdf" in sys.modules}}))
"""
_LOAD_FUNCTION = """
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""


def _run(body: str, **variables: str) -> dict[str, float | bool]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "shared"),
        "AWS_DEFAULT_REGION": "eu-west-3",
        "TABLE_NAME": "bench",
        "IDEMPOTENCY_TABLE": "bench-idempotency",
        "DOCUMENTS_BUCKET": "bench",
        "AWS_LAMBDA_FUNCTION_NAME": "bench",  # as Lambda sets it
        **variables,
    }
    output = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=body)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float | bool] = json.loads(output.strip().splitlines()[-1])
    return result


# The floor is the smallest function written the same way: boto3, Powertools' Logger, Metrics and
# Tracer, a validating REST resolver and one route taking and answering a pydantic model.
FLOOR = """
import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel

class Item(BaseModel):
    name: str

app = APIGatewayRestResolver(enable_validation=True)

@app.post("/items")
def create_item(item: Item) -> Item:
    return item
"""
# What `invoicing` does at its first import in a Lambda function.
GC_PAUSED = "import gc\ngc.disable()\n"
RENDER_FLOOR = (
    FLOOR
    + """
import jinja2, lxml.etree, xhtml2pdf.pisa, facturx
"""
)


def _paired(body: str, floor: str, **variables: str) -> tuple[float, float]:
    """`body`'s import time in fresh interpreters, and its ratio to `floor` imported just before it
    each time. The fastest run of each: on a shared machine noise only ever adds time, and the
    interleaving keeps both on the same stretch of the machine's speed."""
    times, baselines = [], []
    for _ in range(REPEAT):
        baselines.append(float(_run(floor)["seconds"]))
        times.append(float(_run(body, **variables)["seconds"]))
    return min(times), min(times) / min(baselines)


def _compile_as_shipped() -> None:
    """The layers ship their bytecode compiled (a Lambda cannot write it to /opt): so do the sources
    measured here, whatever PYTHONDONTWRITEBYTECODE says."""
    for folder in (ROOT / "layers" / "shared" / "invoicing", ROOT / "functions"):
        compileall.compile_dir(folder, quiet=1)


def measure() -> list[tuple[str, str, str, str]]:
    _compile_as_shipped()
    floor = min(float(_run(FLOOR)["seconds"]) for _ in range(REPEAT))
    render_floor = min(float(_run(RENDER_FLOOR)["seconds"]) for _ in range(REPEAT))
    boto3, boto3_ratio = _paired("import boto3", FLOOR)
    paused, paused_ratio = _paired(GC_PAUSED + FLOOR, FLOOR)
    rows = [
        (
            "cold import: the floor (baseline)",
            f"{floor * 1000:.0f} ms",
            "1.00",
            "boto3, Powertools REST with validation, one pydantic model",
        ),
        ("cold import: bare `import boto3`", f"{boto3 * 1000:.0f} ms", f"{boto3_ratio:.2f}", "of the floor"),
        (
            "cold import: the floor, its collector paused during INIT",
            f"{paused * 1000:.0f} ms",
            f"{paused_ratio:.2f}",
            "of the floor: what the functions gain by pausing it (`invoicing`), for comparison",
        ),
        (
            "cold import: the render floor (baseline)",
            f"{render_floor * 1000:.0f} ms",
            "1.00",
            "the floor, jinja2, lxml, xhtml2pdf, factur-x",
        ),
    ]
    for function in FUNCTIONS:
        body = _LOAD_FUNCTION.format(path=str(ROOT / "functions" / function / "app.py"))
        renders = bool(_run(body)["xhtml2pdf"])
        seconds, ratio = _paired(body, RENDER_FLOOR if renders else FLOOR)
        rows.append(
            (
                f"cold import: {function}",
                f"{seconds * 1000:.0f} ms",
                f"{ratio:.2f}",
                "of the render floor" if renders else "of the floor",
            )
        )
    rows += _tracing_options()
    return rows


def _tracing_options() -> list[tuple[str, str, str, str]]:
    """What turning tracing on costs at INIT, each way measured: ours (the OpenTelemetry SDK, its
    botocore instrumentation and OTLP exporter, loaded only then), and Powertools' Tracer, which
    loads the X-Ray SDK (maintenance mode since 25 February 2026, unsupported from 25 February 2027)."""
    read_api = _LOAD_FUNCTION.format(path=str(ROOT / "functions" / "read_api" / "app.py"))
    _, off = _paired(read_api, FLOOR)
    _, ours = _paired(read_api, FLOOR, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:9/v1/traces")
    _, xray = _paired(FLOOR + "\nTracer()\n", FLOOR)
    return [
        ("tracing off: read_api", "-", f"{off:.2f}", "of the floor; Lambda's own segments only"),
        (
            "tracing on: read_api, OpenTelemetry to X-Ray's OTLP endpoint",
            "-",
            f"{ours:.2f}",
            "of the floor; a span per invocation and per AWS call",
        ),
        (
            "tracing on: the floor with Powertools' Tracer (X-Ray SDK)",
            "-",
            f"{xray:.2f}",
            "of the floor; the same spans, by an SDK out of support in February 2027",
        ),
    ]
