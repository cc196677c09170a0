"""The functions' handlers as Lambda runs them, on the sample events of events/, against moto
in-process: events and contexts, a tenant's client, and what the handlers make of AWS.

The table and bucket come from template.yaml (its key schema, TTL and bucket settings), built by
the same code as the local stack's, so the tests cannot drift from what is deployed.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import boto3
from moto import mock_aws

from devserver.lambdas import LambdaContext
from devserver.moto_costs import moto_at_dynamodb_costs
from devserver.resources import REGION, create_resources
from devserver.template import Template
from invoicing.adapters import aws as clients
from invoicing.bootstrap import from_environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Template.load(ROOT / "template.yaml")
PREFIX = "invoicing-test"
TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def use_moto_environment() -> None:
    """The variables the template gives the functions, for the resources `moto_resources` makes in
    process; no endpoint override, so the clients talk to moto's mock."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        TABLE_NAME=f"{PREFIX}-InvoicesTable",
        IDEMPOTENCY_TABLE=f"{PREFIX}-IdempotencyTable",
        DOCUMENTS_BUCKET=f"{PREFIX}-documentsbucket",
        POWERTOOLS_SERVICE_NAME="invoicing",
        POWERTOOLS_METRICS_NAMESPACE="Invoicing",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)


@contextmanager
def moto_resources() -> Iterator[dict[str, str]]:
    """The template's resources in moto's mock, named as the functions' environment says, for as long
    as the context lasts; the functions' adapters are made afresh for them."""
    moto_at_dynamodb_costs()  # as the local stack's moto: a transaction's cost stays flat
    with mock_aws():
        names = create_resources(TEMPLATE, boto3.client, prefix=PREFIX)
        os.environ["WEBHOOK_KEY_ID"] = names["WebhookSecretsKey"]
        os.environ["WEBHOOK_QUEUE_URL"] = names["WebhookQueue"]
        os.environ["EVENT_BUS_NAME"] = names["InvoiceEventsBus"]
        os.environ["PLATFORM_QUEUE_URL"] = names["PlatformQueue"]
        from_environment.cache_clear()
        yield names


_modules: dict[str, ModuleType] = {}


def handler_module(function: str, entry: str = "app") -> ModuleType:
    """functions/<function>/<entry>.py, imported once like a warm Lambda environment."""
    name = f"functions_{function}_{entry}"
    if name not in _modules:
        path = ROOT / "functions" / function / f"{entry}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[name] = module
    return _modules[name]


def context(function: str) -> LambdaContext:
    return LambdaContext(
        function_name=function,
        memory_limit_in_mb=512,
        invoked_function_arn=f"arn:aws:lambda:{REGION}:123456789012:function:{function}",
        aws_request_id=str(uuid.uuid4()),
        deadline=time.monotonic() + 29,
    )


def sample_event(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "events" / f"{name}.json").read_text())


