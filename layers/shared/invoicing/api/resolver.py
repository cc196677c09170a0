"""The resolver each function builds from its routers (validation on, Decimal bodies, contract
errors), and what its routes share: the caller's tenant, the URL it reached us at, a 201."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType
from pydantic import BaseModel

from invoicing.api.body import parse_json_body
from invoicing.api.errors import install_error_handlers
from invoicing.domain.errors import Unauthenticated


class JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, but every body is JSON: a form or a multipart body is
    refused with a 415 rather than read as fields (or failing on a missing boundary)."""

    def _get_body(self, app: Any) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type and not content_type.startswith("application/json"):
            raise RequestUnsupportedContentType(
                "Unsupported content type",
                errors=[{"type": "unsupported_content_type", "loc": ("body",), "msg": content_type}],
            )
        return super()._get_body(app)


def build_resolver(*routers: Router) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, json_body_deserializer=parse_json_body)
    app._request_validation_middleware = JsonBodiesOnly()
    install_error_handlers(app)
    for router in routers:
        app.include_router(router)
    return app


def tenant_of(router: Router | APIGatewayRestResolver) -> str:
    """The tenant the authorizer mapped the caller's API key to; API Gateway lets nothing else through."""
    authorizer = router.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    tenant_id = authorizer.get("tenant_id")
    if not tenant_id:
        raise Unauthenticated("no tenant: the request did not pass the API key authorizer")
    return str(tenant_id)


def api_base_url(router: Router | APIGatewayRestResolver) -> str:
    """The URL the caller reached us at, stage included on execute-api hosts."""
    event = router.current_event
    context = event.raw_event.get("requestContext", {})
    domain = context.get("domainName") or event.headers.get("host", "localhost")
    scheme = event.headers.get("x-forwarded-proto", "https")
    stage = f"/{context['stage']}" if ".execute-api." in domain and context.get("stage") else ""
    return f"{scheme}://{domain}{stage}"


def created(body: BaseModel | dict[str, Any], location: str, **headers: str) -> Response[dict[str, Any]]:
    """A 201 whose Location names the resource the request made."""
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump(mode="json") if isinstance(body, BaseModel) else body,
        headers={"Location": location} | headers,
    )
