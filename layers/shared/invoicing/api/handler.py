"""The Lambda entry point every API function shares: its resolver inside the logging, metrics and
tracing of `invoicing.observability`, so that a function's app.py only says which routes it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def lambda_handler(
    app: APIGatewayRestResolver, *, on_invoke: Callable[[LambdaContext], None] | None = None
) -> Handler:
    """`on_invoke` runs first on each invocation (Idempotency needs to see the Lambda context). The
    function's environment is validated here, during INIT, rather than at its first request."""
    from_environment()

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if on_invoke is not None:
            on_invoke(context)
        return app.resolve(event, context)

    return entry_point(handler, correlation_id_path=correlation_paths.API_GATEWAY_REST)
