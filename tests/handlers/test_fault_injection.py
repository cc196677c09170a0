"""Failures at each step of a finalization leave no gap and no duplicate, and a retry finishes the job."""

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.exceptions import ClientError

from invoicing.adapters import aws as clients
from tests.support.lambdas import Api, sample_event

INVOICE = json.loads(sample_event("create_invoice")["body"])
YEAR = datetime.now(ZoneInfo("Europe/Paris")).year
FILES = {
    f"F{YEAR}-00001{suffix}" for suffix in (".pdf", ".html", ".xml", ".ubl.xml")
}  # Factur-X, HTML, CII, UBL

# (operation, before or after it reached AWS, which call of it); "after" means the write happened
# but its answer was lost.
STEPS = [
    ("dynamodb.UpdateItem", "before", 1),  # taking the series' lease
    ("dynamodb.UpdateItem", "after", 1),  # a lease taken by a writer that then died: it expires
    ("dynamodb.TransactWriteItems", "before", 1),
    ("dynamodb.TransactWriteItems", "after", 1),
    ("s3.PutObject", "before", 1),  # the Factur-X PDF
    ("s3.PutObject", "after", 1),
    ("s3.PutObject", "before", 3),  # the CII XML
    ("s3.PutObject", "after", 3),
    ("dynamodb.UpdateItem", "before", 2),  # recording that the files are written
    ("dynamodb.UpdateItem", "after", 2),
]
JOB_DONE_ANSWER_LOST = ("dynamodb.UpdateItem", "after", 2)


def s3_keys(tenant: str) -> set[str]:
    listing = boto3.client("s3").list_objects_v2(
        Bucket=os.environ["DOCUMENTS_BUCKET"], Prefix=f"tenants/{tenant}/"
    )
    return {item["Key"].rsplit("/", 1)[1] for item in listing.get("Contents", [])}


@pytest.mark.parametrize(("operation", "when", "nth"), STEPS)
def test_a_failed_step_is_finished_by_a_retry(api: Api, inject_failure, operation, when, nth):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    inject_failure(operation, when, nth)
    failed = api.finalize(invoice_id)
    assert failed.status == 503
    assert failed.headers["retry-after"] == "1"
    assert failed.json()["error"]["code"] == "service_unavailable"

    retried = api.finalize(invoice_id)
    if (operation, when, nth) == JOB_DONE_ANSWER_LOST:
        # The job was done; only its answer was lost: the retry learns it is already finalized.
        assert (retried.status, retried.json()["error"]["code"]) == (409, "already_finalized")
    else:
        assert retried.status == 200, retried.text
    assert api.read(invoice_id).json()["number"] == f"F{YEAR}-00001"
    assert s3_keys(api.tenant) == FILES
    assert api.read(invoice_id).json()["links"]["pdf"].split("?")[0].endswith(f"F{YEAR}-00001.pdf")
    assert api.finalize(invoice_id).status == 409  # and now it is complete


def test_the_html_write_failing_after_the_pdf_is_finished_too(api: Api, inject_failure):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    emitter = clients.s3().meta.events
    writes = []

    def fail_second_put(params, **_):
        writes.append(params["Key"])
        if len(writes) == 2:
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "injected"}}, "PutObject")

    emitter.register("before-parameter-build.s3.PutObject", fail_second_put, unique_id="second-put")
    try:
        assert api.finalize(invoice_id).status == 503
    finally:
        emitter.unregister("before-parameter-build.s3.PutObject", unique_id="second-put")
    assert s3_keys(api.tenant) == {f"F{YEAR}-00001.pdf"}
    assert api.finalize(invoice_id).status == 200
    assert s3_keys(api.tenant) == FILES


def test_failures_across_a_series_leave_it_gapless(api: Api, inject_failure):
    """Interleave every failure with successful finalizations: the numbers stay 1..n, each used once."""
    numbers = []
    for operation, when, nth in STEPS:
        invoice_id = api.create(INVOICE, headers={}).json()["id"]
        inject_failure(operation, when, nth)
        assert api.finalize(invoice_id).status == 503
        # Another invoice finalizes before the failed one is retried.
        other = api.create(INVOICE, headers={}).json()["id"]
        numbers.append(api.finalize(other).json()["number"])
        api.finalize(invoice_id)
        numbers.append(api.read(invoice_id).json()["number"])
    assert sorted(numbers) == [f"F{YEAR}-{n:05d}" for n in range(1, len(numbers) + 1)]
    assert len(s3_keys(api.tenant)) == 4 * len(numbers)


def test_a_waiter_colliding_with_the_holders_commit_waits_instead_of_failing(api: Api, inject_failure):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    conflict = {"Error": {"Code": "TransactionConflictException", "Message": "in a transaction"}}
    inject_failure("dynamodb.UpdateItem", "before", 1, error=conflict)
    response = api.finalize(invoice_id)
    assert response.status == 200, response.text
    assert response.json()["number"] == f"F{YEAR}-00001"


def test_a_commit_cancelled_by_a_conflict_is_retried_under_the_same_lease(
    api: Api, inject_failure, aws_calls
):
    invoice_id = api.create(INVOICE, headers={}).json()["id"]
    cancelled = {
        "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
        "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}],
    }
    inject_failure("dynamodb.TransactWriteItems", "before", 1, error=cancelled)
    response = api.finalize(invoice_id)
    assert response.status == 200, response.text
    assert response.json()["number"] == f"F{YEAR}-00001"
    # One lease taken and kept (no queueing behind its own lease), two commits, one record of the files.
    assert aws_calls["dynamodb.TransactWriteItems"] == 2
    assert aws_calls["dynamodb.UpdateItem"] == 2
