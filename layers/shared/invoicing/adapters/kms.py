"""Webhook signing secrets, encrypted with KMS.

An HMAC secret cannot be hashed (checking a signature needs the secret itself), so it is encrypted,
with the tenant and endpoint as encryption context: a ciphertext copied to another endpoint's item
does not decrypt there. Decrypted secrets stay in the warm environment's memory for a few minutes.
"""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

from invoicing.domain.errors import BrokenInvariant

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient

CACHE_SECONDS = 300.0


class SecretBox:
    def __init__(self, client: KMSClient, key_id: str | None) -> None:
        self._client = client
        self._key_id = key_id
        self._cache: dict[tuple[str, str], tuple[float, str]] = {}

    def seal(self, secret: str, *, tenant_id: str, endpoint_id: str) -> str:
        if self._key_id is None:
            raise BrokenInvariant("sealing needs WEBHOOK_KEY_ID")
        blob = self._client.encrypt(
            KeyId=self._key_id,
            Plaintext=secret.encode(),
            EncryptionContext={"tenant_id": tenant_id, "endpoint_id": endpoint_id},
        )["CiphertextBlob"]
        return base64.b64encode(blob).decode()

    def open(self, sealed: str, *, tenant_id: str, endpoint_id: str) -> str:
        cached = self._cache.get((endpoint_id, sealed))
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        secret = self._client.decrypt(
            CiphertextBlob=base64.b64decode(sealed),
            EncryptionContext={"tenant_id": tenant_id, "endpoint_id": endpoint_id},
        )["Plaintext"].decode()
        self._cache[(endpoint_id, sealed)] = (time.monotonic() + CACHE_SECONDS, secret)
        return secret
