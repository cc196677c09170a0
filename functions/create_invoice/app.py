"""Create invoices: POST /v1/invoices."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import invoices_create

app = build_resolver(invoices_create.router)
handler = lambda_handler(app, on_invoke=invoices_create.idempotency_config.register_lambda_context)
