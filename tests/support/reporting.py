"""Consumer documents drawn at random for the e-reporting's property tests, and what their periods
must hold: each document's own totals, summed by day, currency, category and rate."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from invoicing.domain.e_reporting import PeriodContent, TransactionRow
from invoicing.domain.model import Document
from invoicing.domain.reporting_calendar import periods_overlapping
from invoicing.services.reporting_ports import ReportStore
from tests.support.documents import finalized, line

FIRST_DAY = date(2026, 12, 1)
DAYS = 25
CONSUMER = {
    "name": "Camille Petit",
    "address": {"line1": "3 rue Vieille", "postal_code": "13001", "city": "Marseille"},
}

_lines = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=50_000).map(lambda cents: Decimal(cents) / 100),
        st.integers(min_value=1, max_value=4),
        st.sampled_from(["20", "10", "5.5", "2.1"]),
    ),
    min_size=1,
    max_size=4,
)
_documents = st.tuples(
    st.integers(min_value=0, max_value=DAYS - 1),
    st.sampled_from(["EUR", "USD"]),
    st.sampled_from(["goods", "services"]),
    st.booleans(),  # a credit note
    _lines,
)


@st.composite
def consumer_documents(draw: Any, max_size: int = 25) -> list[Document]:
    """Consumer invoices and credit notes, goods or services, in euros or dollars, over 25 days."""
    drawn = draw(st.lists(_documents, min_size=1, max_size=max_size))
    documents = []
    for n, (day, currency, nature, credit, lines) in enumerate(drawn):
        fields: dict[str, Any] = {
            "customer": CONSUMER,
            "currency": currency,
            "operation_nature": nature,
            "type": "credit_note" if credit else "invoice",
            "lines": [
                line(f"Article {k}", str(price), rate, quantity=qty)
                for k, (price, qty, rate) in enumerate(lines)
            ],
        }
        if currency != "EUR":
            fields["exchange_rate"] = "0.92"
        documents.append(finalized(f"F2026-{n:05d}", issued=FIRST_DAY + timedelta(days=day), **fields))
    return documents


def expected_rows(documents: list[Document]) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    """Each (day, currency, category, rate): the bases and VAT of its documents, credit notes
    subtracted, and how many documents."""
    sums: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for document in documents:
        sign = -1 if document.type == "credit_note" else 1
        category = "TLB1" if document.operation_nature == "goods" else "TPS1"
        for group in document.totals.vat:
            row = sums[(document.issue_date, document.currency, category, group.rate)]
            row[0] += sign * group.base
            row[1] += sign * group.amount
            row[2] += 1
    return {name: (base, vat, count) for name, (base, vat, count) in sums.items()}


def stored_rows(store: ReportStore, tenant_id: str) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    """What the store's transaction periods over those days hold, row by row."""
    rows: list[TransactionRow] = []
    for period in periods_overlapping("normal_monthly", FIRST_DAY, FIRST_DAY + timedelta(days=DAYS)):
        if period.kind == "transactions":
            content: PeriodContent = store.content(tenant_id, period)
            rows += content.transactions
    return {
        (row.day, row.currency, row.category, row.vat_rate): (row.base, row.vat, row.documents)
        for row in rows
    }
