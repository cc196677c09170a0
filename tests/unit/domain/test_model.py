"""The contract's bounds: every text, number and list has a limit, and unknown fields are refused."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from invoicing.domain.model import DocumentContent
from invoicing.domain.parts import Seller

VALID = {"customer": {"name": "ACME"}, "lines": [{"title": "Conseil", "unit_price": "700", "vat_rate": "20"}]}


def errors_for(body: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as refused:
        DocumentContent.model_validate(body)
    return [(error["loc"], error["type"]) for error in refused.value.errors()]


def with_line(**fields) -> dict:
    return {**VALID, "lines": [{**VALID["lines"][0], **fields}]}


def test_a_minimal_document_is_valid_with_french_defaults():
    content = DocumentContent.model_validate(VALID)
    assert (content.type, content.currency, content.language) == ("invoice", "EUR", "fr")
    assert content.lines[0].quantity == Decimal(1)


def test_computed_fields_sent_by_the_client_are_refused_by_name():
    assert (("totals",), "extra_forbidden") in errors_for({**VALID, "totals": {"total_incl_tax": "1"}})
    assert (("lines", 0, "total_excl_tax"), "extra_forbidden") in errors_for(with_line(total_excl_tax="1"))


@pytest.mark.parametrize(
    ("fields", "location"),
    [
        ({"title": "x" * 100_000}, ("lines", 0, "title")),
        ({"quantity": Decimal("1e400")}, ("lines", 0, "quantity")),
        ({"unit_price": Decimal("1e10")}, ("lines", 0, "unit_price")),
        ({"unit_price": "0.0000001"}, ("lines", 0, "unit_price")),
        ({"unit_price": "NaN"}, ("lines", 0, "unit_price")),
        ({"unit_price": "Infinity"}, ("lines", 0, "unit_price")),
        ({"vat_rate": "100"}, ("lines", 0, "vat_rate")),
        ({"vat_rate": "-5"}, ("lines", 0, "vat_rate")),
        ({"title": "two\nlines"}, ("lines", 0, "title")),
        ({"title": "bell\x07"}, ("lines", 0, "title")),
        ({"title": "   "}, ("lines", 0, "title")),
        ({"discount": {"type": "percent", "value": "101"}}, ("lines", 0, "discount", "value")),
    ],
)
def test_out_of_bounds_line_fields_are_refused_with_their_path(fields, location):
    assert location in [loc for loc, _ in errors_for(with_line(**fields))]


def test_more_than_a_thousand_lines_is_refused():
    assert (("lines",), "too_long") in errors_for({**VALID, "lines": VALID["lines"] * 1001})


def test_an_item_needs_a_price_and_a_rate_and_a_section_carries_none():
    assert errors_for({**VALID, "lines": [{"title": "x", "vat_rate": "20"}]})[0][0] == (
        "lines",
        0,
        "unit_price",
    )
    section = errors_for(
        {**VALID, "lines": [*VALID["lines"], {"kind": "section", "title": "T", "vat_rate": "20"}]}
    )
    assert section[0][0] == ("lines", 1, "vat_rate")


def test_a_document_of_sections_only_is_refused():
    assert errors_for({**VALID, "lines": [{"kind": "section", "title": "Titre"}]})


@pytest.mark.parametrize(
    ("customer", "location"),
    [
        ({"name": "ACME", "siren": "123456789"}, ("customer", "siren")),
        ({"name": "ACME", "vat_number": "FR00732829320"}, ("customer", "vat_number")),
        ({"name": "ACME", "email": "not an email"}, ("customer", "email")),
        (
            {
                "name": "ACME",
                "address": {"line1": "1 rue", "postal_code": "75001", "city": "Paris", "country": "XX"},
            },
            ("customer", "address", "country"),
        ),
        ({"name": ""}, ("customer", "name")),
    ],
)
def test_customer_identifiers_are_checked(customer, location):
    assert location in [loc for loc, _ in errors_for({**VALID, "customer": customer})]


def test_identifiers_are_normalized():
    content = DocumentContent.model_validate(
        {**VALID, "customer": {"name": "ACME", "siren": "732 829 320", "vat_number": "fr 44 732829320"}}
    )
    assert (content.customer.siren, content.customer.vat_number) == ("732829320", "FR44732829320")
    assert content.customer.is_business


def test_currency_must_be_iso_4217_and_external_documents_need_their_reference():
    assert (("currency",), "value_error") in errors_for({**VALID, "currency": "EUX"})
    assert DocumentContent.model_validate({**VALID, "currency": "jpy"}).currency == "JPY"
    assert errors_for({**VALID, "type": "external"})


def test_metadata_is_bounded():
    assert errors_for({**VALID, "metadata": {f"k{i}": "v" for i in range(51)}})
    assert errors_for({**VALID, "metadata": {"bad key": "v"}})
    assert errors_for({**VALID, "metadata": {"k": "v" * 501}})


def test_a_seller_needs_a_valid_siren_and_address():
    with pytest.raises(ValidationError):
        Seller.model_validate(
            {
                "name": "X",
                "siren": "732829321",
                "address": {"line1": "1", "postal_code": "75001", "city": "Paris"},
            }
        )


def test_siret_is_checked_and_belongs_to_its_siren():
    from invoicing.domain.parts import Customer  # noqa: PLC0415

    assert Customer(name="ACME", siren="732829320", siret="73282932000009").siret == "73282932000009"
    for siret, siren in (("73282932000008", "732829320"), ("55210055400005", "732829320")):
        with pytest.raises(ValidationError) as refused:
            Customer(name="ACME", siren=siren, siret=siret)
        assert refused.value.errors()[0]["loc"] == ("siret",)
