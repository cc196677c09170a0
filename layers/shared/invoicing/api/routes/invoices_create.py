"""POST /v1/invoices: a draft, or with `finalize` a numbered invoice; replay-safe with Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from invoicing.api.answer_schemas import InvoiceResponse
from invoicing.api.common_schemas import ErrorDetail
from invoicing.api.errors import error_response, storage_failed
from invoicing.api.request_schemas import InvoiceCreate
from invoicing.api.resolver import api_base_url, created, tenant_of
from invoicing.api.responses import invoice_response
from invoicing.bootstrap import from_environment
from invoicing.services import invoices
from invoicing.services.documents import get_invoice
from invoicing.snapstart import forget_on_restore

router = Router()

IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
REPLAYED = "__replayed"


def _mark_replay(response: Any, idempotent_data: DataRecord) -> Any:
    return {**response, REPLAYED: True}


# Keys are scoped by tenant: two tenants may send the same key and never see each other's answer.
idempotency_config = IdempotencyConfig(
    event_key_jmespath="[tenant_id, key]",
    payload_validation_jmespath="payload",
    expires_after_seconds=24 * 3600,
    response_hook=_mark_replay,
)


def _create(request: dict[str, Any]) -> dict[str, Any]:
    """The payload is the validated body as JSON: plain data that Idempotency can hash and compare."""
    deps = from_environment()
    tenant_id = request["tenant_id"]
    fields = dict(request["payload"])
    finalize = bool(fields.pop("finalize", False))
    file, file_url = fields.pop("file", None), fields.pop("file_url", None)
    stored = invoices.create_invoice(
        deps,
        tenant_id,
        fields,
        finalize=finalize,
        file_base64=file["content_base64"] if file else None,
        file_url=file_url,
    )
    return invoice_response(deps, tenant_id, stored, request["base_url"]).model_dump(mode="json")


@router.exception_handler(IdempotencyValidationError)
def key_reused(_: IdempotencyValidationError) -> Response[Any]:
    detail = ErrorDetail(field="header.Idempotency-Key", message="already used with a different body")
    return error_response(
        422, "idempotency_key_reused", "this Idempotency-Key was used with another body", [detail]
    )


@router.exception_handler(IdempotencyAlreadyInProgressError)
def key_in_progress(_: IdempotencyAlreadyInProgressError) -> Response[Any]:
    return error_response(
        409, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed; retry"
    )


@router.exception_handler(IdempotencyPersistenceLayerError)
def store_failed(_: IdempotencyPersistenceLayerError) -> Response[Any]:
    return storage_failed()


@cache
def create_once() -> Callable[..., dict[str, Any]]:
    """`_create` behind Powertools Idempotency, its records in their own DynamoDB table."""
    return idempotent_function(  # type: ignore[no-any-return]
        data_keyword_argument="request",
        persistence_store=from_environment().idempotency_store,
        config=idempotency_config,
    )(_create)


forget_on_restore(create_once.cache_clear)  # its store holds a DynamoDB client


@router.post(
    "/v1/invoices",
    summary="Create an invoice",
    description="A draft by default; `finalize: true` numbers it, freezes it and renders its PDF at once. "
    "An imported document (type external or external_credit) is recorded final under its external_ref, "
    "with its original PDF given as `file` or fetched from `file_url`.",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": InvoiceResponse}}},
    },
    tags=["invoices"],
)
def create_invoice(
    body: InvoiceCreate,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="idempotency-key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Replays return the first answer; the same key with another body is refused.",
        ),
    ] = None,
) -> Response[dict[str, Any]]:
    tenant_id = tenant_of(router)
    base_url = api_base_url(router)
    request = {
        "tenant_id": tenant_id,
        "key": idempotency_key,
        "payload": body.model_dump(mode="json", exclude_unset=True),
        "base_url": base_url,
    }
    result = create_once()(request=request) if idempotency_key else _create(request)
    if not result.pop(REPLAYED, False):
        return created(result, f"/v1/invoices/{result['id']}")
    deps = from_environment()
    fresh = invoice_response(deps, tenant_id, get_invoice(deps, tenant_id, result["id"]), base_url)
    return created(fresh, f"/v1/invoices/{result['id']}", **{"Idempotent-Replayed": "true"})
