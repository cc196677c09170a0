"""The document as HTML: one autoescaped template, so user text can never become markup."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from invoicing.domain.model import AnyDocument
from invoicing.rendering.view import document_view


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("invoicing.rendering", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(document: AnyDocument, locale: str, *, preview: bool = False) -> str:
    """`preview` watermarks a draft; a finalized document renders without the mark."""
    return (
        _environment().get_template("document.html").render(document_view(document, locale, preview=preview))
    )
