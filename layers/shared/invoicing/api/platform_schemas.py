"""The contract of /v1/e-invoicing: a tenant's approved platform, as it connects it and reads it back
(never with its secret)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from invoicing.domain.base import Model

# https; http only to this machine, where the local stack's platform runs.
URL_PATTERN = r"^(https://[^\s/?#]+|http://(127\.0\.0\.1|localhost)(:\d{1,5})?)(/[^\s?#]*)?$"


class PlatformSettings(Model):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=500,
        pattern=URL_PATTERN,
        description="The platform's Flow Service (AFNOR XP Z12-013), up to /v1 excluded; https.",
    )
    token_url: str = Field(max_length=500, pattern=URL_PATTERN, description="Its OAuth2 token endpoint.")
    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    client_secret: str = Field(
        min_length=1,
        max_length=500,
        pattern=r"^[\x21-\x7e]+$",
        description="The OAuth2 client's secret: encrypted, and never returned.",
    )
    syntax: Literal["Factur-X", "UBL", "CII"] = Field(
        default="Factur-X", description="What the e-invoices are deposited as."
    )


class PlatformConnectionResponse(Model):
    connection_id: str
    url: str
    token_url: str
    client_id: str
    syntax: Literal["Factur-X", "UBL", "CII"]
    connected_at: str
    callback_url: str = Field(description="Where the platform tells us of each flow's change.")
