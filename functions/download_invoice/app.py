"""Download invoices as PDF or HTML: GET /v1/invoices/{id}/download."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import invoices_download

app = build_resolver(invoices_download.router)
handler = lambda_handler(app)
