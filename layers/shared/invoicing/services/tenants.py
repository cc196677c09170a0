"""Tenants and their API keys: a key is shown once at creation and stored only as its SHA-256.

Keys carry 256 bits of randomness, so a fast hash is enough: nobody can guess a key from its hash,
and the authorizer can look a key up with one GetItem.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from invoicing.domain.settings import TenantSettings
from invoicing.services.ports import Dependencies, Tenants

API_KEY_PREFIX = "sk_"
MAX_API_KEY_LENGTH = 100


@dataclass(frozen=True)
class NewTenant:
    tenant_id: str
    api_key: str


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def create_tenant(tenants: Tenants, name: str) -> NewTenant:
    tenant_id = f"ten_{uuid.uuid4().hex}"
    api_key = f"{API_KEY_PREFIX}{secrets.token_urlsafe(32)}"
    tenants.create_tenant(tenant_id, name, hash_api_key(api_key), datetime.now(UTC).isoformat())
    return NewTenant(tenant_id, api_key)


def tenant_of_bearer(tenants: Tenants, authorization: str | None) -> str | None:
    """The tenant an `Authorization: Bearer <key>` header stands for, or None."""
    scheme, _, api_key = (authorization or "").strip().partition(" ")
    api_key = api_key.strip()
    if (
        scheme.lower() != "bearer"
        or not api_key.startswith(API_KEY_PREFIX)
        or len(api_key) > MAX_API_KEY_LENGTH
    ):
        return None
    return tenants.tenant_of_key(hash_api_key(api_key))


def settings_of(deps: Dependencies, tenant_id: str) -> TenantSettings:
    """The tenant's settings, the defaults until it sets its own."""
    return deps.tenants.settings(tenant_id)


def replace_settings(deps: Dependencies, tenant_id: str, settings: TenantSettings) -> None:
    """Finalized documents keep the identity they were issued with; new ones take these."""
    deps.tenants.put_settings(tenant_id, settings)
