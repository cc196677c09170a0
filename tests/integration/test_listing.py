"""Listing over HTTP: 250 documents in pages of 100, each exactly once, newest first."""

from concurrent.futures import ThreadPoolExecutor

from tests.support.http import Client

DOCUMENTS = 250


def test_250_documents_in_pages_of_100_come_back_each_exactly_once(client: Client):
    with ThreadPoolExecutor(8) as pool:
        created = set(pool.map(lambda _: client.draft_id(), range(DOCUMENTS)))
    pages, seen, cursor = [], [], None
    while True:
        params = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = client.request("GET", "/v1/invoices", params=params).json()
        pages.append(len(page["data"]))
        seen += page["data"]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert pages == [100, 100, 50]
    assert [item["id"] for item in seen].count(seen[0]["id"]) == 1
    assert {item["id"] for item in seen} == created
    assert len(seen) == DOCUMENTS
    order = [(item["created_at"], item["id"]) for item in seen]
    assert order == sorted(order, reverse=True)
