"""GET and PUT /v1/settings: the seller's legal identity and the defaults of its documents."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.common_schemas import OK
from invoicing.api.resolver import tenant_of
from invoicing.bootstrap import from_environment
from invoicing.domain.settings import TenantSettings
from invoicing.services import tenants

router = Router()


@router.get("/v1/settings", summary="Read the settings", tags=["settings"])
def read_settings() -> TenantSettings:
    return tenants.settings_of(from_environment(), tenant_of(router))


@router.put(
    "/v1/settings",
    summary="Replace the settings",
    description="Finalized documents keep the identity they were issued with; new ones take these.",
    responses=OK,
    tags=["settings"],
)
def replace_settings(body: TenantSettings) -> TenantSettings:
    tenants.replace_settings(from_environment(), tenant_of(router), body)
    return body
