"""The approved platform: /v1/e-invoicing/platform (connect, read, disconnect) and the platform's
callbacks, /v1/e-invoicing/callbacks/{connection_id}."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import e_invoicing

app = build_resolver(e_invoicing.router)
handler = lambda_handler(app)
