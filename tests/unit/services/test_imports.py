"""Documents issued elsewhere through the use cases: the original stored first, then the document
recorded final under its own number, and an external_ref imported once per tenant."""

from __future__ import annotations

import base64

import pytest

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.services import invoices
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body

PDF = b"%PDF-1.4\n%%EOF\n"


def imported(**fields: object) -> dict[str, object]:
    return invoice_body(type="external", external_ref="FAC-2025-0412", issue_date="2025-12-15") | fields


def test_an_import_is_final_under_its_own_number_with_its_original_kept(deps: FakeDependencies, tenant: str):
    stored = invoices.create_invoice(deps, tenant, imported(), file_base64=base64.b64encode(PDF).decode())
    document = stored.document
    assert (document.status, document.number, document.finalized_at is not None) == (
        "open",
        "FAC-2025-0412",
        True,
    )
    (original,) = deps.files.files.values()
    assert original.body == PDF
    assert original.retain_until is not None, "an import is kept unchangeable like the books' documents"
    assert deps.store.counter(tenant, "invoice").state.seq == 0, "it takes no number from our series"


def test_an_external_ref_is_imported_once_and_the_refusal_names_the_first(
    deps: FakeDependencies, tenant: str
):
    first = invoices.create_invoice(deps, tenant, imported(), file_url="https://files.example/a.pdf")
    with pytest.raises(StateConflict) as refused:
        invoices.create_invoice(deps, tenant, imported(), file_url="https://files.example/a.pdf")
    assert (refused.value.code, refused.value.field) == ("external_ref_taken", "external_ref")
    assert first.document.id in refused.value.message
    assert len(deps.store.documents) == 1


def test_an_original_that_is_not_a_pdf_is_refused_before_anything_is_written(
    deps: FakeDependencies, tenant: str
):
    with pytest.raises(InvalidDocument) as refused:
        invoices.create_invoice(deps, tenant, imported(), file_base64=base64.b64encode(b"<html>").decode())
    assert refused.value.field == "file.content_base64"
    assert (deps.files.files, deps.store.documents) == ({}, {})
