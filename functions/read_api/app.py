"""Reads: GET /v1/invoices, /v1/invoices/{id} and its finalize-check, GET and PUT /v1/settings,
GET /v1/exports/fec, GET /v1/openapi.json and /v1/docs."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import exports, finalize_check, invoices_list, invoices_read, openapi, settings

app = build_resolver(
    invoices_list.router,
    invoices_read.router,
    finalize_check.router,
    settings.router,
    exports.router,
    openapi.router,
)
handler = lambda_handler(app)
