"""Documents rendered to HTML and PDF from one template, and the services' Renderer port over it and
the e-invoice syntaxes. It imports the domain and `einvoice`; only functions that render load it."""

from invoicing.rendering.html import render_html
from invoicing.rendering.pdf import render_pdf

__all__ = ["render_html", "render_pdf"]
