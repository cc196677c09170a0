"""/v1/api-keys: rotate a tenant's keys (make the new one, move to it, revoke the old) and revoke a
leaked one."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.account_schemas import (
    ApiKeyCreate,
    ApiKeyList,
    ApiKeyResponse,
    NewApiKeyResponse,
    RevokedApiKey,
)
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import created, tenant_of
from invoicing.bootstrap import from_environment
from invoicing.services import api_keys
from invoicing.services.ports import ApiKeyRecord

router = Router()


def _response(record: ApiKeyRecord) -> ApiKeyResponse:
    return ApiKeyResponse.model_validate(record._asdict())


@router.post(
    "/v1/api-keys",
    summary="Make an API key",
    description="The key is in this answer only: it is stored as its hash. A tenant holds at most 10.",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": NewApiKeyResponse}}},
    },
    tags=["api-keys"],
)
def create_api_key(body: ApiKeyCreate) -> Response[dict[str, Any]]:
    made = api_keys.create_api_key(from_environment().tenants, tenant_of(router), body.name)
    response = NewApiKeyResponse.model_validate(made.record._asdict() | {"key": made.secret})
    # Not a response any cache may keep: it holds the key.
    return created(response, f"/v1/api-keys/{made.record.id}", **{"Cache-Control": "no-store"})


@router.get("/v1/api-keys", summary="List the API keys", responses=OK, tags=["api-keys"])
def list_api_keys() -> ApiKeyList:
    return ApiKeyList(
        data=[_response(record) for record in from_environment().tenants.api_keys(tenant_of(router))]
    )


@router.get("/v1/api-keys/<key_id>", summary="Read an API key", responses=OK, tags=["api-keys"])
def read_api_key(key_id: str) -> ApiKeyResponse:
    return _response(api_keys.api_key(from_environment().tenants, tenant_of(router), key_id))


@router.delete(
    "/v1/api-keys/<key_id>",
    summary="Revoke an API key",
    description="Refused from now on, within the 5 minutes the gateway keeps its authorizer's answer "
    "for a key. A tenant keeps at least one key: make the replacement first.",
    responses=OK,
    tags=["api-keys"],
)
def revoke_api_key(key_id: str) -> RevokedApiKey:
    revoked = api_keys.revoke_api_key(from_environment().tenants, tenant_of(router), key_id)
    return RevokedApiKey(id=revoked.id, prefix=revoked.prefix, name=revoked.name)