def api_event(
    name: str,
    *,
    tenant: str | None,
    body: Any = None,
    raw_body: str | None = None,
    invoice_id: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A sample event of events/ for this tenant, with the given id, body, query and headers."""
    event = copy.deepcopy(sample_event(name))
    if tenant is None:
        event["requestContext"].pop("authorizer")
    else:
        event["requestContext"]["authorizer"] |= {"principalId": tenant, "tenant_id": tenant}
    if invoice_id is not None:
        event["pathParameters"] = {"invoice_id": invoice_id}
        event["path"] = event["resource"].replace("{invoice_id}", invoice_id)
    if body is not None or raw_body is not None:
        event["body"] = raw_body if raw_body is not None else json.dumps(body)
    if query is not None:
        event["queryStringParameters"] = query or None
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    if headers is not None:
        event["headers"] = {k: v for k, v in event["headers"].items() if k != "Idempotency-Key"} | headers
        event["multiValueHeaders"] = {k: [v] for k, v in event["headers"].items()}
    return event


class Api:
    """Calls a function's handler with an event and reads the response as a client would."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant

    def call(self, function: str, event: dict[str, Any]) -> Response:
        return Response(handler_module(function).handler(event, context(function)))

    def create(self, body: dict[str, Any], **kwargs: Any) -> Response:
        return self.call(
            "create_invoice", api_event("create_invoice", tenant=self.tenant, body=body, **kwargs)
        )

    def finalize(self, invoice_id: str) -> Response:
        event = api_event("finalize_invoice", tenant=self.tenant, invoice_id=invoice_id)
        return self.call("finalize_invoice", event)

    def read(self, invoice_id: str) -> Response:
        return self.call("read_api", api_event("read_invoice", tenant=self.tenant, invoice_id=invoice_id))

    def download(self, invoice_id: str, **query: str) -> Response:
        event = api_event("download_invoice", tenant=self.tenant, invoice_id=invoice_id, query=query)
        return self.call("download_invoice", event)

    def update(self, invoice_id: str, changes: dict[str, Any]) -> Response:
        event = api_event("update_draft", tenant=self.tenant, invoice_id=invoice_id, body=changes)
        return self.call("edit_drafts", event)

    def convert(self, invoice_id: str) -> Response:
        event = api_event("delete_draft", tenant=self.tenant, invoice_id=invoice_id)
        event |= {
            "httpMethod": "POST",
            "resource": "/v1/invoices/{invoice_id}/convert",
            "path": f"/v1/invoices/{invoice_id}/convert",
        }
        return self.call("edit_drafts", event)

    def delete(self, invoice_id: str) -> Response:
        return self.call("edit_drafts", api_event("delete_draft", tenant=self.tenant, invoice_id=invoice_id))

    def credit(self, invoice_id: str, body: dict[str, Any]) -> Response:
        event = api_event("issue_credit_note", tenant=self.tenant, invoice_id=invoice_id, body=body)
        return self.call("credit_notes", event)

    def customers(self, method: str, path: str = "", body: Any = None, **query: str) -> Response:
        event = api_event("create_customer", tenant=self.tenant, body=body, query=query)
        resource = "/v1/customers/{customer_id}" if path else "/v1/customers"
        event |= {
            "httpMethod": method,
            "resource": resource,
            "path": f"/v1/customers{path}",
            "pathParameters": {"customer_id": path.strip("/")} if path else None,
        }
        if body is None:
            event["body"] = None
        return self.call("customers", event)

    def quotes(self, method: str, path: str = "", body: Any = None, **query: str) -> Response:
        """Any /v1/quotes route; `path` is what follows /v1/quotes, such as `/quo_.../accept`."""
        event = api_event("create_quote", tenant=self.tenant, body=body, query=query)
        quote_id, _, action = path.strip("/").partition("/")
        resource = "/v1/quotes" + ("/{quote_id}" if quote_id else "") + (f"/{action}" if action else "")
        event |= {
            "httpMethod": method,
            "resource": resource,
            "path": f"/v1/quotes{path}",
            "pathParameters": {"quote_id": quote_id} if quote_id else None,
        }
        if body is None:
            event["body"] = None
        return self.call("quotes", event)

    def list(self, **query: str) -> Response:
        return self.call("read_api", api_event("list_invoices", tenant=self.tenant, query=query))

    def put_settings(self, settings: dict[str, Any]) -> Response:
        return self.call("read_api", api_event("replace_settings", tenant=self.tenant, body=settings))


class Response:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.status = raw["statusCode"]
        headers = dict(raw.get("headers") or {})
        for name, values in (raw.get("multiValueHeaders") or {}).items():
            headers[name] = values[-1]
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.text = raw.get("body") or ""

    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def error_fields(self) -> list[str | None]:
        return [detail["field"] for detail in self.json()["error"]["details"]]


SELLER_SETTINGS = sample_event("replace_settings")["body"]


def pay(api: Api, invoice_id: str, amount: str, **fields: Any) -> Response:
    """Record a payment of `amount` today (by transfer unless `fields` say otherwise)."""
    body = {"amount": amount, "date": TODAY, "method": "transfer"} | fields
    return api.call(
        "payments",
        api_event("record_payment", tenant=api.tenant, invoice_id=invoice_id, body=body)
        | {"path": f"/v1/invoices/{invoice_id}/payments"},
    )


def object_at(url: str) -> bytes:
    """The S3 object a presigned link names (moto accepts any signature, so the URL is checked apart)."""
    path = urlparse(url).path.lstrip("/")
    bucket = os.environ["DOCUMENTS_BUCKET"]
    key = path.split(f"{bucket}/", 1)[1] if path.startswith(bucket) else path
    return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def new_tenant() -> str:
    return f"ten_{uuid.uuid4().hex}"


@contextmanager
def counting_aws_calls() -> Iterator[Counter[str]]:
    """Every DynamoDB and S3 call the functions make, counted by operation through botocore's hooks."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[f"{model.service_model.service_name}.{model.name}"] += 1

    emitters = [clients.dynamodb().meta.events, clients.s3().meta.events]
    for emitter in emitters:
        emitter.register("before-call.*.*", count, unique_id="count-calls")
    try:
        yield calls
    finally:
        for emitter in emitters:
            emitter.unregister("before-call.*.*", unique_id="count-calls")
