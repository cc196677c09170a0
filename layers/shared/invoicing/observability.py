"""Logging, metrics and tracing around a function's handler: one decorator for every entry point.

Tracing is paid for only where it is on. A function traces when its environment says where its
spans go (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: the template points it at X-Ray's OTLP endpoint);
only then does INIT load the OpenTelemetry SDK and its botocore instrumentation
(`invoicing.adapters.tracing`). The local stack and the tests set no endpoint and load none of it.
OpenTelemetry rather than the X-Ray SDK, which reaches its end of support on 25 February 2027.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.typing import LambdaContext

import invoicing
from invoicing.snapstart import register_hooks

Handler = TypeVar("Handler", bound=Callable[[Any, LambdaContext], Any])

TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"


def tracing_endpoint() -> str | None:
    """Where this function's spans go, or None when it does not trace (OpenTelemetry's own switch,
    OTEL_SDK_DISABLED, turns it off too)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    return os.environ.get(TRACES_ENDPOINT) or None


def end_of_init() -> None:
    """What INIT built, frozen out of every later collection, and the collector resumed (see
    `invoicing`: it is paused during INIT)."""
    if invoicing.GC_PAUSED_FOR_INIT and not gc.isenabled():
        gc.freeze()
        gc.enable()


def entry_point(handler: Handler, *, correlation_id_path: str | None = None) -> Handler:
    """The handler with its invocation logged (request id, cold start, correlation id), its metrics
    flushed, and, when tracing is on, traced; under SnapStart, the snapshot's hooks registered. It
    is made last in INIT: what INIT built is then frozen."""
    register_hooks()
    wrapped = Metrics().log_metrics(handler)
    if (endpoint := tracing_endpoint()) is not None:
        from invoicing.adapters.tracing import traced  # noqa: PLC0415 - only when tracing is on

        wrapped = traced(wrapped, endpoint)
    logged = cast(Handler, Logger().inject_lambda_context(wrapped, correlation_id_path=correlation_id_path))
    end_of_init()
    return logged
