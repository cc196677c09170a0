"""GET /v1/exports/fec?year=YYYY: the year's sales journal as a FEC file."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.resolver import tenant_of
from invoicing.bootstrap import from_environment
from invoicing.services.exports import fec_export

router = Router()


@router.get(
    "/v1/exports/fec",
    summary="Export the FEC of a year",
    description="The 18-column fichier des écritures comptables (art. A47 A-1 LPF) of every finalized "
    "invoice, deposit invoice, credit note and import issued that year: tab-separated, UTF-8, one "
    "balanced entry per document, numbered continuously; named `<SIREN>FEC<YYYY>1231.txt`.",
    responses={
        200: {"description": "The file", "content": {"text/plain": {}}},
        409: {"description": "No seller identity yet: set it with PUT /v1/settings"},
    },
    tags=["exports"],
)
def export_fec(year: Annotated[int, Query(ge=2000, le=2100)]) -> Response[Any]:
    name, body = fec_export(from_environment(), tenant_of(router), year)
    return Response(
        status_code=200,
        content_type="text/plain; charset=utf-8",
        body=body.decode(),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
