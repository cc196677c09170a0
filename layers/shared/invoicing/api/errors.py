"""Every failure as the contract's error body: the status says what kind, the details say where."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from invoicing.api.body import BodyNotAnObject, PayloadTooLarge
from invoicing.api.common_schemas import ErrorDetail, error_body
from invoicing.domain.errors import (
    Busy,
    DocumentTooLarge,
    DomainError,
    InvalidDocument,
    NotFound,
    StateConflict,
    Unauthenticated,
)
from invoicing.services.ports import StorageOutcome

logger = Logger(child=True)

COMPUTED_FIELDS = {
    "totals",
    "total_excl_tax",
    "number",
    "status",
    "id",
    "due_date_computed",
    "links",
    "seller",
}
STATUS_OF: dict[type[DomainError], int] = {
    InvalidDocument: 422,
    StateConflict: 409,
    NotFound: 404,
    DocumentTooLarge: 413,
    Busy: 503,
    Unauthenticated: 401,
}


def error_response(
    status: int, code: str, message: str, details: Sequence[ErrorDetail] = ()
) -> Response[Any]:
    headers = {"Retry-After": "1"} if status == 503 else None
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=error_body(code, message, list(details)),
        headers=headers,
    )


def storage_failed() -> Response[Any]:
    """A 503: what an AWS service (or Powertools' store on one) failed to do can be retried."""
    logger.exception("AWS dependency failed")
    return error_response(503, "service_unavailable", "a storage service failed; retry the request")


def field_path(location: Sequence[str | int]) -> str | None:
    """('body', 'lines', 0, 'unit_price') -> 'lines[0].unit_price'."""
    parts = list(location)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _detail(error: dict[str, Any]) -> ErrorDetail:
    location = tuple(error.get("loc", ()))
    field = field_path(location)
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        name = str(location[-1]) if location else ""
        message = (
            f"{name} is computed by the API and cannot be sent"
            if name in COMPUTED_FIELDS
            else f"unknown field {name}"
        )
    elif kind == "missing" and location[:1] == ("body",) and len(location) == 1:
        message = "a JSON body is required"
    if location and location[0] == "query":
        field = f"query.{field}"
    elif location and location[0] == "header":
        field = f"header.{field}"
    return ErrorDetail(field=field, message=message, type=kind or None)


def install_error_handlers(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[Any]:
        errors = list(error.errors())
        if any(item.get("type") == "json_invalid" for item in errors):
            return error_response(
                400, "invalid_json", "the body is not valid JSON", [_detail(e) for e in errors]
            )
        return error_response(
            422, "invalid_request", "the request is not valid", [_detail(e) for e in errors]
        )

    @app.exception_handler(ValidationError)
    def invalid_document(error: ValidationError) -> Response[Any]:
        """A document made invalid by the changes applied to it (a PATCH): located as in the body."""
        details = [_detail({**item, "loc": ("body", *item["loc"])}) for item in error.errors()]
        return error_response(422, "invalid_request", "the request is not valid", details)

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_media_type(_: RequestUnsupportedContentType) -> Response[Any]:
        return error_response(415, "unsupported_media_type", "send the body as application/json")

    @app.exception_handler(PayloadTooLarge)
    def too_large(error: PayloadTooLarge) -> Response[Any]:
        return error_response(413, "payload_too_large", str(error))

    @app.exception_handler(BodyNotAnObject)
    def not_an_object(_: BodyNotAnObject) -> Response[Any]:
        detail = ErrorDetail(field=None, message="send a JSON object, such as {}", type="model_type")
        return error_response(422, "invalid_request", "the body must be a JSON object", [detail])

    @app.exception_handler(DomainError)
    def refused(error: DomainError) -> Response[Any]:
        status = next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 422)
        details = [
            ErrorDetail(field=field, message=message, type=code) for field, message, code in error.details()
        ]
        return error_response(status, error.code, error.message, details)

    @app.exception_handler([BotoCoreError, ClientError, StorageOutcome])
    def dependency_failed(error: Exception) -> Response[Any]:
        return storage_failed()

    @app.not_found
    def no_route(_: NotFoundError) -> Response[Any]:
        return error_response(404, "route_not_found", "no such route")

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response[Any]:
        logger.exception("unexpected error")
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")
