"""Traces over OpenTelemetry to X-Ray's OTLP endpoint: a span for each invocation and a child span
for each AWS call, in the trace of the segment Lambda's active tracing opens for the invocation
(`_X_AMZN_TRACE_ID`), so that X-Ray shows them as one. Loaded only when tracing is on
(`invoicing.observability`).

The spans of an invocation go in one signed request when it ends: Lambda may freeze the
environment as soon as the handler returns, so nothing waits for a background export.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.propagators.aws import AwsXRayLambdaPropagator
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

from invoicing.adapters import aws

Handler = TypeVar("Handler", bound=Callable[..., Any])

# The headers SigV4 signs besides its own: what X-Ray must see unchanged.
_SIGNED_HEADERS = ("content-type", "content-encoding")


class SigV4(requests.auth.AuthBase):
    """Signs each export for X-Ray (`xray:PutSpans`) with the function's role, as the AWS SDKs do.
    The credentials are read at each export: they are refreshed under a long-lived environment
    and replaced in one restored from a SnapStart snapshot."""

    def __init__(self, region: str) -> None:
        self.region = region

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        credentials = aws.session().get_credentials()
        if credentials is None:
            raise RuntimeError("no AWS credentials to sign the traces with")
        headers = {name: value for name, value in request.headers.items() if name.lower() in _SIGNED_HEADERS}
        signed = AWSRequest(method=request.method, url=request.url, data=request.body, headers=headers)
        SigV4Auth(credentials.get_frozen_credentials(), "xray", self.region).add_auth(signed)
        request.headers.update(dict(signed.headers.items()))
        return request


def signed_exporter(endpoint: str, region: str) -> OTLPSpanExporter:
    session = requests.Session()
    session.auth = SigV4(region)
    return OTLPSpanExporter(endpoint=endpoint, session=session, timeout=2)


def tracer_provider(exporter: SpanExporter) -> TracerProvider:
    """The provider every span of this environment goes through, the AWS SDK's included."""
    resource = Resource.create(
        {
            "service.name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "invoicing"),
            "cloud.provider": "aws",
            "cloud.platform": "aws_lambda",
            "cloud.region": os.environ.get("AWS_REGION", ""),
            "faas.version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", ""),
        }
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    BotocoreInstrumentor().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]
    return provider


def traced(handler: Handler, endpoint: str, exporter: SpanExporter | None = None) -> Handler:
    """The handler inside a span of its invocation, its spans exported before it returns."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")
    provider = tracer_provider(exporter or signed_exporter(endpoint, region))
    tracer = provider.get_tracer("invoicing")
    propagator = AwsXRayLambdaPropagator()
    cold_start = True

    @functools.wraps(handler)
    def invoke(event: Any, context: Any) -> Any:
        nonlocal cold_start
        parent = propagator.extract({})
        name = getattr(context, "function_name", None) or "invocation"
        attributes = {
            "faas.invocation_id": getattr(context, "aws_request_id", ""),
            "cloud.resource_id": getattr(context, "invoked_function_arn", ""),
            "faas.coldstart": cold_start,
        }
        cold_start = False
        try:
            with tracer.start_as_current_span(
                name, context=parent, kind=SpanKind.SERVER, attributes=attributes
            ) as span:
                result = handler(event, context)
                if isinstance(result, dict) and isinstance(result.get("statusCode"), int):
                    span.set_attribute("http.response.status_code", result["statusCode"])
                    if result["statusCode"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                return result
        finally:
            provider.force_flush(timeout_millis=2000)

    return invoke  # type: ignore[return-value]
