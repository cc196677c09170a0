"""Generate the OpenAPI document from every router: `make openapi`; `--check` fails if it is stale."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from invoicing.api.common_schemas import ERRORS, ErrorBody
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import (
    api_keys,
    credit_notes,
    customers,
    drafts,
    e_invoicing,
    e_reporting,
    exports,
    finalize_check,
    invoices_create,
    invoices_download,
    invoices_finalize,
    invoices_list,
    invoices_read,
    payments,
    quotes,
    quotes_lifecycle,
    settings,
    webhook_endpoints,
    webhooks_receive,
)

OUTPUT = Path(__file__).with_name("openapi.json")


def generate() -> dict[str, Any]:
    app = build_resolver(
        invoices_create.router,
        invoices_list.router,
        invoices_read.router,
        finalize_check.router,
        drafts.router,
        invoices_finalize.router,
        invoices_download.router,
        payments.router,
        credit_notes.router,
        customers.router,
        quotes.router,
        quotes_lifecycle.router,
        settings.router,
        api_keys.router,
        exports.router,
        webhook_endpoints.router,
        webhooks_receive.router,
        e_invoicing.router,
        e_reporting.router,
    )
    schema: dict[str, Any] = app.get_openapi_schema(
        title="Invoicing API",
        version="1.0.0",
        summary="Legal, numbered invoices with their PDFs",
    ).model_dump(mode="json", by_alias=True, exclude_none=True)
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: made with its tenant (`invoicing tenant create`), or by "
        "POST /v1/api-keys.",
    }
    schema["security"] = [{"bearer": []}]
    # Shops and platforms authenticate their deliveries by signature, not by an API key.
    for path in UNSIGNED_BY_KEY:
        schema["paths"][path]["post"]["security"] = []
    _name_operations(schema)
    _name_answered_schemas(schema)
    _pattern_ids(schema)
    _document_errors(schema)
    _link_created_resources(schema)
    return schema


UNSIGNED_BY_KEY = ("/v1/webhooks/{provider}/{endpoint_id}", "/v1/e-invoicing/callbacks/{connection_id}")
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
}


def _name_operations(schema: dict[str, Any]) -> None:
    """Each operation by its handler's name (`create_invoice`), as clients generated from the
    document name their methods; Powertools appends the path and the method."""
    seen: set[str] = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            suffix = re.sub(r"\W", "_", path) + "_" + method
            name = operation["operationId"].removesuffix(suffix)
            if name in seen:
                raise ValueError(f"two operations are named {name}")
            seen.add(name)
            operation["operationId"] = name


def _name_answered_schemas(schema: dict[str, Any]) -> None:
    """A model sent and answered has two schemas (defaults are required in answers): pydantic's
    `Customer-Input` becomes `Customer`, what is sent, and `Customer-Output` `CustomerOutput`, titled
    so (code generators name classes by title, and resolve no reference to a name with a hyphen)."""
    components = schema["components"]["schemas"]
    renamed = {
        name: name.removesuffix("-Input").replace("-Output", "Output") for name in components if "-" in name
    }
    for old, new in renamed.items():
        components[old]["title"] = new
    schema["components"]["schemas"] = {renamed.get(name, name): value for name, value in components.items()}
    prefix = "#/components/schemas/"

    def rename_references(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(ref := node.get("$ref"), str) and ref.removeprefix(prefix) in renamed:
                node["$ref"] = prefix + renamed[ref.removeprefix(prefix)]
            for value in node.values():
                rename_references(value)
        elif isinstance(node, list):
            for value in node:
                rename_references(value)

    rename_references(schema)


# The ids the API makes, by the path parameter that takes them; the shops name their deliveries.
ID_PATTERNS = {
    "invoice_id": r"^inv_[0-9a-f]{32}$",
    "quote_id": r"^quo_[0-9a-f]{32}$",
    "customer_id": r"^cus_[0-9a-f]{32}$",
    "key_id": r"^key_[0-9a-f]{32}$",
    "payment_id": r"^pay_[0-9a-f]{32}$",
    "endpoint_id": r"^we_[0-9a-f]{32}$",
    "connection_id": r"^pc_[0-9a-f]{32}$",
    "period_id": r"^(transactions|payments)-\d{4}-\d{2}-\d{2}$",
    "delivery_id": r"^[\x21-\x7e]{1,200}$",
}


def _pattern_ids(schema: dict[str, Any]) -> None:
    """Each id in a path as the API makes it; one that is not is answered 404 like an unknown one."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in ID_PATTERNS:
                    parameter["schema"]["pattern"] = ID_PATTERNS[parameter["name"]]


