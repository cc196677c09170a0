"""Cold import of each function's module in a fresh interpreter, against its floor: what any
Powertools REST function with pydantic imports anyway (boto3, Logger, Metrics and Tracer, the REST
resolver, pydantic), and for the functions that render, that floor with the renderer's libraries
(jinja2, lxml, xhtml2pdf, factur-x). A bare `import boto3` is shown beside them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.stats import median

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
REPEAT = 5

_PROBE = """
import importlib.util, json, sys, time
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "xhtml2pdf": "xhtml2pdf" in sys.modules}}))
"""
_LOAD_FUNCTION = """
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""


def _run(body: str) -> dict[str, float | bool]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "shared"),
        "AWS_DEFAULT_REGION": "eu-west-3",
        "TABLE_NAME": "bench",
        "IDEMPOTENCY_TABLE": "bench-idempotency",
        "DOCUMENTS_BUCKET": "bench",
        "POWERTOOLS_TRACE_DISABLED": "true",
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


FLOOR = """
import boto3, pydantic
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
"""
RENDER_FLOOR = (
    FLOOR
    + """
import jinja2, lxml.etree, xhtml2pdf.pisa, facturx
"""
)


def _cold(body: str) -> tuple[float, bool]:
    """The median import time of `body` in fresh interpreters, and whether it loaded xhtml2pdf."""
    runs = [_run(body) for _ in range(REPEAT)]
    return median([float(run["seconds"]) for run in runs]), bool(runs[0]["xhtml2pdf"])


def measure() -> list[tuple[str, str, str, str]]:
    boto3, _ = _cold("import boto3")
    floor, _ = _cold(FLOOR)
    render_floor, _ = _cold(RENDER_FLOOR)
    rows = [
        (
            "cold import: bare `import boto3`",
            f"{boto3 * 1000:.0f} ms",
            f"{boto3 / floor:.2f}",
            "of the floor",
        ),
        (
            "cold import: the floor (baseline)",
            f"{floor * 1000:.0f} ms",
            "1.00",
            "boto3, Powertools REST, pydantic",
        ),
        (
            "cold import: the render floor (baseline)",
            f"{render_floor * 1000:.0f} ms",
            "1.00",
            "the floor, jinja2, lxml, xhtml2pdf, factur-x",
        ),
    ]
    for function in FUNCTIONS:
        seconds, renders = _cold(_LOAD_FUNCTION.format(path=str(ROOT / "functions" / function / "app.py")))
        own_floor = render_floor if renders else floor
        rows.append(
            (
                f"cold import: {function}",
                f"{seconds * 1000:.0f} ms",
                f"{seconds / own_floor:.2f}",
                "of the render floor" if renders else "of the floor",
            )
        )
    return rows
