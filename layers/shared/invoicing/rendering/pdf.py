"""The document as PDF through xhtml2pdf, which may load nothing but this package's own fonts.

xhtml2pdf fetches whatever an `<img src>`, `@import` or `url()` names, local file or URL. The
template escapes user text, and the link callback below is the second wall: it resolves only the
`asset:` names of files shipped in `assets/` and refuses everything else.
"""

from __future__ import annotations

import io
import logging
from importlib.resources import files
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.tables import CellStyle
from xhtml2pdf import pisa

_ASSETS = Path(str(files("invoicing.rendering") / "assets"))
_ALLOWED = {path.name: str(path) for path in _ASSETS.iterdir() if path.suffix == ".ttf"}

# reportlab opens every page, and styles every table cell, in Helvetica, a font it never embeds;
# starting both in the embedded DejaVu leaves no unembedded font in the file (PDF/A-3 requires it).
pdfmetrics.registerFont(TTFont("DejaVuSans", _ALLOWED["DejaVuSans.ttf"]))
rl_config.canvas_basefontname = "DejaVuSans"
CellStyle.fontname = "DejaVuSans"

logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)


class RenderingError(Exception):
    pass


class RefusedResource(RenderingError):
    pass


def resolve_asset(uri: str, _relative_to: str | None = None) -> str:
    """xhtml2pdf's link callback: the path of a shipped asset, or a refusal."""
    name = uri.removeprefix("asset:") if uri.startswith("asset:") else None
    if name is None or name not in _ALLOWED:
        raise RefusedResource(f"the renderer loads no external resource: {uri[:100]!r}")
    return _ALLOWED[name]


def render_pdf(html: str) -> bytes:
    output = io.BytesIO()
    status = pisa.CreatePDF(html, dest=output, encoding="utf-8", link_callback=resolve_asset)
    if status.err:
        raise RenderingError(f"PDF rendering failed with {status.err} error(s)")
    return output.getvalue()
