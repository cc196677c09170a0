"""Documents in DynamoDB: a draft is one PutItem; the body is stored compressed beside the queried fields."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.errors import DomainError, StateConflict
from invoicing.domain.model import LEDGER_TYPES, CreditNoteRef, Document, Payment, QuoteInvoice, Totals
from invoicing.domain.payments import settled

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# DynamoDB items stop at 400 KB; the compressed document keeps well under with room for attributes.
MAX_STORED_DOCUMENT_BYTES = 350_000


# (collection, entry id, JSON value, or None to remove it): one payment or credit note on an invoice.
Entry = tuple[str, str, str | None]


class PaymentsChanged(Exception):
    """A payment or credit note was recorded since the caller read the invoice: read it again."""


class DocumentTooLarge(DomainError):
    code = "document_too_large"


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    version: int
    rendered_locales: frozenset[str] = field(default_factory=frozenset)


class DocumentTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put_draft(self, tenant_id: str, document: Document) -> StoredDocument:
        self._client.put_item(
            TableName=self._table,
            Item=document_item(tenant_id, document, version=1),
            ConditionExpression="attribute_not_exists(pk)",
        )
        return StoredDocument(document, version=1)

    def get(self, tenant_id: str, document_id: str) -> StoredDocument | None:
        response = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), f"DOC#{document_id}"), ConsistentRead=True
        )
        item = response.get("Item")
        if item is None:
            return None
        values = from_item(item)
        document = Document.model_validate_json(zlib.decompress(bytes(values["body"])))
        payments = sorted(
            (Payment.model_validate_json(payment) for payment in values.get("payments", {}).values()),
            key=lambda payment: (payment.recorded_at, payment.id),
        )
        credit_notes = sorted(
            (CreditNoteRef.model_validate_json(note) for note in values.get("credit_notes", {}).values()),
            key=lambda note: note.number,
        )
        links = {name: values[name] for name in ("converted_to", "deducted_by") if values.get(name)}
        if document.type == "quote" and not document.is_draft:
            # A quote's decision and invoices come after it was frozen, kept beside its body.
            links |= {
                "status": values["status"],
                "decided_at": datetime.fromisoformat(values["decided_at"])
                if values.get("decided_at")
                else None,
                "invoices": sorted(
                    (QuoteInvoice.model_validate_json(link) for link in values.get("invoices", {}).values()),
                    key=lambda link: (link.created_at, link.id),
                ),
            }
        if links:
            document = document.model_copy(update=links)
        return StoredDocument(
            settled(document, payments, credit_notes),
            int(values["version"]),
            frozenset(values.get("rendered", ())),
        )

    def replace_draft(self, tenant_id: str, document: Document, *, version: int) -> StoredDocument:
        """Overwrite a draft still at `version`; None of it is written if it changed or was finalized."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=document_item(tenant_id, document, version=version + 1),
                ConditionExpression="#status = :draft AND version = :version",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":draft": "draft", ":version": version}),
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            raise StateConflict(
                "the draft was finalized or changed by another request: read it again", code="conflict"
            ) from None
        return StoredDocument(document, version + 1)

    def convert(self, tenant_id: str, proforma: StoredDocument, invoice: Document) -> StoredDocument:
        """The invoice draft and the proforma's link to it, together; a proforma converts only once."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    new_document_put(self._table, tenant_id, invoice),
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), f"DOC#{proforma.document.id}"),
                            "UpdateExpression": "SET converted_to = :invoice, version = :next",
                            "ConditionExpression": "version = :version "
                            "AND attribute_not_exists(converted_to)",
                            "ExpressionAttributeValues": to_item(
                                {
                                    ":invoice": invoice.id,
                                    ":version": proforma.version,
                                    ":next": proforma.version + 1,
                                }
                            ),
                        }
                    },
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            raise StateConflict(
                "the proforma was converted or changed by another request: read it again", code="conflict"
            ) from None
        return StoredDocument(invoice, version=1)

    def delete_draft(self, tenant_id: str, document_id: str) -> bool:
        """Delete a draft; False if there is no such document, a 409 if it is finalized."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=key(tenant_pk(tenant_id), f"DOC#{document_id}"),
                ConditionExpression="attribute_exists(pk) AND #status = :draft "
                "AND attribute_not_exists(converted_to) AND attribute_not_exists(quote_id)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":draft": "draft"}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            current = cast("dict[str, Any]", error.response.get("Item") or {})
            if not current:
                return False
            values = from_item(current)
            if values.get("quote_id") and values["status"] == "draft" and "converted_to" not in values:
                self._delete_quote_draft(tenant_id, values)
                return True
            if "converted_to" in current:
                raise StateConflict("a proforma that became an invoice is kept", code="converted") from None
            raise StateConflict(
                "a finalized document is never deleted: correct it with a credit note",
                code="already_finalized",
            ) from None
        return True

    def _delete_quote_draft(self, tenant_id: str, values: dict[str, Any]) -> None:
        """Delete a draft made from a quote and its link there: a final invoice's deletion lets the
        quote be invoiced again, a deposit's gives its percentage back."""
        full = values["type"] == "invoice"
        release = " SET #status = :accepted" if full else ""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), f"DOC#{values['id']}"),
                            "ConditionExpression": "#status = :draft AND version = :version",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": to_item(
                                {":draft": "draft", ":version": values["version"]}
                            ),
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), f"DOC#{values['quote_id']}"),
                            "UpdateExpression": f"REMOVE invoices.#link{release} ADD version :one",
                            "ExpressionAttributeNames": {"#link": values["id"]}
                            | ({"#status": "status"} if full else {}),
                            "ExpressionAttributeValues": to_item(
                                {":one": 1} | ({":accepted": "accepted"} if full else {})
                            ),
                        }
                    },
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            raise StateConflict(
                "the draft was finalized or changed by another request: read it again", code="conflict"
            ) from None

    def write_settlement(self, tenant_id: str, after: Document, *, before: Document) -> None:
        """Write the one payment `after` adds to or removes from `before`, with the amounts it leaves,
        provided nothing else was settled meanwhile: no payment is ever lost."""
        old = {payment.id: payment for payment in before.payments}
        new = {payment.id: payment for payment in after.payments}
        (entry,) = [
            ("payments", added, new[added].model_dump_json()) for added in new.keys() - old.keys()
        ] + [("payments", removed, None) for removed in old.keys() - new.keys()]
        self._update_settlement(
            self.settlement_update(tenant_id, after, before=before.totals, entries=[entry])
        )

    def settlement_update(
        self, tenant_id: str, after: Document, *, before: Totals, entries: list[Entry]
    ) -> dict[str, Any]:
        """An Update adding (or, with None, removing) payment and credit note entries with the amounts
        and status they leave, provided the amounts settled are still those the caller read."""
        sets = ["amount_paid = :paid", "credited = :credited", "amount_due = :due", "#status = :status"]
        removes: list[str] = []
        conditions = ["amount_paid = :paid_before", "credited = :credited_before", "#status <> :draft"]
        names = {"#status": "status"}
        values: dict[str, Any] = {}
        for n, (collection, entry_id, value) in enumerate(entries):
            names[f"#e{n}"] = entry_id
            if value is not None:
                sets.append(f"{collection}.#e{n} = :e{n}")
                values[f":e{n}"] = value
                conditions.append(f"attribute_not_exists({collection}.#e{n})")
            else:
                removes.append(f"{collection}.#e{n}")
                conditions.append(f"attribute_exists({collection}.#e{n})")
            if collection == "credit_notes" and value is not None:
                # A deposit that a final invoice deducts is credited through that invoice, never directly.
                conditions.append("attribute_not_exists(deducted_by)")
        return {
            "TableName": self._table,
            "Key": key(tenant_pk(tenant_id), f"DOC#{after.id}"),
            "UpdateExpression": "SET "
            + ", ".join(sets)
            + (" REMOVE " + ", ".join(removes) if removes else ""),
            "ConditionExpression": " AND ".join(dict.fromkeys(conditions)),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_item(
                values
                | {
                    ":paid": after.totals.amount_paid,
                    ":credited": after.totals.amount_credited,
                    ":due": after.totals.amount_due,
                    ":status": after.status,
                    ":paid_before": before.amount_paid,
                    ":credited_before": before.amount_credited,
                    ":draft": "draft",
                }
            ),
        }

    def deduction_update(self, tenant_id: str, deposit: Document, *, final_id: str) -> dict[str, Any]:
        """An Update marking `deposit` as deducted by the final invoice, provided it is deducted by no
        other and nothing was credited on it since the caller read it."""
        return {
            "TableName": self._table,
            "Key": key(tenant_pk(tenant_id), f"DOC#{deposit.id}"),
            "UpdateExpression": "SET deducted_by = :final",
            "ConditionExpression": "attribute_not_exists(deducted_by) AND credited = :credited "
            "AND #type = :deposit AND #status <> :draft",
            "ExpressionAttributeNames": {"#type": "type", "#status": "status"},
            "ExpressionAttributeValues": to_item(
                {
                    ":final": final_id,
                    ":credited": deposit.totals.amount_credited,
                    ":deposit": "deposit",
                    ":draft": "draft",
                }
            ),
        }

    def _update_settlement(self, update: dict[str, Any]) -> None:
        try:
            self._client.update_item(**update)
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            raise PaymentsChanged from error

    def mark_rendered(self, tenant_id: str, document_id: str, locale: str) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), f"DOC#{document_id}"),
            UpdateExpression="ADD rendered :locale",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":locale": {"SS": [locale]}},
        )


