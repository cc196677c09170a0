"""API key authorizer: maps `Authorization: Bearer <key>` to the caller's tenant, or answers 401."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.api_keys import tenant_of_bearer

logger = Logger()
from_environment()  # the environment is validated during INIT


@entry_point
@event_source(data_class=APIGatewayAuthorizerRequestEvent)
def handler(event: APIGatewayAuthorizerRequestEvent, context: LambdaContext) -> dict[str, Any]:
    tenant_id = tenant_of_bearer(from_environment().tenants, event.headers.get("authorization"))
    if tenant_id is None:
        logger.info("refused API key")
        raise Exception("Unauthorized")
    arn = event.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id=tenant_id,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context={"tenant_id": tenant_id},
    )
    # One policy for every route, so API Gateway can cache it per key across routes.
    policy.allow_all_routes()
    return policy.asdict()
