"""The single-table adapter: every change the services record has its write, bodies written by
earlier versions still read, and a draft's one-write deletion deletes nothing it should not."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import get_args

import pytest

from invoicing.adapters.dynamodb.documents import document_item, stored_document
from invoicing.adapters.dynamodb.table import from_item
from invoicing.adapters.dynamodb.writes import Writes
from invoicing.bootstrap import AwsDependencies, from_environment
from invoicing.domain.documents import draft_document
from invoicing.domain.lifecycle import with_collection
from invoicing.domain.model import Document, Quote, QuoteContent
from invoicing.domain.parts import Payment
from invoicing.domain.payments import settled
from invoicing.services.changes import (
    Change,
    DocumentCreated,
    DocumentFinalized,
    DraftDeleted,
    SettlementChanged,
)
from invoicing.services.ports import ConditionFailed, PlatformConnection
from tests.support.documents import BUYER, NOW, finalized, line
from tests.support.lambdas import moto_resources, use_moto_environment


def test_every_change_the_services_record_has_its_write() -> None:
    registered = vars(Writes)["of"].dispatcher.registry
    assert [change for change in get_args(Change) if change not in registered] == []


def _quote_draft() -> Quote:
    content = QuoteContent.model_validate({"customer": BUYER, "lines": [line("Audit", "900", "20")]})
    quote = draft_document(content, document_id="quo_0000000000000000000000000A", now=NOW)
    assert isinstance(quote, Quote)
    return quote


def test_a_body_written_when_quotes_and_invoices_were_one_model_reads_as_its_aggregate() -> None:
    invoice = finalized()
    legacy_invoice = json.loads(invoice.model_dump_json()) | {"invoices": [], "decided_at": None}
    quote = _quote_draft()
    legacy_quote = json.loads(quote.model_dump_json()) | {"payments": [], "deposit_ids": [], "quote": None}
    for document, body in ((invoice, legacy_invoice), (quote, legacy_quote)):
        item = from_item(document_item("tenant", document, version=3))
        item["body"] = zlib.compress(json.dumps(body).encode())
        assert stored_document(item) == document


def commit(deps: AwsDependencies, *changes: Change) -> None:
    """The changes in one unit of work, committed."""
    uow = deps.unit_of_work("tenant")
    uow.record(*changes)
    uow.commit()


@pytest.fixture
def deps() -> Iterator[AwsDependencies]:
    use_moto_environment()
    with moto_resources():
        yield from_environment()


def test_a_quote_is_not_deleted_as_an_invoice_even_with_an_invoice_id(deps: AwsDependencies) -> None:
    quote = _quote_draft()
    commit(deps, DocumentCreated(quote))
    with pytest.raises(ConditionFailed) as refused:
        commit(deps, DraftDeleted(quote.id, "invoices"))
    assert refused.value.current is not None
    assert refused.value.current.document == quote
    assert deps.documents.get("tenant", quote.id) is not None


def test_deleting_a_draft_that_is_gone_says_nothing_is_there(deps: AwsDependencies) -> None:
    with pytest.raises(ConditionFailed) as refused:
        commit(deps, DraftDeleted("inv_0000000000000000000000000A", "invoices"))
    assert refused.value.current is None


def test_a_finalized_invoice_survives_the_deletion_of_a_draft(deps: AwsDependencies) -> None:
    invoice = finalized()
    commit(deps, DocumentCreated(invoice))
    with pytest.raises(ConditionFailed) as refused:
        commit(deps, DraftDeleted(invoice.id, "invoices"))
    assert refused.value.current is not None
    assert isinstance(refused.value.current.document, Document)
    assert refused.value.current.document.number == invoice.number


def test_a_collected_status_is_written_with_its_payment_and_read_back_in_the_lifecycle(
    deps: AwsDependencies,
) -> None:
    invoice = finalized(lines=[line("Conseil", "100", "20"), line("Formation", "50", "5.5")])
    commit(deps, DocumentFinalized(invoice, draft_version=None))
    paid = Payment(id="pay_1", amount=Decimal("100.00"), date=NOW.date(), method="card", recorded_at=NOW)
    after = with_collection(settled(invoice, [paid], []), paid)
    commit(deps, SettlementChanged(before=invoice, after=after))

    stored = deps.documents.get("tenant", invoice.id)
    assert stored is not None
    assert stored.document.payments == [paid]
    reform = stored.document.e_invoicing
    assert reform is not None
    assert [(entry.status, [str(a.amount) for a in entry.amounts]) for entry in reform.history] == [
        ("pending", []),
        ("collected", ["69.46", "30.54"]),
    ]
    # The same payment told again from the invoice as first read is refused: nothing is collected twice.
    with pytest.raises(ConditionFailed):
        commit(deps, SettlementChanged(before=invoice, after=after))


def test_a_replaced_platform_connection_leaves_its_successor_in_place(deps: AwsDependencies) -> None:
    first, second = (
        PlatformConnection(
            f"pc_{n}", "https://pa.example", "https://pa.example/token", "c", "sealed", "UBL", "t"
        )
        for n in (1, 2)
    )
    connections = deps.platform_connections
    connections.put("tenant", first)
    connections.put("tenant", second)
    connections.delete("tenant", first.connection_id)
    assert connections.get("tenant") == second
    assert connections.by_id(first.connection_id) is None
    assert connections.by_id(second.connection_id) == ("tenant", second)
    connections.polled("tenant", second.connection_id, "2026-12-01T10:00:00+00:00")
    assert [connection.polled_until for _, connection in connections.all()] == ["2026-12-01T10:00:00+00:00"]
    connections.delete("tenant", second.connection_id)
    assert (connections.get("tenant"), connections.all()) == (None, [])
