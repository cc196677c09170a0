"""The item write each change of a unit of work becomes, with the condition that makes it refuse
what its use case did not read: a version, the amounts settled, an item that must not exist yet.

A document's version moves with every change to a draft and to a quote's decision and invoices
(finalizing, converting a proforma, invoicing a quote included), so "still at the version read"
says that nothing of those changed. What changes beside a finalized document without moving its
version (payments, credit notes, a deposit's deduction, the locales rendered) is conditioned on
what was read of it instead.

A write is given as a TransactWriteItems element (`{"Put": {...}}`, `{"Update": {...}}`,
`{"Delete": {...}}`), whose parameters are also those of the single-item call.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from invoicing.adapters.dynamodb.documents import document_item, listing_pk
from invoicing.adapters.dynamodb.table import (
    counter_sk,
    document_sk,
    external_ref_sk,
    key,
    number_sk,
    order_sk,
    tenant_pk,
    to_item,
)
from invoicing.domain.e_invoicing import StatusEntry
from invoicing.domain.model import AnyDocument, Document
from invoicing.domain.parts import CreditNoteRef, Payment
from invoicing.services.changes import (
    Change,
    DepositDeducted,
    DocumentCreated,
    DocumentFinalized,
    DocumentRendered,
    DraftDeleted,
    DraftReplaced,
    ExternalRefReserved,
    LifecycleRecorded,
    NumberReserved,
    OrderReserved,
    ProformaConverted,
    QuoteDecided,
    QuoteInvoiced,
    QuoteInvoiceWithdrawn,
    SeriesAdvanced,
    SettlementChanged,
)

Write = dict[str, dict[str, Any]]
NOT_THERE = "attribute_not_exists(pk)"


# The changes that create an item which must not exist yet: refused, the store says AlreadyExists.
RESERVATIONS = (DocumentCreated, NumberReserved, OrderReserved, ExternalRefReserved)


def is_reservation(change: Change) -> bool:
    if isinstance(change, DocumentFinalized):
        return change.draft_version is None
    return isinstance(change, RESERVATIONS)


class Writes:
    """The writes of one tenant's changes to the single table."""

    def __init__(self, table: str, tenant_id: str) -> None:
        self._table = table
        self._tenant_id = tenant_id
        self._pk = tenant_pk(tenant_id)

    @singledispatchmethod
    def of(self, change: Change) -> Write:
        raise TypeError(f"no write for {type(change).__name__}")

    @of.register
    def _created(self, change: DocumentCreated) -> Write:
        return self._put(document_item(self._tenant_id, change.document, version=1), NOT_THERE)

    @of.register
    def _finalized(self, change: DocumentFinalized) -> Write:
        if change.draft_version is None:
            item = document_item(self._tenant_id, change.document, version=1)
            if isinstance(change.document, Document) and change.settled is not None:
                item |= _settled_item(change.document, change.settled)
            return self._put(item, NOT_THERE)
        return self._replaced(change.document, change.draft_version)

    @of.register
    def _revised(self, change: DraftReplaced) -> Write:
        return self._replaced(change.document, change.version)

    @of.register
    def _deleted(self, change: DraftDeleted) -> Write:
        delete: dict[str, Any] = {"TableName": self._table, "Key": self._document(change.document_id)}
        if change.version is not None:
            delete |= {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": to_item({":version": change.version}),
            }
        else:  # a draft linked to nothing; refused, the store says what the item is
            delete |= {
                "ConditionExpression": "gsi1pk = :listing AND #status = :draft "
                "AND attribute_not_exists(converted_to) AND attribute_not_exists(quote_id)",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": to_item(
                    {":listing": listing_pk(self._tenant_id, change.resource), ":draft": "draft"}
                ),
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        return {"Delete": delete}

    @of.register
    def _number(self, change: NumberReserved) -> Write:
        return self._reservation(number_sk(change.number), change.document_id)

    @of.register
    def _order(self, change: OrderReserved) -> Write:
        return self._reservation(order_sk(change.order_key), change.document_id)

    @of.register
    def _external_ref(self, change: ExternalRefReserved) -> Write:
        return self._reservation(external_ref_sk(change.external_ref), change.document_id)

    @of.register
    def _series(self, change: SeriesAdvanced) -> Write:
        """The counter moved on and its lease given back, provided the lease is still the writer's and
        the counter is where it was read."""
        previous, following = change.previous, change.following
        first = previous.seq == 0
        expected = {} if first else {":expected": previous.seq, ":expected_period": previous.period}
        return self._update(
            key(self._pk, counter_sk(change.series)),
            "SET seq = :seq, #period = :period, last_issue_date = :issued, last_number = :number "
            "REMOVE lease_owner, lease_expires_at",
            "lease_owner = :owner AND "
            + ("attribute_not_exists(seq)" if first else "seq = :expected AND #period = :expected_period"),
            names={"#period": "period"},
            values={
                ":seq": following.seq,
                ":period": following.period,
                ":issued": following.last_issue_date.isoformat() if following.last_issue_date else None,
                ":number": change.number,
                ":owner": change.lease_owner,
            }
            | expected,
        )

    @of.register
    def _rendered(self, change: DocumentRendered) -> Write:
        return self._update(
            self._document(change.document_id),
            "ADD rendered :locale",
            "attribute_exists(pk)",
            raw_values={":locale": {"SS": [change.locale]}},
        )

    @of.register
    def _settlement(self, change: SettlementChanged) -> Write:
        """The payment and credit note entries `after` adds to or removes from `before`, with the
        amounts and status they leave, provided the amounts settled (and a deposit's deduction) are
        still those that were read: no payment is ever lost to a concurrent one."""
        before, after = change.before, change.after
        deducted, values = _as_read(before, "deducted_by")
        sets = ["amount_paid = :paid", "credited = :credited", "amount_due = :due", "#status = :status"]
        removes: list[str] = []
        conditions = ["amount_paid = :paid_before", "credited = :credited_before", deducted]
        names = {"#status": "status"}
        for n, (collection, entry_id, entry) in enumerate(
            _entries_changed(before, after) + _statuses_added(before, after)
        ):
            names[f"#e{n}"] = entry_id
            if entry is not None:
                sets.append(f"{collection}.#e{n} = :e{n}")
                values[f":e{n}"] = entry.model_dump_json()
                conditions.append(f"attribute_not_exists({collection}.#e{n})")
            else:
                removes.append(f"{collection}.#e{n}")
                conditions.append(f"attribute_exists({collection}.#e{n})")
        return self._update(
            self._document(after.id),
            "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
            " AND ".join(conditions),
            names=names,
            values=values
            | {
                ":paid": after.totals.amount_paid,
                ":credited": after.totals.amount_credited,
                ":due": after.totals.amount_due,
                ":status": after.status,
                ":paid_before": before.totals.amount_paid,
                ":credited_before": before.totals.amount_credited,
            },
        )

    @of.register
    def _lifecycle(self, change: LifecycleRecorded) -> Write:
        """Each status added once (one already there refuses the write, and the writer reads again);
        the flow set once."""
        sets, names, values = [], {}, {}
        conditions = ["attribute_exists(e_history)"]
        for n, entry in enumerate(change.entries):
            names[f"#h{n}"] = entry.id
            values[f":h{n}"] = entry.model_dump_json()
            sets.append(f"e_history.#h{n} = :h{n}")
            conditions.append(f"attribute_not_exists(e_history.#h{n})")
        if change.flow_id is not None:
            sets.append("e_flow = :flow")
            values[":flow"] = change.flow_id
            conditions.append("(attribute_not_exists(e_flow) OR e_flow = :flow)")
        return self._update(
            self._document(change.document_id),
            "SET " + ", ".join(sets),
            " AND ".join(conditions),
            names=names or None,
            values=values,
        )

    @of.register
    def _deducted(self, change: DepositDeducted) -> Write:
        deducted, values = _as_read(change.deposit, "deducted_by")
        return self._update(
            self._document(change.deposit.id),
            "SET deducted_by = :final",
            f"{deducted} AND credited = :credited",
            values=values | {":final": change.final_id, ":credited": change.deposit.totals.amount_credited},
        )

    @of.register
    def _converted(self, change: ProformaConverted) -> Write:
        return self._update(
            self._document(change.proforma_id),
            "SET converted_to = :invoice, version = :next",
            "version = :version",
            values={":invoice": change.invoice_id, ":version": change.version, ":next": change.version + 1},
        )

    @of.register
    def _decided(self, change: QuoteDecided) -> Write:
        return self._update(
            self._document(change.quote_id),
            "SET #status = :decision, decided_at = :at, version = :next",
            "version = :version",
            names={"#status": "status"},
            values={
                ":decision": change.decision,
                ":at": change.at.isoformat(),
                ":version": change.version,
                ":next": change.version + 1,
            },
        )

    @of.register
    def _invoiced(self, change: QuoteInvoiced) -> Write:
        return self._update(
            self._document(change.quote_id),
            "SET invoices.#link = :link, #status = :status, version = :next",
            "version = :version",
            names={"#link": change.link.id, "#status": "status"},
            values={
                ":link": change.link.model_dump_json(exclude_none=True),
                ":status": change.status,
                ":version": change.version,
                ":next": change.version + 1,
            },
        )

    @of.register
    def _withdrawn(self, change: QuoteInvoiceWithdrawn) -> Write:
        status = change.status
        return self._update(
            self._document(change.quote_id),
            "REMOVE invoices.#link" + (" SET #status = :status" if status else "") + " ADD version :one",
            "attribute_exists(pk)",
            names={"#link": change.document_id} | ({"#status": "status"} if status else {}),
            values={":one": 1} | ({":status": status} if status else {}),
        )

    def _document(self, document_id: str) -> dict[str, Any]:
        return key(self._pk, document_sk(document_id))

    def _replaced(self, document: AnyDocument, version: int) -> Write:
        """The document's item written anew at the next version, provided it is still at `version`."""
        return self._put(
            document_item(self._tenant_id, document, version=version + 1),
            "version = :version",
            to_item({":version": version}),
        )

    def _reservation(self, sk: str, document_id: str) -> Write:
        """An item leading to the document, which no other may ever take; refused, it names its holder."""
        put = self._put(key(self._pk, sk) | to_item({"document_id": document_id}), NOT_THERE)
        put["Put"]["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return put

    def _put(self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None) -> Write:
        put: dict[str, Any] = {"TableName": self._table, "Item": item, "ConditionExpression": condition}
        if values:
            put["ExpressionAttributeValues"] = values
        return {"Put": put}

    def _update(
        self,
        item_key: dict[str, Any],
        expression: str,
        condition: str,
        *,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        raw_values: dict[str, Any] | None = None,
    ) -> Write:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": item_key,
            "UpdateExpression": expression,
            "ConditionExpression": condition,
        }
        if names:
            update["ExpressionAttributeNames"] = names
        if values or raw_values:
            update["ExpressionAttributeValues"] = to_item(values or {}) | (raw_values or {})
        return {"Update": update}


