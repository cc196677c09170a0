"""What the French rules of the e-invoicing flow (FNFE-MPE BR-FR, release 1.4) add to EN 16931, the
same for CII and UBL: the billing framework (BT-23), the coded notes (the flow as BAR, and the
payment mentions PMD, PMT and AAB) and each party's electronic address and SIREN."""

from __future__ import annotations

from typing import NamedTuple

from invoicing.domain.e_invoicing import BAR_TREATMENTS, billing_framework
from invoicing.domain.mentions import payment_mentions
from invoicing.domain.model import Document


class Note(NamedTuple):
    subject: str  # its UNTDID 4451 subject code
    text: str


GENERAL_INFORMATION = "AAI"


def business_process(document: Document) -> str | None:
    """BT-23, from the nature of the operation and whether it is a final invoice after deposits."""
    return billing_framework(document.operation_nature, deducts_deposits=bool(document.deposits))


def notes(document: Document) -> list[Note]:
    """The coded notes first (one each: BR-FR-05, BR-FR-06), then what the document itself says."""
    if document.seller is None:
        raise ValueError("only a finalized document is an e-invoice")
    coded = []
    if document.e_invoicing is not None:
        coded.append(Note("BAR", BAR_TREATMENTS[document.e_invoicing.processing_rule]))
    mentions = payment_mentions(document.language, document.customer, document.seller)
    coded += [Note(code, text) for code, text in mentions.items()]
    return coded + [Note(GENERAL_INFORMATION, text) for text in (document.notes, document.reason) if text]
