"""The contract's error body, apart from the other schemas: every function answers errors, and most
of them load few of the documents' models."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from invoicing.domain.parts import Model


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
