"""A tenant's webhook endpoint: where one shop sends its events, and how its invoices are written."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from invoicing.domain.base import Contract
from invoicing.domain.fields import Name
from invoicing.domain.parts import Language, OperationNature
from invoicing.domain.webhooks.orders import Provider

# What each shop usually sells when its endpoint does not say: subscriptions and services through
# Stripe, products through Shopify and WooCommerce.
USUAL_NATURE: dict[Provider, OperationNature] = {
    "stripe": "services",
    "shopify": "goods",
    "woocommerce": "goods",
}


class EndpointSettings(Contract):
    provider: Provider
    language: Language = Field(default="fr", description="The language of the invoices it makes.")
    vat_exemption: Name | None = Field(
        default=None,
        description="The mention printed when an order has untaxed lines, e.g. 'TVA non applicable, "
        "art. 293 B du CGI'; without it such an order is refused to the dead-letter queue.",
    )
    operation_nature: OperationNature | None = Field(
        default=None,
        description="What the shop sells (goods, services or mixed), stated on its invoices and how its "
        "sales are e-reported; services for Stripe, goods for Shopify and WooCommerce by default.",
    )

    @property
    def nature(self) -> OperationNature:
        return self.operation_nature or USUAL_NATURE[self.provider]


class WebhookEndpoint(EndpointSettings):
    id: str
    created_at: datetime
