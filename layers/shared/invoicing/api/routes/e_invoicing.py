"""/v1/e-invoicing: the tenant's approved platform (connect, read, disconnect) and the callbacks it
makes. A callback carries no API key: the platform's signature is its authentication."""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.body import MAX_BODY_BYTES, PayloadTooLarge
from invoicing.api.common_schemas import OK
from invoicing.api.platform_schemas import PlatformConnectionResponse, PlatformSettings
from invoicing.api.resolver import api_base_url, tenant_of
from invoicing.bootstrap import from_environment
from invoicing.services import platform_connection
from invoicing.services.ports import PlatformConnection

router = Router()


def _response(connection: PlatformConnection) -> PlatformConnectionResponse:
    return PlatformConnectionResponse(
        connection_id=connection.connection_id,
        url=connection.url,
        token_url=connection.token_url,
        client_id=connection.client_id,
        syntax=connection.syntax,
        connected_at=connection.connected_at,
        callback_url=platform_connection.callback_url(api_base_url(router), connection.connection_id),
    )


@router.put(
    "/v1/e-invoicing/platform",
    summary="Connect the approved platform",
    description="The platform's Flow Service and OAuth2 client; the connection subscribes to its "
    "webhooks, which proves the credentials. Replaces the connection before. From then on each "
    "finalized e-invoice to a French business is deposited there, asynchronously.",
    responses=OK,
    tags=["e-invoicing"],
)
def connect_platform(body: PlatformSettings) -> PlatformConnectionResponse:
    connection = platform_connection.connect(
        from_environment(),
        tenant_of(router),
        url=body.url.rstrip("/"),
        token_url=body.token_url,
        client_id=body.client_id,
        client_secret=body.client_secret,
        syntax=body.syntax,
        base_url=api_base_url(router),
    )
    return _response(connection)


@router.get(
    "/v1/e-invoicing/platform",
    summary="Read the connected platform",
    responses={**OK, 404: {"description": "No platform connected yet"}},
    tags=["e-invoicing"],
)
def read_platform() -> PlatformConnectionResponse:
    return _response(platform_connection.connection_of(from_environment(), tenant_of(router)))


@router.delete(
    "/v1/e-invoicing/platform",
    summary="Disconnect the platform",
    description="Its webhook is unsubscribed; e-invoices finalized from then on stay pending.",
    responses={204: {"description": "Disconnected"}, 404: {"description": "No platform connected"}},
    tags=["e-invoicing"],
)
def disconnect_platform() -> Response[Any]:
    platform_connection.disconnect(from_environment(), tenant_of(router))
    return Response(status_code=204, body="")


@router.post(
    "/v1/e-invoicing/callbacks/<connection_id>",
    summary="Receive a platform's callback",
    description="Signed with Afnor-Signature and Afnor-Signature-Timestamp (XP Z12-013). The flow it "
    "names is then read from the platform.",
    responses={**OK, 401: {"description": "Signature missing or wrong; nothing queued"}},
    tags=["e-invoicing"],
)
def receive_callback(connection_id: str) -> dict[str, bool]:
    event = router.current_event
    raw = event.body or ""
    body = base64.b64decode(raw) if event.is_base64_encoded else raw.encode()
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(len(body))
    platform_connection.receive_callback(from_environment(), connection_id, body, dict(event.headers))
    return {"received": True}
