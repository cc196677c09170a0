"""Tracing paid for only where it is on: a function that sends no spans loads no tracing code, one
that does sends its invocation's spans before it returns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.otlp import otlp_collector

ROOT = Path(__file__).resolve().parents[2]
INVOKE = """
import json, sys
from devserver.lambdas import LambdaContext
from invoicing.observability import entry_point

handler = entry_point(lambda event, context: {"statusCode": 200, "body": "{}"})
context = LambdaContext(function_name="read_api", memory_limit_in_mb=512,
                        invoked_function_arn="arn:aws:lambda:eu-west-3:123456789012:function:read_api",
                        aws_request_id="c6af9ac6-7b61-11e6-9a41-93e812345678", deadline=10**9)
answer = handler({}, context)
tracing = ("opentelemetry", "aws_xray_sdk")
loaded = sorted({name.split(".")[0] for name in sys.modules if name.startswith(tracing)})
print(json.dumps({"status": answer["statusCode"], "loaded": loaded}))
"""


def invoke(**environment: str) -> dict[str, object]:
    variables = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "_X_AMZN"))},
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers" / "shared")]),
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_REGION": "eu-west-3",
        **environment,
    }
    output = subprocess.run(
        [sys.executable, "-c", INVOKE], capture_output=True, text=True, check=True, env=variables, cwd=ROOT
    ).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return result


def test_a_function_that_sends_no_spans_loads_no_tracing_code() -> None:
    assert invoke() == {"status": 200, "loaded": []}


def test_opentelemetrys_own_switch_turns_tracing_off() -> None:
    assert invoke(
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:9/v1/traces", OTEL_SDK_DISABLED="true"
    ) == {
        "status": 200,
        "loaded": [],
    }


def test_a_traced_function_sends_its_invocation_before_it_returns() -> None:
    with otlp_collector() as collector:
        result = invoke(
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=collector.url,
            _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        )
    assert result == {"status": 200, "loaded": ["opentelemetry"]}
    assert [export.span_names for export in collector.exports] == [["read_api"]]
    assert "/xray/aws4_request" in collector.exports[0].headers["authorization"]
