"""A tenant's documents, newest first, read from the ByCreation index by Query, a page at a time.

A page position is the index's sort key (`<created_at>#<id>`); the partition is always rebuilt
from the caller's tenant, so no position, however forged, reads another tenant's documents.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invoicing.adapters.dynamodb.documents import listing_pk
from invoicing.adapters.dynamodb.table import document_sk, from_item, key, number_sk, tenant_pk, to_item
from invoicing.domain.fec import LedgerDocument
from invoicing.services.ports import DocumentSummary, ListFilters, SummaryPage

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from invoicing.domain.kinds import Resource

INDEX = "ByCreation"
PAGE_READ = 100  # items DynamoDB evaluates per Query when a filter may drop some
MAX_QUERIES = 10  # per request; past it the page ends early and the cursor resumes the search


def _filter_expression(filters: ListFilters) -> tuple[str, dict[str, str], dict[str, Any]]:
    clauses: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    if filters.status is not None:
        clauses.append("#status = :status")
        names["#status"], values[":status"] = "status", filters.status
    if filters.type is not None:
        clauses.append("#type = :type")
        names["#type"], values[":type"] = "type", filters.type
    if filters.customer is not None:
        clauses.append("contains(customer_key, :customer)")
        values[":customer"] = filters.customer.casefold()
    if filters.issued_from is not None:
        clauses.append("issue_date >= :issued_from")
        values[":issued_from"] = filters.issued_from.isoformat()
    if filters.issued_to is not None:
        clauses.append("issue_date <= :issued_to")
        values[":issued_to"] = filters.issued_to.isoformat()
    if filters.overdue_on is not None:
        clauses.append("#status IN (:open, :partly) AND due_date < :today AND amount_due > :zero")
        names["#status"] = "status"
        values |= {
            ":open": "open",
            ":partly": "partially_paid",
            ":today": filters.overdue_on.isoformat(),
            ":zero": Decimal(0),
        }
    return " AND ".join(clauses), names, values


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _summary(item: dict[str, Any]) -> DocumentSummary:
    return DocumentSummary(
        id=item["id"],
        type=item["type"],
        status=item["status"],
        number=item.get("number"),
        customer_name=item["customer_name"],
        issue_date=_day(item.get("issue_date")),
        due_date=_day(item.get("due_date")),
        valid_until=_day(item.get("valid_until")),
        currency=item["currency"],
        total_incl_tax=Decimal(item["total_incl_tax"]),
        amount_due=Decimal(item["amount_due"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        position=item["gsi1sk"],
    )


def _ledger_document(item: dict[str, Any]) -> LedgerDocument:
    ledger = json.loads(item["ledger"])
    return LedgerDocument(
        type=item["type"],
        number=item["number"],
        issue_date=date.fromisoformat(item["issue_date"]),
        validated_on=date.fromisoformat(ledger["validated_on"]),
        customer_name=item["customer_name"],
        currency=item["currency"],
        total_incl_tax=Decimal(item["total_incl_tax"]),
        vat=tuple((Decimal(rate), Decimal(base), Decimal(amount)) for rate, base, amount in ledger["vat"]),
        rounding=Decimal(ledger["rounding"]),
        deposits=tuple((number, Decimal(excl), Decimal(incl)) for number, excl, incl in ledger["deposits"]),
        exchange_rate=Decimal(ledger["exchange_rate"]) if ledger.get("exchange_rate") else None,
        operation_nature=ledger.get("operation_nature"),
    )


class DocumentListing:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def page(
        self, tenant_id: str, filters: ListFilters, *, resource: Resource, after: str | None, limit: int
    ) -> SummaryPage:
        """Up to `limit` summaries after `after`; `next_position` is None when none are left."""
        expression, names, values = _filter_expression(filters)
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": INDEX,
            "KeyConditionExpression": "gsi1pk = :tenant",
            "ScanIndexForward": False,
            "Limit": PAGE_READ if filters.any else limit + 1,
            "ReturnConsumedCapacity": "TOTAL",
        }
        if expression:
            query["FilterExpression"] = expression
        if names:
            query["ExpressionAttributeNames"] = names
        query["ExpressionAttributeValues"] = to_item({":tenant": listing_pk(tenant_id, resource)} | values)

        found: list[DocumentSummary] = []
        read_units = Decimal(0)
        position = after
        for _ in range(MAX_QUERIES):
            if position is not None:
                query["ExclusiveStartKey"] = self._start_key(tenant_id, resource, position)
            response = self._client.query(**query)
            read_units += Decimal(str(response.get("ConsumedCapacity", {}).get("CapacityUnits", 0)))
            for item in response.get("Items", []):
                found.append(_summary(from_item(item)))
                if len(found) > limit:
                    return SummaryPage(found[:limit], found[limit - 1].position, read_units)
            last = response.get("LastEvaluatedKey")
            if last is None:
                return SummaryPage(found, None, read_units)
            position = str(from_item(dict(last))["gsi1sk"])
        return SummaryPage(found, position, read_units)

    @staticmethod
    def _start_key(tenant_id: str, resource: Resource, position: str) -> dict[str, Any]:
        document_id = position.rsplit("#", 1)[1]
        return key(tenant_pk(tenant_id), document_sk(document_id)) | to_item(
            {"gsi1pk": listing_pk(tenant_id, resource), "gsi1sk": position}
        )

    def ledger(self, tenant_id: str, issued_from: date, issued_to: date) -> list[LedgerDocument]:
        """Every finalized document of the books issued between the two dates, read from the index's
        summaries, all pages of them."""
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": INDEX,
            "KeyConditionExpression": "gsi1pk = :tenant",
            "FilterExpression": "attribute_exists(ledger) AND issue_date BETWEEN :from AND :to",
            "ExpressionAttributeValues": to_item(
                {
                    ":tenant": listing_pk(tenant_id, "invoices"),
                    ":from": issued_from.isoformat(),
                    ":to": issued_to.isoformat(),
                }
            ),
        }
        documents = []
        while True:
            response = self._client.query(**query)
            documents += [_ledger_document(from_item(item)) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return documents
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def by_number(self, tenant_id: str, number: str) -> DocumentSummary | None:
        """A finalized document's summary, found through its number's reservation."""
        reservation = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), number_sk(number)), ConsistentRead=True
        ).get("Item")
        if reservation is None:
            return None
        document_id = from_item(reservation)["document_id"]
        item = self._client.get_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), document_sk(document_id)),
            ProjectionExpression="id, #type, #status, #number, issue_date, due_date, valid_until, "
            "customer_name, customer_key, currency, total_incl_tax, amount_due, created_at, gsi1sk",
            ExpressionAttributeNames={"#type": "type", "#status": "status", "#number": "number"},
        ).get("Item")
        return _summary(from_item(item)) if item else None
