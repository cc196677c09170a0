"""Drafts: PATCH and DELETE /v1/invoices/{id}; POST /v1/invoices/{id}/convert for proformas."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import drafts

app = build_resolver(drafts.router)
handler = lambda_handler(app)
