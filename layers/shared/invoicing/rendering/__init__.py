"""Documents rendered to HTML and PDF from one template. Imported only by functions that render."""

from invoicing.rendering.html import render_html
from invoicing.rendering.pdf import render_pdf

__all__ = ["render_html", "render_pdf"]
