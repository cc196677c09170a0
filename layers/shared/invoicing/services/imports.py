"""Importing a document issued elsewhere: its original PDF stored, then the document recorded final
with its external_ref reserved, so that a reference is imported once per tenant whatever races."""

from __future__ import annotations

import base64
import binascii

from invoicing.domain.errors import InvalidDocument, StateConflict
from invoicing.domain.imports import check_original, record_external
from invoicing.domain.model import Document, DocumentContent
from invoicing.services.changes import DocumentCreated, ExternalRefReserved
from invoicing.services.documents import commit
from invoicing.services.files import original_key, retained_until
from invoicing.services.identifiers import new_document_id, utc_now
from invoicing.services.ports import AlreadyExists, Dependencies, Stored


def original_from(deps: Dependencies, *, content_base64: str | None, url: str | None) -> tuple[bytes, str]:
    """The original file's bytes, and the field they came from."""
    if url is not None:
        return deps.remote_files.fetch(url), "file_url"
    try:
        return base64.b64decode(content_base64 or "", validate=True), "file.content_base64"
    except (binascii.Error, ValueError):
        raise InvalidDocument("not valid base64", field="file.content_base64") from None


def import_external(
    deps: Dependencies, tenant_id: str, content: DocumentContent, *, original: bytes, field: str
) -> Stored[Document]:
    """The file goes to S3 first under the new document's id, so a recorded import always has it."""
    check_original(original, field)
    document = record_external(content, document_id=new_document_id(), now=utc_now())
    retain = retained_until(document, deps.retention_years)
    deps.files.put_once(original_key(tenant_id, document), original, "application/pdf", retain_until=retain)
    reference = str(document.number)  # an import's number is its external_ref
    uow = deps.unit_of_work(tenant_id)
    uow.record(DocumentCreated(document), ExternalRefReserved(reference, document.id))
    try:
        commit(uow)
    except AlreadyExists as taken:
        if not isinstance(taken.change, ExternalRefReserved):
            raise
        raise StateConflict(
            f"external_ref {reference!r} is already imported as {taken.holder}",
            code="external_ref_taken",
            field="external_ref",
        ) from None
    return Stored(document, version=1)
