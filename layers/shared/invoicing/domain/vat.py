"""VAT categories (EN 16931 code list UNCL 5305) and the regimes a French invoice meets.

A line's category defaults from its rate (S above zero, E at zero); reverse charge (AE), an
intra-EU supply of goods (K), an export outside the EU (G) and zero rating (Z) are named explicitly,
or through Pennylane-style codes such as `FR_200`. Operations outside the scope of VAT (O) are not
offered: EN 16931 wants such an invoice to carry no VAT identifier at all, which a French seller's
invoice always does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal

VatCategory = Literal["S", "Z", "E", "AE", "K", "G"]
ZERO_RATED: Final = frozenset({"Z", "E", "AE", "K", "G"})

# Pennylane's codes (and a few obvious ones) as aliases of a rate and a category.
VAT_CODES: Final[dict[str, tuple[Decimal, VatCategory]]] = {
    "FR_200": (Decimal(20), "S"),
    "FR_100": (Decimal(10), "S"),
    "FR_85": (Decimal("8.5"), "S"),
    "FR_55": (Decimal("5.5"), "S"),
    "FR_21": (Decimal("2.1"), "S"),
    "FR_0": (Decimal(0), "Z"),
    "exempt": (Decimal(0), "E"),
    "intracom": (Decimal(0), "K"),
    "extracom": (Decimal(0), "G"),
    "reverse_charge": (Decimal(0), "AE"),
}

# The mention the law asks for, printed and given as the exemption reason (BT-120/BT-121).
MENTIONS: Final[dict[VatCategory, tuple[str, str]]] = {
    "AE": ("Autoliquidation", "VATEX-EU-AE"),
    "K": ("Exonération de TVA, article 262 ter I du CGI", "VATEX-EU-IC"),
    "G": ("Exonération de TVA, article 262 I du CGI", "VATEX-EU-G"),
}


def default_category(rate: Decimal) -> VatCategory:
    return "S" if rate > 0 else "E"


def exemption(category: VatCategory, mention: str | None) -> tuple[str | None, str | None]:
    """A VAT group's exemption reason and its code (BT-120, BT-121): the law's mention for its
    category, or for an exempt group the document's own mention (`Exonération` when it gives none)."""
    if category in MENTIONS:
        return MENTIONS[category]
    if category == "E":
        return mention or "Exonération", None
    return None, None
