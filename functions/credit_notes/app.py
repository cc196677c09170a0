"""Credit notes: POST /v1/invoices/{id}/credit-notes. Loads the renderer during INIT."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.api.resolver import build_resolver
from invoicing.api.routes import credit_notes

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = build_resolver(credit_notes.router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
