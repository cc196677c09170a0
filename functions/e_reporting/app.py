"""/v1/e-reporting: the tenant's periods, what each holds, its report and its transmission."""

from invoicing.api.handler import lambda_handler
from invoicing.api.resolver import build_resolver
from invoicing.api.routes import e_reporting

app = build_resolver(e_reporting.router)
handler = lambda_handler(app)
