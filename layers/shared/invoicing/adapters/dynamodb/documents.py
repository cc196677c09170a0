"""Documents in DynamoDB: the frozen body stored compressed beside the attributes lists and
conditions read (status, amounts, version), and what changes after finalization (payments, credit
notes, a quote's decision and invoices, an e-invoice's flow and lifecycle statuses) in attributes
of its own.

Reading a document gives it as stored: the body, validated once with what was recorded beside it;
what those payments and credit notes leave due is the domain's to say (`payments.settled`).
"""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Any

from invoicing.adapters.dynamodb.table import document_sk, from_item, key, tenant_pk, to_item
from invoicing.domain.e_invoicing import EInvoicing, StatusEntry
from invoicing.domain.fec import ledger_document
from invoicing.domain.kinds import KINDS, Resource
from invoicing.domain.lifecycle import with_entries
from invoicing.domain.model import AnyDocument, Document, Quote
from invoicing.services.ports import Stored, TooLarge

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# DynamoDB items stop at 400 KB; the compressed document keeps well under with room for attributes.
MAX_STORED_DOCUMENT_BYTES = 350_000
# Each resource is listed in its own partition of the ByCreation index.
LISTING_COLLECTIONS: dict[Resource, str] = {"invoices": "DOCS", "quotes": "QUOTES"}


class DocumentTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def get(self, tenant_id: str, document_id: str) -> Stored[AnyDocument] | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), document_sk(document_id)),
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        return stored(from_item(item))


def stored(values: dict[str, Any]) -> Stored[AnyDocument]:
    """A document's item, deserialized, as the Documents port gives it."""
    return Stored(stored_document(values), int(values["version"]), frozenset(values.get("rendered", ())))


def stored_document(values: dict[str, Any]) -> AnyDocument:
    """The document an item holds: its body with what was recorded beside it since it was frozen.
    A body written before a field moved to the other aggregate (documents of the books and quotes
    were one model) keeps it: only the fields of its own aggregate are read."""
    body = json.loads(zlib.decompress(bytes(values["body"])))
    aggregate: type[AnyDocument] = Quote if KINDS[values["type"]].resource == "quotes" else Document
    fields = {name: value for name, value in body.items() if name in aggregate.model_fields}
    fields["status"] = values["status"]
    if aggregate is Quote:
        return Quote.model_validate(
            fields
            | {
                "decided_at": values.get("decided_at") or None,
                "invoices": sorted(
                    (json.loads(link) for link in values.get("invoices", {}).values()),
                    key=lambda link: (link["created_at"], link["id"]),
                ),
            }
        )
    if fields.get("e_invoicing") and "e_history" in values:
        fields["e_invoicing"] = _lifecycle(fields["e_invoicing"], values)
    return Document.model_validate(
        fields
        | {name: values[name] for name in ("converted_to", "deducted_by") if values.get(name)}
        | {
            "payments": sorted(
                (json.loads(payment) for payment in values.get("payments", {}).values()),
                key=lambda payment: (payment["recorded_at"], payment["id"]),
            ),
            "credit_notes": sorted(
                (json.loads(note) for note in values.get("credit_notes", {}).values()),
                key=lambda note: note["number"],
            ),
        }
    )


def _lifecycle(frozen: dict[str, Any], values: dict[str, Any]) -> EInvoicing:
    """The e-invoicing frozen in the body with the statuses heard or said since, and its flow."""
    reform = EInvoicing.model_validate(
        frozen | ({"flow_id": values["e_flow"]} if values.get("e_flow") else {})
    )
    entries = [StatusEntry.model_validate_json(entry) for entry in values["e_history"].values()]
    return with_entries(reform, entries)


def document_item(tenant_id: str, document: AnyDocument, *, version: int) -> dict[str, Any]:
    """The item of a draft or of a document being finalized: payments come only afterwards."""
    excluded = {"payments", "credit_notes", "invoices", "decided_at", "converted_to", "deducted_by"}
    reform = document.e_invoicing if isinstance(document, Document) else None
    body = zlib.compress(document.model_dump_json(exclude_none=True, exclude=excluded).encode(), level=6)
    if len(body) > MAX_STORED_DOCUMENT_BYTES:
        raise TooLarge(len(body), MAX_STORED_DOCUMENT_BYTES)
    return key(tenant_pk(tenant_id), document_sk(document.id)) | to_item(
        {
            "gsi1pk": listing_pk(tenant_id, document.kind.resource),
            "gsi1sk": listing_position(document),
            "id": document.id,
            "type": document.type,
            "status": document.status,
            "number": document.number,
            "issue_date": document.issue_date.isoformat() if document.issue_date else None,
            "due_date": document.due_date.isoformat() if document.due_date else None,
            "valid_until": document.valid_until.isoformat() if document.valid_until else None,
            "quote_id": document.quote.id if isinstance(document, Document) and document.quote else None,
            "ledger": ledger_summary(document),
            "customer_name": document.customer.name,
            "customer_key": document.customer.name.casefold(),
            "currency": document.currency,
            "total_incl_tax": document.totals.total_incl_tax,
            "amount_due": document.totals.amount_due,
            "amount_paid": document.totals.amount_paid,
            "credited": document.totals.amount_credited,
            "payments": {},
            "credit_notes": {},
            "invoices": {} if isinstance(document, Quote) else None,
            "e_history": {} if reform and reform.processing_rule == "B2B" else None,
            # What e-reporting's stream consumer filters on: a finalized consumer or international one.
            "e_rule": reform.processing_rule
            if reform and reform.processing_rule in ("B2C", "B2BInt") and not document.is_draft
            else None,
            "created_at": document.created_at.isoformat(),
            "version": version,
            "body": body,
        }
    )


def ledger_summary(document: AnyDocument) -> str | None:
    """What the FEC export reads of a finalized document, kept in the listing index so that a year's
    sales journal is one Query and no document body is read."""
    ledger = ledger_document(document) if isinstance(document, Document) else None
    if ledger is None:
        return None
    return json.dumps(
        {
            "vat": [[str(rate), str(base), str(amount)] for rate, base, amount in ledger.vat],
            "rounding": str(ledger.rounding),
            "deposits": [
                [number, str(excluded), str(included)] for number, excluded, included in ledger.deposits
            ],
            "validated_on": ledger.validated_on.isoformat(),
            "exchange_rate": str(ledger.exchange_rate) if ledger.exchange_rate else None,
            "operation_nature": ledger.operation_nature,
        }
    )


def listing_pk(tenant_id: str, resource: Resource) -> str:
    return f"TENANT#{tenant_id}#{LISTING_COLLECTIONS[resource]}"


def listing_position(document: AnyDocument) -> str:
    """Where a document stands in its tenant's list: creation time, then id for documents created together."""
    return f"{document.created_at.isoformat()}#{document.id}"