def _as_read(document: Document, attribute: str) -> tuple[str, dict[str, Any]]:
    """A condition that `attribute` (a link such as deducted_by) is still what was read."""
    value = getattr(document, attribute)
    if value is None:
        return f"attribute_not_exists({attribute})", {}
    return f"{attribute} = :was_{attribute}", {f":was_{attribute}": value}


Entry = Payment | CreditNoteRef | StatusEntry


def _settled_item(frozen: Document, settled: Document) -> dict[str, Any]:
    """The attributes of a document born settled: what its payments and credit notes leave, each
    entry (and each lifecycle status they give) where a later settlement would have written it."""
    maps: dict[str, dict[str, str]] = {"payments": {}, "credit_notes": {}}
    for collection, entry_id, entry in _entries_changed(frozen, settled) + _statuses_added(frozen, settled):
        if entry is not None:
            maps.setdefault(collection, {})[entry_id] = entry.model_dump_json()
    return to_item(
        maps
        | {
            "amount_paid": settled.totals.amount_paid,
            "credited": settled.totals.amount_credited,
            "amount_due": settled.totals.amount_due,
            "status": settled.status,
        }
    )


def _statuses_added(before: Document, after: Document) -> list[tuple[str, str, Entry | None]]:
    """The lifecycle statuses a settlement adds (a payment collected on an e-invoice of services)."""
    if after.e_invoicing is None:
        return []
    known = {entry.id for entry in before.e_invoicing.history} if before.e_invoicing else set()
    return [("e_history", entry.id, entry) for entry in after.e_invoicing.history if entry.id not in known]


def _entries_changed(before: Document, after: Document) -> list[tuple[str, str, Entry | None]]:
    """(collection, id, entry or None when removed) of each payment and credit note that changed."""
    changed: list[tuple[str, str, Entry | None]] = []
    for collection, old, new in (
        ("payments", before.payments, after.payments),
        ("credit_notes", before.credit_notes, after.credit_notes),
    ):
        kept = {entry.id for entry in old}
        now: dict[str, Payment | CreditNoteRef] = {entry.id: entry for entry in new}
        changed += [(collection, entry_id, now[entry_id]) for entry_id in sorted(now.keys() - kept)]
        changed += [(collection, entry_id, None) for entry_id in sorted(kept - now.keys())]
    return changed
