"""Finalize invoices: POST /v1/invoices/{id}/finalize. Loads the renderer during INIT."""

import invoicing.rendering  # noqa: F401 - every request renders: load the renderer during INIT
from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import invoices_finalize

app = build_resolver(invoices_finalize.router)
handler = lambda_handler(app)
