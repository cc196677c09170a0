"""Tenants: made with their first API key, which is shown once; and their settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from invoicing.domain.settings import TenantSettings
from invoicing.services.api_keys import hash_api_key, new_api_key
from invoicing.services.ports import Dependencies, Tenants


@dataclass(frozen=True)
class NewTenant:
    tenant_id: str
    api_key: str


def create_tenant(tenants: Tenants, name: str) -> NewTenant:
    tenant_id = f"ten_{uuid.uuid4().hex}"
    first = new_api_key("first key")
    tenants.create_tenant(tenant_id, name, first.record, hash_api_key(first.secret))
    return NewTenant(tenant_id, first.secret)


def settings_of(deps: Dependencies, tenant_id: str) -> TenantSettings:
    """The tenant's settings, the defaults until it sets its own."""
    return deps.tenants.settings(tenant_id)


def replace_settings(deps: Dependencies, tenant_id: str, settings: TenantSettings) -> None:
    """Finalized documents keep the identity they were issued with; new ones take these."""
    deps.tenants.put_settings(tenant_id, settings)
