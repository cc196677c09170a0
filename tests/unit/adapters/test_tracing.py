"""Tracing as X-Ray shows it: the invocation's span in the trace Lambda opened for it, each AWS call
a child of it, and the spans sent to X-Ray's OTLP endpoint signed for the function's role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto import mock_aws
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from invoicing.adapters import aws
from invoicing.adapters.tracing import signed_exporter, traced, tracer_provider
from tests.support.lambdas import context
from tests.support.otlp import otlp_collector

# What Lambda's active tracing puts in the environment for one invocation.
ROOT_ID = "5759e988bd862e3fe1be46a994272793"
LAMBDA_SEGMENT = "53995c3f42cd8ad8"


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    aws.renew_session()
    yield
    BotocoreInstrumentor().uninstrument()
    aws.renew_session()


def traced_in_lambda(
    monkeypatch: pytest.MonkeyPatch, handler: Callable[[Any, Any], Any], *, sampled: bool
) -> tuple[Callable[[Any, Any], Any], InMemorySpanExporter]:
    """The handler traced, in an invocation Lambda sampled or not, and where its spans go."""
    header = f"Root=1-{ROOT_ID[:8]}-{ROOT_ID[8:]};Parent={LAMBDA_SEGMENT};Sampled={1 if sampled else 0}"
    monkeypatch.setenv("_X_AMZN_TRACE_ID", header)
    spans = InMemorySpanExporter()
    return traced(handler, "https://unused.example/v1/traces", exporter=spans), spans


def list_tables(event: Any, _: Any) -> dict[str, Any]:
    tables = aws.dynamodb().list_tables()["TableNames"]
    return {"statusCode": 200, "body": str(tables)}


def test_the_invocation_is_a_span_of_lambdas_trace_and_each_aws_call_its_child(
    aws_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, spans = traced_in_lambda(monkeypatch, list_tables, sampled=True)
    with mock_aws():
        assert handler({}, context("read_api"))["statusCode"] == 200
        handler({}, context("read_api"))

    finished = spans.get_finished_spans()
    invocations = [span for span in finished if span.kind == SpanKind.SERVER]
    # Only the invocations' own calls: the instrumentation patches botocore for the whole process,
    # where another test's local stack may be polling its stream meanwhile.
    invocation_ids = {span.context.span_id for span in invocations}
    calls = [
        span
        for span in finished
        if span.kind == SpanKind.CLIENT and span.parent is not None and span.parent.span_id in invocation_ids
    ]
    assert [span.name for span in invocations] == ["read_api", "read_api"]
    assert [span.name for span in calls] == ["DynamoDB.ListTables", "DynamoDB.ListTables"]
    first = invocations[0]
    assert f"{first.context.trace_id:032x}" == ROOT_ID
    assert first.parent is not None
    assert f"{first.parent.span_id:016x}" == LAMBDA_SEGMENT
    assert calls[0].parent is not None
    assert calls[0].parent.span_id == first.context.span_id
    assert first.attributes is not None
    assert first.attributes["faas.coldstart"] is True
    assert invocations[1].attributes is not None
    assert invocations[1].attributes["faas.coldstart"] is False
    assert first.attributes["http.response.status_code"] == 200
    assert calls[0].attributes is not None
    assert calls[0].attributes["rpc.service"] == "DynamoDB"


def test_an_invocation_lambda_did_not_sample_sends_nothing(
    aws_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, spans = traced_in_lambda(monkeypatch, list_tables, sampled=False)
    with mock_aws():
        handler({}, context("read_api"))
    assert spans.get_finished_spans() == ()


def test_a_failed_invocation_is_an_error_span_and_still_fails(
    aws_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(event: Any, _: Any) -> Any:
        raise RuntimeError("the table is gone")

    handler, spans = traced_in_lambda(monkeypatch, failing, sampled=True)
    with pytest.raises(RuntimeError, match="the table is gone"):
        handler({}, context("outbox"))
    (span,) = spans.get_finished_spans()
    assert span.status.status_code == StatusCode.ERROR
    assert [event.name for event in span.events] == ["exception"]


def test_spans_go_to_the_otlp_endpoint_signed_for_xray(aws_environment: None) -> None:
    with otlp_collector() as collector:
        provider = tracer_provider(signed_exporter(collector.url, "eu-west-3"))
        with provider.get_tracer("test").start_as_current_span("finalize_invoice"):
            pass
        provider.force_flush()

    (export,) = collector.exports
    authorization = export.headers["authorization"]
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-west-3/xray/aws4_request" in authorization
    signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"content-type", "host", "x-amz-date"} <= set(signed)
    assert export.headers["content-type"] == "application/x-protobuf"
    assert export.span_names == ["finalize_invoice"]
    (resource_spans,) = export.request.resource_spans
    attributes = {item.key: item.value.string_value for item in resource_spans.resource.attributes}
    assert attributes["cloud.platform"] == "aws_lambda"
