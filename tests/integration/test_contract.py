"""The published OpenAPI document against the API it describes: schemathesis with every check
and every phase (examples, coverage, fuzzing, stateful through the document's links), a fixed
seed, a bounded number of examples; zero failures.

The run has a stack of its own, its per-key rate raised: thousands of requests in a minute are
the point here, and the limits have their own test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from devserver.stack import LocalStack
from invoicing.services.tenants import create_tenant
from tests.support.http import SETTINGS, Client

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "layers/shared/invoicing/api/openapi.json"
CONFIG = ROOT / "tests/support/schemathesis.toml"
SCHEMATHESIS = Path(sys.executable).with_name("st")


def test_the_api_answers_as_its_openapi_document_says(tmp_path: Path):
    stack = LocalStack(port=0, parameters={"RequestsPerMinutePerKey": "1000000"})
    stack.start()
    try:
        tenant = create_tenant(stack.dependencies().tenants, "Contract SAS")
        seller = Client(stack.url, tenant.api_key).request("PUT", "/v1/settings", json=SETTINGS)
        assert seller.status_code == 200, seller.text
        environment = os.environ | {
            "API_URL": stack.url,
            "CONTRACT_API_KEY": tenant.api_key,
            "SCHEMATHESIS_HOOKS": "tests.support.contract_hooks",
        }
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(CONFIG),
                "run",
                str(DOCUMENT),
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        stack.stop()
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]
    operations = sum(len(methods) for methods in json.loads(DOCUMENT.read_text())["paths"].values())
    summary = run.stdout[run.stdout.find("= SUMMARY") :]
    assert f"Tested: {operations}" in summary, summary
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in summary, summary
