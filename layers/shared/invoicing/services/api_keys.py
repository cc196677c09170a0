"""A tenant's API keys: shown once when made, stored only as their SHA-256, rotated by making the
new one before revoking the old.

Keys carry 256 bits of randomness, so a fast hash is enough: nobody can guess a key from its hash,
and the authorizer finds a key's tenant with one call, which also records the key's last use.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import UTC, datetime
from typing import NamedTuple

from invoicing.domain.errors import NotFound, StateConflict
from invoicing.services.ports import ApiKeyRecord, ConditionFailed, Tenants

API_KEY_PREFIX = "sk_"
MAX_API_KEY_LENGTH = 100
MOST_API_KEYS = 10
# What a listing shows of a key: its scheme and 7 of its 43 random characters, enough to tell keys
# apart, far too few to guess the rest.
SHOWN_CHARACTERS = len(API_KEY_PREFIX) + 7
_KEY_ID = re.compile(r"key_[0-9a-f]{32}")


class NewApiKey(NamedTuple):
    record: ApiKeyRecord
    secret: str


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key(name: str | None) -> NewApiKey:
    secret = f"{API_KEY_PREFIX}{secrets.token_urlsafe(32)}"
    record = ApiKeyRecord(
        id=f"key_{uuid.uuid4().hex}",
        prefix=secret[:SHOWN_CHARACTERS],
        name=name,
        created_at=datetime.now(UTC).isoformat(),
    )
    return NewApiKey(record, secret)


def create_api_key(tenants: Tenants, tenant_id: str, name: str | None) -> NewApiKey:
    made = new_api_key(name)
    try:
        tenants.add_api_key(tenant_id, made.record, hash_api_key(made.secret), most=MOST_API_KEYS)
    except ConditionFailed:
        raise StateConflict(
            f"a tenant holds at most {MOST_API_KEYS} API keys: revoke one it no longer uses "
            "(DELETE /v1/api-keys/{id}) before making another",
            code="too_many_api_keys",
        ) from None
    return made


def api_key(tenants: Tenants, tenant_id: str, key_id: str) -> ApiKeyRecord:
    found = next((record for record in tenants.api_keys(tenant_id) if record.id == key_id), None)
    if found is None:
        raise NotFound(f"no API key {key_id}")
    return found


def revoke_api_key(tenants: Tenants, tenant_id: str, key_id: str) -> ApiKeyRecord:
    """The key as it was before its revocation."""
    try:
        revoked = tenants.revoke_api_key(tenant_id, key_id) if _KEY_ID.fullmatch(key_id) else None
    except ConditionFailed:
        raise StateConflict(
            "this is the tenant's last API key: make its replacement (POST /v1/api-keys) before revoking it",
            code="last_api_key",
        ) from None
    if revoked is None:
        raise NotFound(f"no API key {key_id}")
    return revoked


def tenant_of_bearer(tenants: Tenants, authorization: str | None) -> str | None:
    """The tenant an `Authorization: Bearer <key>` header stands for, or None."""
    scheme, _, secret = (authorization or "").strip().partition(" ")
    secret = secret.strip()
    well_formed = secret.startswith(API_KEY_PREFIX) and len(secret) <= MAX_API_KEY_LENGTH
    if scheme.lower() != "bearer" or not well_formed:
        return None
    return tenants.use_api_key(hash_api_key(secret), datetime.now(UTC).isoformat())
