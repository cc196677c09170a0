"""What every operation's contract shares: the error body, the statuses it documents, the fields of a
PATCH body. Apart from the documents' schemas, which most functions do not load."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from invoicing.domain.base import Model


class ErrorDetail(Model):
    field: str | None
    message: str
    type: str | None = None


class ErrorInfo(Model):
    code: str
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorBody(Model):
    error: ErrorInfo


def error_body(code: str, message: str, details: list[ErrorDetail] | None = None) -> dict[str, Any]:
    return ErrorBody(error=ErrorInfo(code=code, message=message, details=details or [])).model_dump(
        mode="json"
    )


def optional_fields(model: type[BaseModel], *, leaving_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields of a PATCH body: any of `model`'s, each optional, with its bounds; null clears a
    field that may be empty. The merged whole is then validated again, as `model`."""
    return {
        name: (
            Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation,
            Field(default=None, description=field.description),
        )
        for name, field in model.model_fields.items()
        if name not in leaving_out
    }


# A route that answers 200 says so; Powertools then documents its return type as the body.
OK: dict[int, OpenAPIResponse] = {200: {"description": "OK"}}

# The errors the contract's error body carries, as each operation can answer them (`openapi_build`).
ERRORS: dict[int, str] = {
    400: "The body is not valid JSON",
    401: "No API key, or one that is unknown or revoked",
    404: "Not found, or another tenant's",
    409: "The resource's state does not allow it",
    413: "Body over 1 MB",
    415: "The body is not sent as application/json",
    422: "Invalid input; details name each field at fault and what to send",
    429: "Over the API key's rate or the stage's; retry after Retry-After seconds",
    503: "A storage service failed or the resource is busy; retry after Retry-After seconds",
}
