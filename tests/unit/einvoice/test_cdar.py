"""Status messages pass the CDAR D22B schema and the French rules (CDV), and read back as sent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from devserver.validation import cdar_failures
from invoicing.domain.e_invoicing import CollectedAmount, StatusEntry
from invoicing.einvoice.cdar import received_statuses, reference_of, status_message
from tests.support.documents import ISSUED, NOW, finalized, line

DOCUMENT = finalized(lines=[line("Conseil", "100", "20"), line("Formation", "50", "5.5")])
INVOICE = reference_of(DOCUMENT)
COLLECTED = StatusEntry(
    id="collected:pay_1",
    status="collected",
    at=NOW + timedelta(days=3),
    amounts=[
        CollectedAmount(vat_rate=Decimal("20"), amount=Decimal("69.46")),
        CollectedAmount(vat_rate=Decimal("5.5"), amount=Decimal("30.54")),
    ],
)


def test_the_collected_status_passes_the_schema_and_the_french_rules_with_its_amounts_per_rate():
    xml = status_message(INVOICE, COLLECTED, message_id="st-1", now=NOW)
    assert cdar_failures(xml) == []
    assert b"<ram:ProcessConditionCode>212</ram:ProcessConditionCode>" in xml
    assert xml.count(b"<ram:TypeCode>MEN</ram:TypeCode>") == 2
    assert b"<ram:ValueAmount>69.46</ram:ValueAmount><ram:ValuePercent>20</ram:ValuePercent>" in xml
    assert received_statuses(xml) == [("F2026-00001", ISSUED, "212", None)]


def test_a_collected_status_without_its_amounts_breaks_the_french_rules():
    xml = status_message(INVOICE, COLLECTED.model_copy(update={"amounts": []}), message_id="st-1", now=NOW)
    assert [failure.split(":")[0] for failure in cdar_failures(xml)] == ["BR-FR-CDV-14_MDT-207"]


def test_a_buyers_refusal_with_its_reason_passes_and_reads_back_with_it():
    refusal = StatusEntry(id="r", status="refused", at=NOW, reason="Prix non conforme au devis")
    xml = status_message(
        INVOICE, refusal, message_id="st-2", now=NOW, by_buyer=True, reason_code="NON_CONFORME"
    )
    assert cdar_failures(xml) == []
    assert received_statuses(xml) == [("F2026-00001", ISSUED, "210", "Prix non conforme au devis")]


def test_what_is_not_a_status_message_is_refused_and_entities_are_never_expanded():
    for body in (b"<Invoice/>", b"not xml", b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'):
        try:
            received_statuses(body)
        except ValueError:
            continue
        raise AssertionError(f"{body!r} was read as a status message")
