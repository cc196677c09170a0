"""What finalizing a draft would refuse, asked before finalizing it."""

from __future__ import annotations

import pytest

from invoicing.domain.errors import StateConflict
from invoicing.services import invoices
from invoicing.services.finalize_check import finalize_check
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body


def test_finalize_check_lists_what_finalizing_would_refuse(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    check = finalize_check(deps, tenant, draft.document.id)
    assert check.finalizable
    exempt = invoices.create_invoice(
        deps, tenant, invoice_body(lines=[{"title": "Formation", "unit_price": "100", "vat_rate": "0"}])
    )
    blocked = finalize_check(deps, tenant, exempt.document.id)
    assert [problem.code for problem in blocked.blocking] == ["vat_exemption_missing"]


def test_a_finalized_document_is_not_checked_again(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    invoices.finalize_invoice(deps, tenant, draft.document.id)
    with pytest.raises(StateConflict) as refused:
        finalize_check(deps, tenant, draft.document.id)
    assert refused.value.code == "already_finalized"
