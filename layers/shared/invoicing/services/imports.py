"""Importing a document issued elsewhere: its original PDF stored, then the document recorded final."""

from __future__ import annotations

import base64
import binascii

from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.errors import InvalidDocument
from invoicing.domain.imports import check_original, record_external
from invoicing.domain.model import DocumentContent
from invoicing.services.artifacts import original_key, retained_until
from invoicing.services.dependencies import Dependencies
from invoicing.services.identifiers import new_document_id, utc_now


def original_from(deps: Dependencies, *, content_base64: str | None, url: str | None) -> tuple[bytes, str]:
    """The original file's bytes, and the field they came from."""
    if url is not None:
        return deps.remote_files.fetch(url), "file_url"
    assert content_base64 is not None
    try:
        return base64.b64decode(content_base64, validate=True), "file.content_base64"
    except (binascii.Error, ValueError):
        raise InvalidDocument("not valid base64", field="file.content_base64") from None


def import_external(
    deps: Dependencies, tenant_id: str, content: DocumentContent, *, original: bytes, field: str
) -> StoredDocument:
    """The file goes to S3 first under the new document's id, so a recorded import always has it."""
    check_original(original, field)
    document = record_external(content, document_id=new_document_id(), now=utc_now())
    retain = retained_until(document, deps.retention_years)
    deps.store.put_once(original_key(tenant_id, document), original, "application/pdf", retain_until=retain)
    return deps.imports.put_external(tenant_id, document)
