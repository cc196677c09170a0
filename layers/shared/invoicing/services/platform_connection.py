"""A tenant's approved platform: connected with its OAuth2 client (the secret sealed with KMS, never
shown again), subscribed to its webhooks so that each flow's change comes back to us, and those
callbacks checked against the signing key it gave before anything is queued."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping

from aws_lambda_powertools import Logger

from invoicing.domain.errors import BrokenInvariant, InvalidDocument, NotFound, Unauthenticated
from invoicing.services.identifiers import utc_now
from invoicing.services.ports import (
    Dependencies,
    DepositSyntax,
    Platform,
    PlatformConnection,
    PlatformRefused,
    PlatformTask,
    PlatformUnavailable,
)

logger = Logger(child=True)

SIGNATURE_TOLERANCE_SECONDS = 300
MAX_CALLBACK_BYTES = 64 * 1024


def callback_url(base_url: str, connection_id: str) -> str:
    return f"{base_url}/v1/e-invoicing/callbacks/{connection_id}"


def connect(
    deps: Dependencies,
    tenant_id: str,
    *,
    url: str,
    token_url: str,
    client_id: str,
    client_secret: str,
    syntax: DepositSyntax,
    base_url: str,
) -> PlatformConnection:
    """Connect the tenant's platform, replacing the one before: the credentials are proven by the
    webhook subscription they make."""
    connection_id = f"pc_{secrets.token_hex(16)}"
    try:
        platform = deps.platforms.open(url, token_url, client_id, client_secret)
    except ValueError as refused:
        raise InvalidDocument(f"this platform cannot be called: {refused}", field="url") from None
    try:
        webhook_id, signing_key = platform.subscribe(callback_url(base_url, connection_id))
    except PlatformRefused as refused:
        raise InvalidDocument(
            f"the platform refused this client: check client_id and client_secret ({refused})",
            field="client_secret",
        ) from None
    except PlatformUnavailable as down:
        raise InvalidDocument(
            f"the platform did not answer: check url and token_url ({down})", field="url"
        ) from None
    previous = deps.platform_connections.get(tenant_id)
    connection = PlatformConnection(
        connection_id=connection_id,
        url=url,
        token_url=token_url,
        client_id=client_id,
        sealed_secret=deps.secrets.seal(client_secret, tenant_id=tenant_id, endpoint_id=connection_id),
        syntax=syntax,
        connected_at=utc_now().isoformat(),
        webhook_id=webhook_id,
        sealed_signing_key=deps.secrets.seal(signing_key, tenant_id=tenant_id, endpoint_id=connection_id),
    )
    deps.platform_connections.put(tenant_id, connection)
    if previous is not None:
        _forget(deps, tenant_id, previous)
    return connection


def open_platform(deps: Dependencies, tenant_id: str, connection: PlatformConnection) -> Platform:
    secret = deps.secrets.open(
        connection.sealed_secret, tenant_id=tenant_id, endpoint_id=connection.connection_id
    )
    return deps.platforms.open(connection.url, connection.token_url, connection.client_id, secret)


def connection_of(deps: Dependencies, tenant_id: str) -> PlatformConnection:
    connection = deps.platform_connections.get(tenant_id)
    if connection is None:
        raise NotFound("no platform connected: PUT /v1/e-invoicing/platform first", field="platform")
    return connection


def disconnect(deps: Dependencies, tenant_id: str) -> None:
    _forget(deps, tenant_id, connection_of(deps, tenant_id))


def _forget(deps: Dependencies, tenant_id: str, connection: PlatformConnection) -> None:
    """Its webhook unsubscribed if the platform answers (its callbacks are refused anyway once the
    connection is gone), then the connection deleted."""
    if connection.webhook_id:
        try:
            open_platform(deps, tenant_id, connection).unsubscribe(connection.webhook_id)
        except (PlatformRefused, PlatformUnavailable) as failure:
            logger.warning("webhook left subscribed", extra={"reason": str(failure)})
    deps.platform_connections.delete(tenant_id, connection.connection_id)


def receive_callback(deps: Dependencies, connection_id: str, body: bytes, headers: Mapping[str, str]) -> None:
    """A platform's callback: signed with the connection's key (Afnor-Signature, base64 HMAC-SHA256
    of the SHA-256 of the body, '@' and the Afnor-Signature-Timestamp), then the flow it names
    queued to be read from the platform."""
    found = deps.platform_connections.by_id(connection_id) if connection_id.startswith("pc_") else None
    if found is None or found[1].sealed_signing_key is None:
        raise NotFound(f"no platform connection {connection_id[:64]!r}", field="connection_id")
    tenant_id, connection = found
    if connection.sealed_signing_key is None:
        raise BrokenInvariant("connection.sealed_signing_key is missing")
    key = deps.secrets.open(connection.sealed_signing_key, tenant_id=tenant_id, endpoint_id=connection_id)
    lowered = {name.lower(): value for name, value in headers.items()}
    _verify(key, body, lowered.get("afnor-signature", ""), lowered.get("afnor-signature-timestamp", ""))
    flow_id, updated_at = _flow_named(body)
    deps.platform_tasks.send(PlatformTask("hear_flow", tenant_id, flow_id=flow_id, seen_at=updated_at))


def signature(key: str, body: bytes, timestamp: str) -> str:
    """The Afnor-Signature of a callback, as XP Z12-013 defines it."""
    fingerprint = hashlib.sha256(body + b"@" + timestamp.encode()).hexdigest()
    return base64.b64encode(
        hmac.new(base64.b64decode(key), fingerprint.encode(), hashlib.sha256).digest()
    ).decode()


def _verify(key: str, body: bytes, given: str, timestamp: str) -> None:
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE_SECONDS:
        raise Unauthenticated("the callback's Afnor-Signature-Timestamp is missing or not within 5 minutes")
    try:
        expected = signature(key, body, timestamp)
    except (binascii.Error, ValueError):
        raise Unauthenticated("the connection's signing key is unreadable") from None
    if not hmac.compare_digest(expected, given):
        raise Unauthenticated("the callback's Afnor-Signature does not match its body")


def _flow_named(body: bytes) -> tuple[str, str | None]:
    try:
        flow = json.loads(body) if len(body) <= MAX_CALLBACK_BYTES else None
    except ValueError:
        flow = None
    flow_id = flow.get("flowId") if isinstance(flow, dict) else None
    if not isinstance(flow_id, str) or not 0 < len(flow_id) <= 64:
        raise InvalidDocument("a callback names its flow: flowId, at most 64 characters", field="flowId")
    updated_at = flow.get("updatedAt") if isinstance(flow, dict) else None
    return flow_id, str(updated_at)[:40] if updated_at else None
