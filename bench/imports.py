"""Cold import of each function's module in a fresh interpreter, against a bare `import boto3`."""

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


def measure() -> list[tuple[str, str, str, str]]:
    baseline = median([float(_run("import boto3")["seconds"]) for _ in range(REPEAT)])
    rows = [("cold import: bare `import boto3` (baseline)", f"{baseline * 1000:.0f} ms", "1.00", "")]
    for function in FUNCTIONS:
        path = ROOT / "functions" / function / "app.py"
        runs = [_run(_LOAD_FUNCTION.format(path=str(path))) for _ in range(REPEAT)]
        seconds = median([float(run["seconds"]) for run in runs])
        renderer = "loads xhtml2pdf" if runs[0]["xhtml2pdf"] else "no xhtml2pdf"
        rows.append(
            (f"cold import: {function}", f"{seconds * 1000:.0f} ms", f"{seconds / baseline:.2f}", renderer)
        )
    return rows
