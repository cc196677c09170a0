"""Quotes: /v1/quotes and its lifecycle (finalize, download, accept, decline, invoice). Loads the
renderer during INIT."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import quotes, quotes_lifecycle

app = build_resolver(quotes.router, quotes_lifecycle.router)
handler = lambda_handler(app)
