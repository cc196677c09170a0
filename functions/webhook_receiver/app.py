"""Shop deliveries: POST /v1/webhooks/{provider}/{endpoint_id}. Answers fast: the invoice is made by
the processor, from the queue."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import webhooks_receive

app = build_resolver(webhooks_receive.router)
handler = lambda_handler(app)
