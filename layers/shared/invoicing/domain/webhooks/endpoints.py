"""A tenant's webhook endpoint: where one shop sends its events, and how its invoices are written."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from invoicing.domain.fields import Name
from invoicing.domain.parts import Contract, Language
from invoicing.domain.webhooks.orders import Provider


class EndpointSettings(Contract):
    provider: Provider
    language: Language = Field(default="fr", description="The language of the invoices it makes.")
    vat_exemption: Name | None = Field(
        default=None,
        description="The mention printed when an order has untaxed lines, e.g. 'TVA non applicable, "
        "art. 293 B du CGI'; without it such an order is refused to the dead-letter queue.",
    )


class WebhookEndpoint(EndpointSettings):
    id: str
    created_at: datetime
