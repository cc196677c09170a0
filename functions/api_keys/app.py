"""API keys: POST and GET /v1/api-keys, GET and DELETE /v1/api-keys/{id}."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import api_keys

app = build_resolver(api_keys.router)
handler = lambda_handler(app)
