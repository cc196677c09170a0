"""Domain errors; the API layer maps each one to an HTTP status and the contract's error body."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the caller can act on."""

    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def details(self) -> list[tuple[str | None, str, str | None]]:
        """Each fault as (field, message, code): the error body's details."""
        return [(self.field, self.message, None)] if self.field else []


class InvalidDocument(DomainError):
    """The input is well-formed but breaks a business rule (HTTP 422)."""

    code = "invalid_document"


class StateConflict(DomainError):
    """The document or its series is not in a state that allows the operation (HTTP 409)."""

    code = "state_conflict"


class NotFound(DomainError):
    """Absent, or another tenant's: both look the same to the caller (HTTP 404)."""

    code = "not_found"


class Unauthenticated(DomainError):
    """The caller proved no identity we accept: no valid API key, or a shop's delivery not signed
    with its endpoint's secret (HTTP 401). Nothing was recorded."""

    code = "unauthorized"


class DocumentTooLarge(DomainError):
    """The document is too large to be stored whole (HTTP 413): shorten it or split it."""

    code = "document_too_large"


class Busy(DomainError):
    """Other requests hold what this one needs (a series being numbered, an invoice being paid) for
    longer than a request may wait (HTTP 503): retrying is safe."""

    code = "busy"


class BrokenInvariant(Exception):
    """What the code guarantees did not hold (a finalized document without its number): a defect,
    answered 500 and logged, never the caller's to fix. Raised where an `assert` would vanish under
    `python -O`."""
