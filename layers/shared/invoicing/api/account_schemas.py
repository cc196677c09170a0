"""The contract of the account's resources: webhook endpoints and their deliveries, customers, API
keys. Apart from the documents' schemas, which the functions serving these do not load."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from invoicing.api.common_schemas import optional_fields
from invoicing.domain.base import Answer, Contract, Model
from invoicing.domain.fields import ShortText
from invoicing.domain.parts import Customer
from invoicing.domain.webhooks.endpoints import EndpointSettings, WebhookEndpoint


class WebhookEndpointCreate(EndpointSettings):
    secret: str = Field(
        min_length=8,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="The signing secret the shop shows (Stripe's whsec_..., Shopify's app secret, "
        "WooCommerce's webhook secret); encrypted, and never returned.",
    )


class WebhookEndpointResponse(WebhookEndpoint):
    url: str = Field(description="Where the shop sends its events: give it this URL.")


class WebhookEndpointList(Model):
    data: list[WebhookEndpointResponse]


class WebhookDelivery(Model):
    id: str = Field(
        description="The shop's own id of the delivery (Stripe's event id, Shopify's "
        "X-Shopify-Webhook-Id, WooCommerce's X-WC-Webhook-Delivery-ID)."
    )
    received_at: datetime
    topic: str | None = Field(description="The event's type as the shop names it (`orders/paid`...).")
    status: Literal["queued", "invoiced", "duplicate", "ignored", "failed"] = Field(
        description="`queued`: waiting to be (or being) processed; `invoiced`: its document is made; "
        "`duplicate`: another delivery had made its order's document already; `ignored`: an event "
        "that makes no document; `failed`: it cannot make its document as it stands (see `reason`): "
        "fix the cause, then retry it."
    )
    reason: str | None = Field(description="Why it failed, or why it waits.")
    document_id: str | None = Field(description="The invoice or credit note it made, or had made.")
    attempts: int = Field(ge=0, description="How many times it was processed.")


class WebhookDeliveryList(Model):
    data: list[WebhookDelivery]
    has_more: bool
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last.")


class DeliveryReceipt(Answer):
    received: Literal[True] = True
    duplicate: bool
    ping: bool = False


class CustomerResponse(Customer):
    id: str
    created_at: datetime
    updated_at: datetime


class CustomerList(Model):
    data: list[CustomerResponse]
    has_more: bool
    next_cursor: str | None


class ApiKeyCreate(Contract):
    name: ShortText | None = Field(default=None, description="What the key is for, to tell keys apart.")


class ApiKeyResponse(Model):
    id: str = Field(pattern=r"^key_[0-9a-f]{32}$")
    prefix: str = Field(description="The key's first characters, to tell it apart; never the key.")
    name: str | None
    created_at: datetime
    last_used_at: datetime | None = Field(
        description="When the authorizer last let it through (within 5 minutes: it keeps its answer "
        "that long); null if never used."
    )


class NewApiKeyResponse(ApiKeyResponse):
    key: str = Field(description="The key itself, shown this once: keep it in a secret store.")


class ApiKeyList(Model):
    data: list[ApiKeyResponse] = Field(description="Newest first.")


class RevokedApiKey(Answer):
    id: str
    prefix: str
    name: str | None
    revoked: Literal[True] = True


CustomerUpdate: type[BaseModel] = create_model(
    "CustomerUpdate", __config__=ConfigDict(defer_build=True, extra="forbid"), **optional_fields(Customer)
)
