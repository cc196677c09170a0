"""GET /v1/invoices/{id}/finalize-check: what blocks the draft's finalization, and what is a warning."""

from __future__ import annotations

from dataclasses import asdict

from aws_lambda_powertools.event_handler.api_gateway import Router

from invoicing.api.answer_schemas import FinalizeCheckResponse
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import tenant_of
from invoicing.bootstrap import from_environment
from invoicing.services.finalize_check import finalize_check as check_draft

router = Router()


@router.get(
    "/v1/invoices/<invoice_id>/finalize-check",
    summary="Check a draft before finalizing it",
    description="The blocking problems are exactly those finalization refuses with; warnings name the "
    "mentions a careful issuer adds.",
    responses={**OK, 409: {"description": "Not a draft: only a draft is checked"}},
    tags=["invoices"],
)
def finalize_check(invoice_id: str) -> FinalizeCheckResponse:
    check = check_draft(from_environment(), tenant_of(router), invoice_id)
    return FinalizeCheckResponse.model_validate(
        {
            "finalizable": check.finalizable,
            "blocking": [asdict(problem) for problem in check.blocking],
            "warnings": [asdict(problem) for problem in check.warnings],
        }
    )
