"""Exports of a tenant's books."""

from __future__ import annotations

from datetime import date

from invoicing.domain.errors import StateConflict
from invoicing.domain.fec import fec_file, fec_filename, fec_rows
from invoicing.services.ports import Dependencies


def fec_export(deps: Dependencies, tenant_id: str, year: int) -> tuple[str, bytes]:
    """The year's FEC, named as the administration asks, from one paginated Query of the index."""
    seller = deps.tenants.settings(tenant_id).seller
    if seller is None:
        raise StateConflict(
            "the FEC is named after the SIREN: set the seller identity first", code="seller_identity_missing"
        )
    documents = deps.listing.ledger(tenant_id, date(year, 1, 1), date(year, 12, 31))
    return fec_filename(seller.siren, year), fec_file(fec_rows(documents))
