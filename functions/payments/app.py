"""Payments: POST /v1/invoices/{id}/payments, DELETE /v1/invoices/{id}/payments/{payment_id}."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import payments

app = build_resolver(payments.router)
handler = lambda_handler(app)
