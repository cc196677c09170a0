"""The payment mentions French law asks an invoice to state, in the document's language: the late
payment penalties, the fixed indemnity for recovery costs (art. L441-10 of the Code de commerce,
between businesses) and the early payment discount (art. L441-9). An e-invoice codes each as a
note (PMD, PMT, AAB: BR-FR-05), on every document, a consumer's included.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal

from babel.numbers import format_decimal

from invoicing.domain.parts import Customer, Language, Seller

NoteCode = Literal["PMD", "PMT", "AAB"]
_TEXTS: Final[dict[Language, dict[str, str]]] = {
    "fr": {
        "PMD": "Pénalités de retard : {rate}.",
        "rate": "taux annuel de {rate} %",
        "legal_rate": "trois fois le taux d'intérêt légal",
        "consumer_rate": "intérêts au taux légal",
        "PMT": "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.",
        "PMT_consumer": "Pas d'indemnité forfaitaire pour frais de recouvrement (client non professionnel).",
        "AAB": "Pas d'escompte pour paiement anticipé.",
        "locale": "fr_FR",
    },
    "en": {
        "PMD": "Late payment penalties: {rate}.",
        "rate": "an annual rate of {rate}%",
        "legal_rate": "three times the French legal interest rate",
        "consumer_rate": "interest at the legal rate",
        "PMT": "Fixed indemnity for recovery costs in case of late payment: €40.",
        "PMT_consumer": "No fixed indemnity for recovery costs (the customer is not a business).",
        "AAB": "No discount for early payment.",
        "locale": "en_GB",
    },
}


def payment_mentions(language: Language, customer: Customer, seller: Seller) -> dict[NoteCode, str]:
    """What the invoice says of late payment and early payment, by note subject code."""
    texts = _TEXTS[language]
    if not customer.is_business:
        rate = texts["consumer_rate"]
    elif seller.late_penalty_rate is not None:
        rate = texts["rate"].format(
            rate=format_decimal(Decimal(seller.late_penalty_rate), locale=texts["locale"])
        )
    else:
        rate = texts["legal_rate"]
    return {
        "PMD": texts["PMD"].format(rate=rate),
        "PMT": texts["PMT"] if customer.is_business else texts["PMT_consumer"],
        "AAB": texts["AAB"],
    }