def _errors_of(operation: dict[str, Any], method: str) -> set[int]:
    """The errors an operation can answer: the authorizer's, the body parser's, validation's, the
    state machine's, the rate limits' and the storage's; and any its route names."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    # Powertools names a 422 on every operation; only those with something to validate answer it.
    declared = {int(status) for status in operation["responses"] if int(status) >= 400} - {422}
    errors = {429, 503} | declared
    if operation.get("security") != []:
        errors.add(401)
    if has_body:
        errors |= {400, 413, 415}
    if has_body or any(parameter["in"] == "path" for parameter in parameters):
        errors.add(404)
    if has_body or parameters:
        errors.add(422)
    if method != "get":
        errors.add(409)
    return errors


def _document_errors(schema: dict[str, Any]) -> None:
    """Every 4xx and 5xx an operation can answer, each with the contract's error body; a 204 has
    no body at all."""
    components = schema["components"]["schemas"]
    # Powertools' own validation error bodies: ours is ErrorBody.
    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        components.pop(name, None)
    components["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(components["ErrorBody"].pop("$defs", {}))
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = {s: r for s, r in operation["responses"].items() if int(s) < 400}
            for status in sorted(_errors_of(operation, method)):
                declared = operation["responses"].get(str(status), {})
                answer: dict[str, Any] = {
                    "description": declared.get("description", ERRORS[status]),
                    "content": ERROR_BODY,
                }
                if status in (429, 503):
                    answer["headers"] = RETRY_AFTER
                responses[str(status)] = answer
            if "204" in responses:
                responses["204"].pop("content", None)
            operation["responses"] = dict(sorted(responses.items()))


# What each create operation makes, and where the id it answers goes.
CREATES = {
    ("post", "/v1/invoices"): "/v1/invoices/{invoice_id}",
    ("post", "/v1/invoices/{invoice_id}/credit-notes"): "/v1/invoices/{invoice_id}",
    ("post", "/v1/invoices/{invoice_id}/convert"): "/v1/invoices/{invoice_id}",
    ("post", "/v1/quotes/{quote_id}/invoice"): "/v1/invoices/{invoice_id}",
    ("post", "/v1/quotes"): "/v1/quotes/{quote_id}",
    ("post", "/v1/customers"): "/v1/customers/{customer_id}",
    ("post", "/v1/api-keys"): "/v1/api-keys/{key_id}",
    ("post", "/v1/webhook-endpoints"): "/v1/webhook-endpoints/{endpoint_id}",
}
# Lists whose first item's id the operations on it take (nothing but the calendar makes periods).
LISTS = {
    ("get", "/v1/e-reporting/periods"): "/v1/e-reporting/periods/{period_id}",
    ("get", "/v1/webhook-endpoints/{endpoint_id}/deliveries"): (
        "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}"
    ),
}
# Links the paths alone do not tell.
EXTRA_LINKS = {
    ("post", "/v1/webhook-endpoints"): {
        "ReceiveDelivery": (
            "post",
            "/v1/webhooks/{provider}/{endpoint_id}",
            {"provider": "$response.body#/provider", "endpoint_id": "$response.body#/id"},
        ),
        "ListDeliveries": (
            "get",
            "/v1/webhook-endpoints/{endpoint_id}/deliveries",
            {"endpoint_id": "$response.body#/id"},
        ),
    },
    ("put", "/v1/e-invoicing/platform"): {
        "ReceiveCallback": (
            "post",
            "/v1/e-invoicing/callbacks/{connection_id}",
            {"connection_id": "$response.body#/connection_id"},
        )
    },
    ("post", "/v1/invoices/{invoice_id}/payments"): {
        "RemovePayment": (
            "delete",
            "/v1/invoices/{invoice_id}/payments/{payment_id}",
            {"invoice_id": "$request.path.invoice_id", "payment_id": "$response.body#/payments/0/id"},
        )
    },
}


def _link(method: str, path: str, schema: dict[str, Any], parameters: dict[str, str]) -> dict[str, Any]:
    return {"operationId": schema["paths"][path][method]["operationId"], "parameters": parameters}


def _link_created_resources(schema: dict[str, Any]) -> None:
    """OpenAPI links from what makes a resource to the operations on it, so that a client (or
    schemathesis' stateful phase) follows real ids."""
    sources = {key: (target, "$response.body#/id") for key, target in CREATES.items()}
    sources |= {key: (target, "$response.body#/data/0/id") for key, target in LISTS.items()}
    for method, path in sources.keys() | EXTRA_LINKS.keys():
        links: dict[str, Any] = {}
        if (method, path) in sources:
            target, pointer = sources[method, path]
            links |= _links_to(schema, path, target, pointer)
        for name, (other_method, other_path, bound) in EXTRA_LINKS.get((method, path), {}).items():
            links[name] = _link(other_method, other_path, schema, bound)
        responses = schema["paths"][path][method]["responses"]
        success = next(status for status in sorted(responses) if status < "300")
        responses[success]["links"] = dict(sorted(links.items()))


def _links_to(schema: dict[str, Any], path: str, target: str, pointer: str) -> dict[str, Any]:
    """A link to each operation on `target` or under it, its id taken from `pointer`, the other ids
    on the way as the request to `path` named them."""
    parameter = target.rsplit("{", 1)[1].rstrip("}")
    links: dict[str, Any] = {}
    for other_path, operations in schema["paths"].items():
        if other_path != target and not other_path.startswith(target + "/"):
            continue
        names = [part.split("}")[0] for part in other_path.split("{")[1:]]
        bound = {parameter: pointer} | {
            name: f"$request.path.{name}" for name in names if name != parameter and f"{{{name}}}" in path
        }
        for other_method, operation in operations.items():
            links[operation["operationId"]] = _link(other_method, other_path, schema, bound)
    return links


def render() -> str:
    return json.dumps(generate(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        if OUTPUT.read_text() != render():
            sys.exit(f"{OUTPUT} is stale: run `make openapi`")
    else:
        OUTPUT.write_text(render())
