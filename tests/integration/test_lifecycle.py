"""Each state transition of a document over HTTP, allowed and refused."""

from tests.support.http import Client


def test_draft_edited_then_finalized_then_frozen(client: Client):
    invoice_id = client.draft_id()
    edited = client.request("PATCH", f"/v1/invoices/{invoice_id}", json={"notes": "Merci de votre confiance"})
    assert (edited.status_code, edited.json()["notes"]) == (200, "Merci de votre confiance")
    assert client.finalize(invoice_id).status_code == 200
    for method, json_body in (("PATCH", {"notes": "changed"}), ("DELETE", None)):
        refused = client.request(method, f"/v1/invoices/{invoice_id}", json=json_body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (409, "already_finalized")
    assert client.finalize(invoice_id).status_code == 409
    assert client.request("GET", f"/v1/invoices/{invoice_id}").json()["notes"] == "Merci de votre confiance"


def test_draft_deleted_is_gone(client: Client):
    invoice_id = client.draft_id()
    assert client.request("DELETE", f"/v1/invoices/{invoice_id}").status_code == 204
    for method, path in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/finalize")):
        response = client.request(
            method, f"/v1/invoices/{invoice_id}{path}", json={} if method == "PATCH" else None
        )
        assert response.status_code == 404, (method, path)
