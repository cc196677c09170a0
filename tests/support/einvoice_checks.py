"""What the tests check of e-invoice files beyond the platform's own checks (devserver.validation)."""

from __future__ import annotations

from pypdf import PdfReader


def fonts_embedded(reader: PdfReader) -> bool:
    for page in reader.pages:
        for reference in (page["/Resources"].get("/Font") or {}).values():
            font = reference.get_object()
            fonts = [descendant.get_object() for descendant in font.get("/DescendantFonts", [])] or [font]
            for each in fonts:
                descriptor = each.get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    return False
    return True