def document_item(tenant_id: str, document: Document, *, version: int) -> dict[str, Any]:
    """The item of a draft or of a document being finalized: payments come only afterwards."""
    body = zlib.compress(document.model_dump_json(exclude_none=True, exclude={"payments"}).encode(), level=6)
    if len(body) > MAX_STORED_DOCUMENT_BYTES:
        raise DocumentTooLarge(
            f"the document takes {len(body) // 1000} KB once compressed; at most "
            f"{MAX_STORED_DOCUMENT_BYTES // 1000} KB can be stored: shorten descriptions or split it",
            field="lines",
        )
    return key(tenant_pk(tenant_id), f"DOC#{document.id}") | to_item(
        {
            "gsi1pk": listing_pk(tenant_id, collection_of_type(document.type)),
            "gsi1sk": listing_position(document),
            "id": document.id,
            "type": document.type,
            "status": document.status,
            "number": document.number,
            "issue_date": document.issue_date.isoformat() if document.issue_date else None,
            "due_date": document.due_date.isoformat() if document.due_date else None,
            "valid_until": document.valid_until.isoformat() if document.valid_until else None,
            "quote_id": document.quote.id if document.quote else None,
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
            "invoices": {} if document.type == "quote" else None,
            "created_at": document.created_at.isoformat(),
            "version": version,
            "body": body,
        }
    )


