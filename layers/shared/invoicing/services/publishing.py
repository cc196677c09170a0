"""A document's files: rendered and written once when it is finalized (or first asked for in another
language), and handed out through short-lived links; a draft's watermarked preview, on each request."""

from __future__ import annotations

from invoicing.domain.errors import StateConflict
from invoicing.domain.model import AnyDocument, D, Document
from invoicing.domain.parts import Language, Seller
from invoicing.services.changes import DocumentRendered
from invoicing.services.documents import commit
from invoicing.services.files import (
    E_INVOICE_FORMATS,
    FORMATS,
    DownloadFormat,
    Format,
    document_key,
    filename,
    is_e_invoice,
    original_key,
    preview_key,
    retained_until,
    stored_format,
)
from invoicing.services.ports import Dependencies, Stored


def publish(
    deps: Dependencies, tenant_id: str, stored: Stored[D], locale: Language | None = None
) -> Stored[D]:
    """Render a finalized document in `locale` (its language by default) and write its files once.

    Safe to repeat after a failure at any step: a file already written is left as it is, and the
    document records the locale only once every file is in place.
    """
    document = stored.document
    locale = locale or document.language
    html = deps.renderer.html(document, locale)
    pdf = deps.renderer.pdf(html)
    files: list[tuple[Format, bytes]] = [("pdf", pdf), ("html", html.encode())]
    if isinstance(document, Document) and is_e_invoice(document):
        xml = deps.renderer.cii(document)
        files[0] = ("pdf", deps.renderer.facturx(pdf, xml, document))
        if locale == document.language:
            files += [("cii", xml), ("ubl", deps.renderer.ubl(document))]
    retain = retained_until(document, deps.retention_years)
    for fmt, body in files:
        deps.files.put_once(
            document_key(tenant_id, document, locale, fmt), body, FORMATS[fmt][0], retain_until=retain
        )
    uow = deps.unit_of_work(tenant_id)
    uow.record(DocumentRendered(document.id, locale))
    commit(uow)
    return Stored(document, stored.version, stored.rendered_locales | {locale})


def is_published(stored: Stored[AnyDocument]) -> bool:
    """Its files are all written (an import's original was, before it was recorded)."""
    return stored.document.kind.original_file or stored.document.language in stored.rendered_locales


def document_link(
    deps: Dependencies, tenant_id: str, stored: Stored[AnyDocument], locale: Language, fmt: Format
) -> str:
    """A finalized document's file; an imported one has only its original PDF."""
    document = stored.document
    if document.kind.original_file:
        if fmt != "pdf":
            raise StateConflict("an imported document has only its original PDF", code="original_only")
        return deps.files.link(
            original_key(tenant_id, document),
            filename=filename(document, document.language, "pdf"),
            disposition="attachment",
        )
    if fmt in E_INVOICE_FORMATS and not is_e_invoice(document):
        raise StateConflict(
            f"a {document.type} is not an e-invoice: it has no {fmt.upper()} XML", code="not_e_invoice"
        )
    return deps.files.link(
        document_key(tenant_id, document, locale, fmt),
        filename=filename(document, locale, fmt),
        disposition=FORMATS[fmt][1],
    )


def preview_link(
    deps: Dependencies,
    tenant_id: str,
    draft: AnyDocument,
    *,
    seller: Seller | None,
    locale: Language,
    fmt: Format,
) -> str:
    """A watermarked rendering of a draft, with the seller's identity as the settings hold it now."""
    if fmt in E_INVOICE_FORMATS:
        raise StateConflict("a draft has no e-invoice yet: finalize it first", code="not_finalized")
    shown = draft.model_copy(update={"seller": seller})
    html = deps.renderer.html(shown, locale, preview=True)
    body = deps.renderer.pdf(html) if fmt == "pdf" else html.encode()
    key = preview_key(tenant_id, draft, locale, fmt)
    deps.files.put(key, body, FORMATS[fmt][0])
    return deps.files.link(key, filename=filename(draft, locale, fmt), disposition=FORMATS[fmt][1])


def download_link(
    deps: Dependencies,
    tenant_id: str,
    stored: Stored[D],
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
    if locale not in stored.rendered_locales and not document.kind.original_file:
        publish(deps, tenant_id, stored, locale)
    return document_link(deps, tenant_id, stored, locale, fmt)
