"""GET /v1/invoices through the read function: a Query on the ByCreation index, never a scan."""

import base64
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.lambdas import Api, new_tenant, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()


def create(api: Api, **fields) -> dict:
    response = api.create({**INVOICE, **fields}, headers={})
    assert response.status == 201, response.text
    return response.json()


def listed(api: Api, **query: str) -> dict:
    response = api.list(**query)
    assert response.status == 200, response.text
    return response.json()


def test_newest_first_with_summaries(api: Api, aws_calls):
    first, second = create(api), create(api, customer={"name": "Zoé Martin"})
    page = listed(api)
    assert [item["id"] for item in page["data"]] == [second["id"], first["id"]]
    assert page["data"][0] == {
        "id": second["id"],
        "type": "invoice",
        "status": "draft",
        "number": None,
        "customer_name": "Zoé Martin",
        "issue_date": None,
        "due_date": None,
        "currency": "EUR",
        "total_incl_tax": "95.49",
        "amount_due": "95.49",
        "created_at": second["created_at"],
        "overdue": False,
    }
    assert (page["has_more"], page["next_cursor"]) == (False, None)
    assert aws_calls["dynamodb.Query"] == 1
    assert "dynamodb.Scan" not in aws_calls


def test_pages_follow_each_other_without_repeats_or_gaps(api: Api):
    ids = [create(api)["id"] for _ in range(7)]
    seen, cursor = [], None
    while True:
        page = listed(api, limit="3", **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert seen == ids[::-1]


def test_filters_by_status_type_customer_dates_and_number(api: Api):
    draft = create(api, customer={"name": "Librairie Martin"})
    credit = create(api, type="credit_note", customer={"name": "Atelier Dupont"})
    final = create(api, issue_date=TODAY.isoformat())
    number = api.finalize(final["id"]).json()["number"]
    assert [i["id"] for i in listed(api, status="open")["data"]] == [final["id"]]
    assert [i["id"] for i in listed(api, type="credit_note")["data"]] == [credit["id"]]
    assert {i["id"] for i in listed(api, customer="martin")["data"]} == {draft["id"], final["id"]}
    assert [
        i["id"] for i in listed(api, issued_from=TODAY.isoformat(), issued_to=TODAY.isoformat())["data"]
    ] == [final["id"]]
    assert [i["number"] for i in listed(api, number=number)["data"]] == [number]
    assert listed(api, number="F1999-99999")["data"] == []
    # The number finds one document; the other filters apply to it too.
    assert [i["number"] for i in listed(api, number=number, status="open")["data"]] == [number]
    assert listed(api, number=number, status="paid")["data"] == []
    assert listed(api, number=number, customer="dupont")["data"] == []


def test_overdue_lists_open_documents_past_their_due_date(api: Api):
    late = create(api, issue_date=(TODAY - timedelta(days=40)).isoformat(), payment_terms="30")
    api.finalize(late["id"])
    current = create(api, issue_date=TODAY.isoformat())
    api.finalize(current["id"])
    page = listed(api, overdue="true")
    assert [item["id"] for item in page["data"]] == [late["id"]]
    assert page["data"][0]["overdue"] is True


def test_a_tenant_lists_only_its_own(api: Api):
    create(api)
    assert listed(Api(new_tenant()))["data"] == []


def test_a_forged_cursor_cannot_reach_another_tenant(api: Api):
    theirs = create(api)
    position = f"{theirs['created_at'].replace('Z', '+00:00')}#{theirs['id']}"
    forged = base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")
    stranger = Api(new_tenant())
    create(stranger)
    assert all(item["id"] != theirs["id"] for item in listed(stranger, cursor=forged)["data"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"status": "lost"}, "query.status"),
        ({"issued_from": "yesterday"}, "query.issued_from"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"cursor": base64.urlsafe_b64encode(b"TENANT#x#DOCS").decode()}, "query.cursor"),
    ],
)
def test_bad_parameters_name_the_parameter(api: Api, query, field):
    response = api.list(**query)
    assert response.status == 422
    assert field in response.error_fields
