"""A document's life: priced as a draft, refused when it cannot be finalized, frozen with its number."""

from datetime import UTC, date, datetime

import pytest

from invoicing.domain.documents import check_finalizable, draft_document, freeze
from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.model import DocumentContent
from invoicing.domain.parts import Seller

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SELLER = Seller.model_validate(
    {
        "name": "Atelier SAS",
        "siren": "732829320",
        "address": {"line1": "1 rue", "postal_code": "75001", "city": "Paris"},
    }
)
BUSINESS = {"name": "ACME SA", "siren": "552100554"}


def content(**fields) -> DocumentContent:
    body = {
        "customer": {"name": "Jean Dupont"},
        "lines": [{"title": "Conseil", "unit_price": "100", "vat_rate": "20"}],
    }
    return DocumentContent.model_validate(body | fields)


def test_a_draft_has_computed_totals_and_no_number():
    draft = draft_document(content(), document_id="inv_1", now=NOW)
    assert (draft.status, draft.number, draft.totals.total_incl_tax) == ("draft", None, 120)


def test_b2b_terms_beyond_the_legal_cap_are_refused_at_creation():
    with pytest.raises(InvalidDocument) as refused:
        draft_document(
            content(customer=BUSINESS, issue_date="2026-11-21", payment_terms="60fm"),
            document_id="i",
            now=NOW,
        )
    assert refused.value.field == "payment_terms"
    # The same terms for a consumer are the seller's business.
    assert draft_document(content(issue_date="2026-11-21", payment_terms="60fm"), document_id="i", now=NOW)


def test_freezing_sets_the_number_dates_seller_and_default_terms():
    draft = draft_document(content(), document_id="inv_1", now=NOW)
    final = freeze(
        draft, seller=SELLER, number="F2026-00001", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )
    assert (final.status, final.number, final.issue_date, final.due_date) == (
        "open",
        "F2026-00001",
        date(2026, 11, 21),
        date(2026, 12, 21),
    )
    assert final.payment_terms == "30"
    assert final.seller == SELLER
    assert draft.status == "draft"  # the draft object is left as it was


def test_an_explicit_due_date_wins_over_default_terms():
    draft = draft_document(content(due_date="2026-12-01"), document_id="inv_1", now=NOW)
    final = freeze(
        draft, seller=SELLER, number="F1", issue_date=date(2026, 11, 21), default_terms="60", now=NOW
    )
    assert (final.due_date, final.payment_terms) == (date(2026, 12, 1), None)


def test_finalizing_needs_the_seller_identity():
    draft = draft_document(content(), document_id="inv_1", now=NOW)
    with pytest.raises(StateConflict) as refused:
        check_finalizable(draft, None)
    assert refused.value.code == "seller_identity_missing"


def test_a_zero_rated_line_needs_the_exemption_mention():
    zero = content(lines=[{"title": "Formation", "unit_price": "100", "vat_rate": "0"}])
    with pytest.raises(InvalidDocument) as refused:
        check_finalizable(draft_document(zero, document_id="i", now=NOW), SELLER)
    assert refused.value.field == "vat_exemption"
    exempt = content(lines=zero.model_dump()["lines"], vat_exemption="TVA non applicable, art. 293 B du CGI")
    assert check_finalizable(draft_document(exempt, document_id="i", now=NOW), SELLER) == SELLER


@pytest.mark.parametrize("kind", ["proforma", "external"])
def test_documents_outside_our_series_are_not_finalized_here(kind):
    fields = {"external_ref": "EXT-1", "issue_date": "2026-01-05"} if kind == "external" else {}
    draft = draft_document(content(type=kind, **fields), document_id="i", now=NOW)
    with pytest.raises(StateConflict) as refused:
        check_finalizable(draft, SELLER)
    assert refused.value.code == "not_finalizable"


def test_a_finalized_document_cannot_be_finalized_again():
    draft = draft_document(content(), document_id="inv_1", now=NOW)
    final = freeze(
        draft, seller=SELLER, number="F1", issue_date=date(2026, 11, 21), default_terms="30", now=NOW
    )
    with pytest.raises(StateConflict, match="F1"):
        check_finalizable(final, SELLER)
