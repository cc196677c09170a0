"""/v1/customers through its function, and documents that name a customer by customer_id."""

import json

import pytest

from tests.support.lambdas import Api, new_tenant, sample_event

CUSTOMER = json.loads(sample_event("create_customer")["body"])
INVOICE = json.loads(sample_event("create_invoice")["body"])


def create_customer(api: Api, **fields) -> dict:
    response = api.customers("POST", body={**CUSTOMER, **fields})
    assert response.status == 201, response.text
    return response.json()


def test_a_customer_is_created_read_changed_and_listed(api: Api):
    created = create_customer(api)
    assert created["id"].startswith("cus_")
    assert (created["siren"], created["vat_number"]) == ("732829320", "FR44732829320")
    assert api.customers("GET", f"/{created['id']}").json() == created
    changed = api.customers("PATCH", f"/{created['id']}", body={"email": "factures@martin.example"}).json()
    assert (changed["email"], changed["name"]) == ("factures@martin.example", CUSTOMER["name"])
    assert changed["updated_at"] >= created["updated_at"]
    second = create_customer(api, name="Atelier Dupont")
    assert [item["id"] for item in api.customers("GET").json()["data"]] == [second["id"], created["id"]]


def test_customers_list_in_pages(api: Api):
    ids = [create_customer(api, name=f"Client {n}")["id"] for n in range(5)]
    first = api.customers("GET", limit="2").json()
    rest = api.customers("GET", limit="10", cursor=first["next_cursor"]).json()
    assert [c["id"] for c in first["data"] + rest["data"]] == ids[::-1]
    assert (first["has_more"], rest["has_more"]) == (True, False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "A", "siren": "123"}, "siren"),
        ({"name": "A", "balance": "1"}, "balance"),
    ],
)
def test_invalid_customers_name_the_field(api: Api, body, field):
    response = api.customers("POST", body=body)
    assert response.status == 422
    assert field in response.error_fields


def test_another_tenants_customer_is_not_found(api: Api):
    created = create_customer(api)
    stranger = Api(new_tenant())
    assert stranger.customers("GET", f"/{created['id']}").status == 404
    assert stranger.customers("PATCH", f"/{created['id']}", body={"name": "Mine"}).status == 404
    named = stranger.create({**INVOICE, "customer": None, "customer_id": created["id"]}, headers={})
    assert named.status == 404
    assert named.error_fields == ["customer_id"]


def test_an_invoice_names_a_customer_and_keeps_it_as_it_was_at_finalization(api: Api):
    customer = create_customer(api)
    body = {k: v for k, v in INVOICE.items() if k != "customer"} | {"customer_id": customer["id"]}
    draft = api.create(body, headers={}).json()
    assert (draft["customer_id"], draft["customer"]["name"]) == (customer["id"], CUSTOMER["name"])
    api.customers("PATCH", f"/{customer['id']}", body={"name": "Librairie Martin & Fils"})
    final = api.finalize(draft["id"]).json()
    assert final["customer"]["name"] == "Librairie Martin & Fils"  # as it is at finalization
    api.customers("PATCH", f"/{customer['id']}", body={"name": "Renamed later"})
    assert api.read(draft["id"]).json()["customer"]["name"] == "Librairie Martin & Fils"


def test_customer_and_customer_id_together_are_refused(api: Api):
    customer = create_customer(api)
    response = api.create({**INVOICE, "customer_id": customer["id"]}, headers={})
    assert response.status == 422
    assert response.error_fields == ["customer_id"]