Collection = Literal["DOCS", "QUOTES"]


def collection_of_type(document_type: str) -> Collection:
    """Quotes are listed apart from the documents of the books (invoices, credit notes...)."""
    return "QUOTES" if document_type == "quote" else "DOCS"


def ledger_summary(document: Document) -> str | None:
    """What the FEC export reads of a finalized document, kept in the listing index so that a year's
    sales journal is one Query and no document body is read."""
    if document.is_draft or document.type not in LEDGER_TYPES or document.finalized_at is None:
        return None
    totals = document.totals
    return json.dumps(
        {
            "vat": [[str(vat.rate), str(vat.base), str(vat.amount)] for vat in totals.vat],
            "rounding": str(totals.rounding),
            "deposits": [
                [ref.number, str(ref.amount_excl_tax), str(ref.amount)] for ref in document.deposits
            ],
            "validated_on": document.finalized_at.date().isoformat(),
            "exchange_rate": str(document.exchange_rate) if document.exchange_rate else None,
            "operation_nature": document.operation_nature,
        }
    )


def new_document_put(table: str, tenant_id: str, document: Document) -> TransactWriteItemTypeDef:
    """A transaction's Put of a new document, refused if its id were ever taken."""
    return {
        "Put": {
            "TableName": table,
            "Item": document_item(tenant_id, document, version=1),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def listing_pk(tenant_id: str, collection: Collection) -> str:
    return f"TENANT#{tenant_id}#{collection}"


def listing_position(document: Document) -> str:
    """Where a document stands in its tenant's list: creation time, then id for documents created together."""
    return f"{document.created_at.isoformat()}#{document.id}"
