"""Lifecycle status messages (CDAR, UN/CEFACT Cross Domain Acknowledgement and Response D22B) as the
French rules of the reform shape them (FNFE-MPE's CDV rules, XP Z12-012): the ones we send (212,
collected, with what was paid at each VAT rate) and the ones a buyer's platform sends back to us
(refused, approved, disputed...), read for the invoice they name and the status they give it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds XML; what is parsed goes through defusedxml  # nosec B405
from datetime import UTC, date, datetime
from typing import Final, NamedTuple

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from invoicing.domain.e_invoicing import STATUS_CODES, ReceivedStatus, StatusEntry
from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.model import Document
from invoicing.einvoice.cii import add_element, amount_text, decimal_text, qualified

CDAR: Final = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
NAMESPACES: Final = {
    "cdar": CDAR,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

GUIDELINE: Final = "urn.cpro.gouv.fr:1p0:CDV:invoice"
PROCESSING_PHASE: Final = "23"  # a status of the invoice's processing (305 is the transmission's)
SIREN_SCHEME: Final = "0002"
# The tax administration's data hub (the PPF), which receives every mandatory status such as 212.
TAX_HUB: Final = ("0238", "0000")


def _tag(name: str) -> str:
    return qualified(NAMESPACES, name)


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    return add_element(NAMESPACES, parent, name, text, attributes)


def _moment(parent: ET.Element, name: str, at: datetime) -> None:
    _add(_add(parent, name), "udt:DateTimeString", at.astimezone(UTC).strftime("%Y%m%d%H%M%S"), format="204")


def _party(
    parent: ET.Element, name: str, role: str, *, siren: str | None, address: tuple[str, str] | None
) -> None:
    party = _add(parent, name)
    if siren is not None:
        _add(party, "ram:GlobalID", siren, schemeID=SIREN_SCHEME)
    _add(party, "ram:RoleCode", role)
    if address is not None:
        _add(_add(party, "ram:URIUniversalCommunication"), "ram:URIID", address[1], schemeID=address[0])


class InvoiceReference(NamedTuple):
    """What a status message names of the invoice it is about, and of its two parties."""

    number: str
    issue_date: date
    type_code: str
    currency: str
    seller_siren: str
    seller_address: tuple[str, str]  # (scheme, value) of its electronic address
    buyer_siren: str | None
    buyer_address: tuple[str, str] | None


def reference_of(document: Document) -> InvoiceReference:
    seller, buyer = document.seller, document.customer
    if seller is None:
        raise BrokenInvariant("a finalized document names its seller")
    number, issue_date = document.issued()
    buyer_address = buyer.receiving_address
    return InvoiceReference(
        number=number,
        issue_date=issue_date,
        type_code=document.kind.type_code or "380",
        currency=document.currency,
        seller_siren=seller.siren,
        seller_address=(seller.receiving_address.scheme, seller.receiving_address.value),
        buyer_siren=buyer.french_siren,
        buyer_address=(buyer_address.scheme, buyer_address.value) if buyer_address else None,
    )


def status_message(
    invoice: InvoiceReference,
    entry: StatusEntry,
    *,
    message_id: str,
    now: datetime,
    by_buyer: bool = False,
    reason_code: str | None = None,
) -> bytes:
    """The status message of an invoice: the seller's (212 collected, with the amount collected at
    each VAT rate) or, `by_buyer`, the buyer's decision (210 refused with its reason code, 205, 207),
    to the other party and the tax administration's hub."""
    sender_role, sender_siren = ("BY", invoice.buyer_siren) if by_buyer else ("SE", invoice.seller_siren)
    recipient_role, recipient_siren, recipient_address = (
        ("SE", invoice.seller_siren, invoice.seller_address)
        if by_buyer
        else ("BY", invoice.buyer_siren, invoice.buyer_address)
    )
    root = ET.Element(_tag("cdar:CrossDomainAcknowledgementAndResponse"))
    context = _add(root, "cdar:ExchangedDocumentContext")
    _add(_add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", "REGULATED")
    _add(_add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)

    exchanged = _add(root, "cdar:ExchangedDocument")
    _add(exchanged, "ram:ID", message_id)
    _add(exchanged, "ram:Name", f"Statut {STATUS_CODES[entry.status]}")
    _moment(exchanged, "ram:IssueDateTime", now)
    # The sender is named by its role only: a platform names itself (scheme 0238) when it sends.
    _party(exchanged, "ram:SenderTradeParty", sender_role, siren=None, address=None)
    _party(exchanged, "ram:IssuerTradeParty", sender_role, siren=sender_siren, address=None)
    _party(
        exchanged, "ram:RecipientTradeParty", recipient_role, siren=recipient_siren, address=recipient_address
    )
    hub = _add(exchanged, "ram:RecipientTradeParty")
    _add(hub, "ram:GlobalID", TAX_HUB[1], schemeID=TAX_HUB[0])
    _add(hub, "ram:RoleCode", "DFH")

    acknowledgement = _add(root, "cdar:AcknowledgementDocument")
    _add(acknowledgement, "ram:TypeCode", PROCESSING_PHASE)
    _moment(acknowledgement, "ram:IssueDateTime", entry.at)
    referenced = _add(acknowledgement, "ram:ReferenceReferencedDocument")
    _add(referenced, "ram:IssuerAssignedID", invoice.number)
    _add(referenced, "ram:TypeCode", invoice.type_code)
    issued = _add(referenced, "ram:FormattedIssueDateTime")
    _add(issued, "qdt:DateTimeString", invoice.issue_date.strftime("%Y%m%d"), format="102")
    _add(referenced, "ram:ProcessConditionCode", STATUS_CODES[entry.status])
    _party(
        referenced, "ram:IssuerTradeParty", "SE", siren=invoice.seller_siren, address=invoice.seller_address
    )
    status = _add(referenced, "ram:SpecifiedDocumentStatus")
    _moment(status, "ram:ReferenceDateTime", entry.at)
    if reason_code:
        _add(status, "ram:ReasonCode", reason_code)
    if entry.reason:
        _add(status, "ram:Reason", entry.reason)
    _add(status, "ram:SequenceNumeric", "1")
    for collected in entry.amounts:
        characteristic = _add(status, "ram:SpecifiedDocumentCharacteristic")
        _add(characteristic, "ram:TypeCode", "MEN")  # the amount collected (montant encaissé)
        _add(characteristic, "ram:ValueAmount", amount_text(collected.amount, invoice.currency))
        _add(characteristic, "ram:ValuePercent", decimal_text(collected.vat_rate))
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def received_statuses(xml: bytes) -> list[ReceivedStatus]:
    """The invoices a status message names, with the status it gives each; ValueError if it is not a
    status message."""
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as error:
        raise ValueError(f"not XML: {error}") from None
    if root.tag != _tag("cdar:CrossDomainAcknowledgementAndResponse"):
        raise ValueError("not a CDAR status message")
    found = []
    for referenced in root.iterfind(
        "cdar:AcknowledgementDocument/ram:ReferenceReferencedDocument", NAMESPACES
    ):
        number = referenced.findtext("ram:IssuerAssignedID", namespaces=NAMESPACES)
        code = referenced.findtext("ram:ProcessConditionCode", namespaces=NAMESPACES)
        if not number or not code:
            continue
        issued = referenced.findtext("ram:FormattedIssueDateTime/qdt:DateTimeString", namespaces=NAMESPACES)
        reasons = [
            " ".join(text.split())
            for text in (
                element.text
                for element in referenced.iterfind("ram:SpecifiedDocumentStatus/ram:Reason", NAMESPACES)
            )
            if text and text.strip()
        ]
        found.append(
            ReceivedStatus(
                number=number.strip(),
                issue_date=_date(issued),
                code=code.strip(),
                reason="; ".join(reasons)[:500] or None,
            )
        )
    return found


def _date(text: str | None) -> date | None:
    digits = (text or "").strip()
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if len(digits) == 8 else None
    except ValueError:
        return None


class CdarMessages:
    """Status messages as the use cases ask for them (the StatusMessages port)."""

    def of(self, document: Document, entry: StatusEntry, *, message_id: str, now: datetime) -> bytes:
        return status_message(reference_of(document), entry, message_id=message_id, now=now)

    def read(self, xml: bytes) -> list[ReceivedStatus]:
        return received_statuses(xml)
