"""Rendering documents and storing the files; only the functions that render import this module."""

from __future__ import annotations

from invoicing import rendering
from invoicing.adapters.dynamodb.documents import StoredDocument
from invoicing.domain.errors import StateConflict
from invoicing.domain.model import EXTERNAL_TYPES, Document, Language, Seller
from invoicing.einvoice.cii import cii_xml
from invoicing.einvoice.pdf import facturx_pdf
from invoicing.einvoice.ubl import ubl_xml
from invoicing.services.artifacts import (
    E_INVOICE_FORMATS,
    FORMATS,
    DownloadFormat,
    Format,
    document_key,
    filename,
    is_e_invoice,
    preview_key,
    retained_until,
    stored_format,
)
from invoicing.services.dependencies import Dependencies
from invoicing.services.invoices import document_link


def publish(deps: Dependencies, tenant_id: str, stored: StoredDocument, locale: Language) -> StoredDocument:
    """Render a finalized document in `locale` and write its PDF and HTML once.

    Safe to repeat after a failure at any step: a file already written is left as it is, and the
    document records the locale only once both files are in place.
    """
    document = stored.document
    html = rendering.render_html(document, locale)
    pdf = rendering.render_pdf(html)
    files: list[tuple[Format, bytes]] = [("pdf", pdf), ("html", html.encode())]
    if is_e_invoice(document):
        xml = cii_xml(document)
        files[0] = ("pdf", facturx_pdf(pdf, xml, document))
        if locale == document.language:
            files += [("cii", xml), ("ubl", ubl_xml(document))]
    retain = retained_until(document, deps.retention_years)
    for fmt, body in files:
        deps.store.put_once(
            document_key(tenant_id, document, locale, fmt), body, FORMATS[fmt][0], retain_until=retain
        )
    deps.documents.mark_rendered(tenant_id, document.id, locale)
    return StoredDocument(document, stored.version, stored.rendered_locales | {locale})


def preview_link(
    deps: Dependencies,
    tenant_id: str,
    draft: Document,
    *,
    seller: Seller | None,
    locale: Language,
    fmt: Format,
) -> str:
    """A watermarked rendering of a draft, with the seller's identity as the settings hold it now."""
    if fmt in E_INVOICE_FORMATS:
        raise StateConflict("a draft has no e-invoice yet: finalize it first", code="not_finalized")
    shown = draft.model_copy(update={"seller": seller})
    html = rendering.render_html(shown, locale, preview=True)
    body = rendering.render_pdf(html) if fmt == "pdf" else html.encode()
    key = preview_key(tenant_id, draft, locale, fmt)
    deps.store.put(key, body, FORMATS[fmt][0])
    return deps.store.link(key, filename=filename(draft, locale, fmt), disposition=FORMATS[fmt][1])


def download_link(
    deps: Dependencies,
    tenant_id: str,
    stored: StoredDocument,
    requested_locale: Language | None,
    requested: DownloadFormat,
) -> str:
    """A finalized document's file, rendered in the locale (its language by default) first if it never
    was; a draft's preview."""
    document = stored.document
    locale, fmt = requested_locale or document.language, stored_format(requested)
    if document.is_draft:
        seller = deps.tenants.settings(tenant_id).seller
        return preview_link(deps, tenant_id, document, seller=seller, locale=locale, fmt=fmt)
    if locale not in stored.rendered_locales and document.type not in EXTERNAL_TYPES:
        publish(deps, tenant_id, stored, locale)
    return document_link(deps, tenant_id, stored, locale, fmt)
