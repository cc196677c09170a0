"""Webhook endpoints: /v1/webhook-endpoints (create, list, delete) and their deliveries (list, retry)."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import webhook_endpoints

app = build_resolver(webhook_endpoints.router)
handler = lambda_handler(app)
