"""Drafts of the books through the use cases: created in one write, changed and deleted only as
drafts, finalized once, and a failure after numbering finished by the next attempt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoicing.domain.errors import DocumentTooLarge, NotFound, StateConflict
from invoicing.services import invoices, quotes
from invoicing.services.changes import DocumentRendered, DraftReplaced
from invoicing.services.ports import ConditionFailed
from tests.support.fakes import FakeDependencies
from tests.support.samples import invoice_body, quote_body


def test_a_draft_is_one_commit_with_computed_totals_and_no_number(deps: FakeDependencies, tenant: str):
    stored = invoices.create_invoice(deps, tenant, invoice_body())
    assert (stored.document.status, stored.document.number, stored.version) == ("draft", None, 1)
    assert stored.document.totals.total_incl_tax == Decimal("95.49")
    assert deps.store.commits == 1
    assert deps.tenants.settings_reads == 0, "a draft reads no settings"
    assert deps.documents.get(tenant, stored.document.id) == stored


def test_finalizing_numbers_freezes_and_publishes_it_once(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    final = invoices.finalize_invoice(deps, tenant, draft.document.id)
    assert final.document.number is not None
    assert final.document.number.endswith("-00001")
    assert final.document.seller is not None
    assert final.rendered_locales == {"fr"}
    names = sorted(key.rsplit("/", 1)[1] for key in deps.files.files)
    number = final.document.number
    assert names == sorted([f"{number}.pdf", f"{number}.html", f"{number}.xml", f"{number}.ubl.xml"])
    assert all(file.retain_until is not None for file in deps.files.files.values())
    with pytest.raises(StateConflict) as again:
        invoices.finalize_invoice(deps, tenant, draft.document.id)
    assert again.value.code == "already_finalized"


def test_a_failure_after_numbering_is_finished_by_the_next_attempt(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    deps.store.fail_next(DocumentRendered)
    with pytest.raises(ConditionFailed):
        invoices.finalize_invoice(deps, tenant, draft.document.id)
    numbered = deps.store.document(tenant, draft.document.id)
    assert numbered.number is not None, "the number was committed before the failure"

    finished = invoices.finalize_invoice(deps, tenant, draft.document.id)
    assert (finished.document.number, finished.rendered_locales) == (numbered.number, {"fr"})
    second = invoices.finalize_invoice(
        deps, tenant, invoices.create_invoice(deps, tenant, invoice_body()).document.id
    )
    assert second.document.number is not None
    assert second.document.number.endswith("-00002"), "no number was lost or taken twice"


def test_a_draft_changed_meanwhile_is_a_conflict_and_nothing_is_lost(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    deps.store.fail_next(DraftReplaced)
    with pytest.raises(StateConflict) as refused:
        invoices.update_invoice(deps, tenant, draft.document.id, {"title": "Lost?"})
    assert refused.value.code == "conflict"
    assert deps.store.document(tenant, draft.document.id).title == draft.document.title
    changed = invoices.update_invoice(deps, tenant, draft.document.id, {"title": "Changed"})
    assert (changed.document.title, changed.version) == ("Changed", 2)


def test_a_finalized_document_is_neither_changed_nor_deleted(deps: FakeDependencies, tenant: str):
    draft = invoices.create_invoice(deps, tenant, invoice_body())
    invoices.finalize_invoice(deps, tenant, draft.document.id)
    with pytest.raises(StateConflict):
        invoices.update_invoice(deps, tenant, draft.document.id, {"title": "Changed"})
    with pytest.raises(StateConflict) as refused:
        invoices.delete_invoice(deps, tenant, draft.document.id)
    assert refused.value.code == "already_finalized"


def test_a_quote_is_not_found_among_invoices_nor_another_tenants_document(
    deps: FakeDependencies, tenant: str
):
    quote = quotes.create_quote(deps, tenant, quote_body())
    invoice = invoices.create_invoice(deps, tenant, invoice_body())
    with pytest.raises(NotFound):
        invoices.finalize_invoice(deps, tenant, quote.document.id)
    with pytest.raises(NotFound):
        invoices.delete_invoice(deps, "ten_other", invoice.document.id)
    assert deps.documents.get(tenant, invoice.document.id) is not None


def test_a_proforma_converts_once(deps: FakeDependencies, tenant: str):
    proforma = invoices.create_invoice(deps, tenant, invoice_body(type="proforma"))
    invoice = invoices.convert_proforma(deps, tenant, proforma.document.id)
    assert (invoice.document.type, invoice.document.converted_from) == ("invoice", proforma.document.id)
    assert deps.store.document(tenant, proforma.document.id).converted_to == invoice.document.id
    with pytest.raises(StateConflict) as again:
        invoices.convert_proforma(deps, tenant, proforma.document.id)
    assert again.value.code == "converted"
    with pytest.raises(StateConflict):
        invoices.delete_invoice(deps, tenant, proforma.document.id)


def test_a_document_too_large_to_store_is_the_clients_to_shorten(deps: FakeDependencies, tenant: str):
    deps.store.max_document_bytes = 2_000
    with pytest.raises(DocumentTooLarge) as refused:
        invoices.create_invoice(deps, tenant, invoice_body(notes="x" * 3_000))
    assert refused.value.field == "lines"
    assert deps.store.documents == {}
