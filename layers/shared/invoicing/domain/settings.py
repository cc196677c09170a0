"""A tenant's settings: its legal identity and the defaults its documents take at finalization."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, Field

from invoicing.domain.base import Contract
from invoicing.domain.documents import DEFAULT_QUOTE_VALIDITY_DAYS
from invoicing.domain.fields import Codes
from invoicing.domain.kinds import Series
from invoicing.domain.numbering import DEFAULT_PATTERNS, NumberingPattern, PatternText
from invoicing.domain.parts import Language, Seller
from invoicing.domain.terms import PaymentTerms


def _timezone(value: str) -> str:
    if value not in available_timezones():
        raise ValueError("must be an IANA time zone such as Europe/Paris")
    return value


class Numbering(Contract):
    invoice: PatternText = DEFAULT_PATTERNS["invoice"]
    credit_note: PatternText = DEFAULT_PATTERNS["credit_note"]
    quote: PatternText = DEFAULT_PATTERNS["quote"]

    def pattern(self, series: Series) -> NumberingPattern:
        return NumberingPattern.parse(getattr(self, series))


class TenantSettings(Contract):
    seller: Seller | None = None
    numbering: Numbering = Field(default_factory=Numbering)
    payment_terms: PaymentTerms = "30"
    quote_validity_days: int = Field(
        default=DEFAULT_QUOTE_VALIDITY_DAYS, ge=1, le=365, description="A quote's default validity."
    )
    language: Language = "fr"
    timezone: Annotated[
        str,
        Field(max_length=64),
        AfterValidator(_timezone),
        Codes(lambda: frozenset(available_timezones()), "IANA time zone"),
    ] = "Europe/Paris"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
