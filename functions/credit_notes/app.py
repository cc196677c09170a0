"""Credit notes: POST /v1/invoices/{id}/credit-notes. Loads the renderer during INIT."""

import invoicing.rendering  # noqa: F401 - every request renders: load the renderer during INIT
from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import credit_notes

app = build_resolver(credit_notes.router)
handler = lambda_handler(app)
