"""Customers: POST, GET and PATCH /v1/customers and /v1/customers/{id}."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import customers

app = build_resolver(customers.router)
handler = lambda_handler(app)
