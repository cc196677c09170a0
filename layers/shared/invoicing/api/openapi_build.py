"""Generate the OpenAPI document from every router: `make openapi`; `--check` fails if it is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

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
    schema["paths"]["/v1/webhooks/{provider}/{endpoint_id}"]["post"]["security"] = []
    schema["paths"]["/v1/e-invoicing/callbacks/{connection_id}"]["post"]["security"] = []
    return schema


def render() -> str:
    return json.dumps(generate(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        if OUTPUT.read_text() != render():
            sys.exit(f"{OUTPUT} is stale: run `make openapi`")
    else:
        OUTPUT.write_text(render())
