"""E-reporting in DynamoDB: each day's totals beside the tenant, added to atomically as documents are
finalized and paid, so that a period is read in the number of its days and rates.

pk `TENANT#<id>`:
  sk `EREP#T#<day>#<currency>#<category>#<rate>`  a day's consumer sales (base, vat, count: ADD)
  sk `EREP#I#<day>#<document id>`                  an invoice to a business abroad (10.1)
  sk `EREP#P#<day>#<currency>#<rate>`              a day's consumer collections (amount, count: ADD)
  sk `EREP#Q#<day>#<document id>:<payment id>`     a collection from a business abroad (10.2)
  sk `EREPKEY#<key>`                               a contribution taken in: never twice
  sk `EREPPERIOD#<start>#<kind>`                   a period: its bounds, revision (one per
                                                   contribution), closing and transmissions
pk `EREPDUE#<due date>`, sk `<tenant id>#<period id>`: the periods due that day, for the closing.

One contribution is one TransactWriteItems: its key's marker (which must not exist), its day rows,
its record and its period's revision; two writers on the same day's row conflict and the one
refused tries again, so no update is lost.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.e_reporting import (
    Contribution,
    PaymentRow,
    PeriodContent,
    PeriodState,
    ReportedInvoice,
    ReportedPayment,
    TransactionRow,
    Transmission,
)
from invoicing.domain.errors import BrokenInvariant
from invoicing.domain.reporting_calendar import Period, ReportKind
from invoicing.services.ports import Contention

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

_ROW_LETTERS: dict[ReportKind, tuple[str, str]] = {"transactions": ("T", "I"), "payments": ("P", "Q")}
# The longest period (two months) starts at most this long before a day it overlaps.
_LONGEST_PERIOD = timedelta(days=62)


def period_sk(period: Period) -> str:
    return f"EREPPERIOD#{period.start.isoformat()}#{period.kind}"


def _row_sk(row: TransactionRow | PaymentRow) -> str:
    if isinstance(row, TransactionRow):
        return f"EREP#T#{row.day.isoformat()}#{row.currency}#{row.category}#{row.vat_rate}"
    return f"EREP#P#{row.day.isoformat()}#{row.currency}#{row.vat_rate}"


def _record_sk(contribution: Contribution) -> str:
    record = contribution.record
    if isinstance(record, ReportedInvoice):
        return f"EREP#I#{record.issue_date.isoformat()}#{contribution.key}"
    if not isinstance(record, ReportedPayment):
        raise BrokenInvariant(f"a payments period holds payments, not {type(record).__name__}")
    return f"EREP#Q#{record.paid_on.isoformat()}#{contribution.key}"


class ReportTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, tenant_id: str, contribution: Contribution) -> bool:
        pk = tenant_pk(tenant_id)
        period = contribution.period
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": key(pk, f"EREPKEY#{contribution.key}") | to_item({"period_id": period.id}),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        writes += [self._row_update(pk, row) for row in contribution.rows]
        if contribution.record is not None:
            item = key(pk, _record_sk(contribution)) | to_item(
                {"entry": contribution.record.model_dump_json()}
            )
            writes.append({"Put": {"TableName": self._table, "Item": item}})
        writes.append(self._period_update(pk, period, revision=1))
        writes.append(
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(f"EREPDUE#{period.due_date.isoformat()}", f"{tenant_id}#{period.id}"),
                    "UpdateExpression": "SET tenant_id = :tenant, period_id = :period",
                    "ExpressionAttributeValues": to_item({":tenant": tenant_id, ":period": period.id}),
                }
            }
        )
        try:
            self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", writes))
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            if any(reason.get("Code") == "TransactionConflict" for reason in reasons):
                raise Contention from error
            raise
        return True

    def _row_update(self, pk: str, row: TransactionRow | PaymentRow) -> dict[str, Any]:
        if isinstance(row, TransactionRow):
            added = {":base": row.base, ":vat": row.vat, ":count": row.documents}
            expression = "ADD net :base, vat :vat, #count :count SET category = :category, "
            extra = {":category": row.category}
        else:
            added = {":amount": row.amount, ":count": row.payments}
            expression = "ADD amount :amount, #count :count SET "
            extra = {}
        return {
            "Update": {
                "TableName": self._table,
                "Key": key(pk, _row_sk(row)),
                "UpdateExpression": f"{expression}day_ = :day, currency = :cur, rate = :rate",
                "ExpressionAttributeNames": {"#count": "count"},
                "ExpressionAttributeValues": to_item(
                    added | extra | {":day": row.day.isoformat(), ":cur": row.currency, ":rate": row.vat_rate}
                ),
            }
        }

    def _period_update(self, pk: str, period: Period, *, revision: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": key(pk, period_sk(period)),
                "UpdateExpression": "ADD revision :revision SET kind = :kind, period_start = :start, "
                "period_end = :end, due_date = :due, transmissions = if_not_exists(transmissions, :none)",
                "ExpressionAttributeValues": to_item(
                    {
                        ":revision": revision,
                        ":kind": period.kind,
                        ":start": period.start.isoformat(),
                        ":end": period.end.isoformat(),
                        ":due": period.due_date.isoformat(),
                        ":none": {},
                    }
                ),
            }
        }

    def period(self, tenant_id: str, period_id: str) -> PeriodState | None:
        kind, _, start = period_id.partition("-")
        item = self._client.get_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), f"EREPPERIOD#{start}#{kind}"),
            ConsistentRead=True,
        ).get("Item")
        return _state(from_item(item)) if item else None

    def periods(self, tenant_id: str, first: date, last: date) -> list[PeriodState]:
        items = self._query(
            "pk = :pk AND sk BETWEEN :from AND :to",
            {
                ":pk": tenant_pk(tenant_id),
                ":from": f"EREPPERIOD#{(first - _LONGEST_PERIOD).isoformat()}",
                ":to": f"EREPPERIOD#{last.isoformat()}~",
            },
        )
        states = [_state(item) for item in items]
        return [state for state in states if state.period.end >= first and state.period.start <= last]

    def content(self, tenant_id: str, period: Period) -> PeriodContent:
        rows_letter, records_letter = _ROW_LETTERS[period.kind]
        pk = tenant_pk(tenant_id)
        rows = self._between(pk, rows_letter, period)
        records = [json.loads(item["entry"]) for item in self._between(pk, records_letter, period)]
        if period.kind == "transactions":
            return PeriodContent(
                transactions=tuple(
                    sorted(
                        TransactionRow(
                            date.fromisoformat(item["day_"]),
                            item["currency"],
                            item["category"],
                            Decimal(item["rate"]),
                            Decimal(item["net"]),
                            Decimal(item["vat"]),
                            int(item["count"]),
                        )
                        for item in rows
                    )
                ),
                invoices=tuple(ReportedInvoice.model_validate(record) for record in records),
            )
        return PeriodContent(
            payments=tuple(
                sorted(
                    PaymentRow(
                        date.fromisoformat(item["day_"]),
                        item["currency"],
                        Decimal(item["rate"]),
                        Decimal(item["amount"]),
                        int(item["count"]),
                    )
                    for item in rows
                )
            ),
            paid_invoices=tuple(ReportedPayment.model_validate(record) for record in records),
        )

    def _between(self, pk: str, letter: str, period: Period) -> list[dict[str, Any]]:
        return self._query(
            "pk = :pk AND sk BETWEEN :from AND :to",
            {
                ":pk": pk,
                ":from": f"EREP#{letter}#{period.start.isoformat()}",
                ":to": f"EREP#{letter}#{period.end.isoformat()}~",
            },
        )

    def close(self, tenant_id: str, period: Period, at: datetime) -> None:
        update = self._period_update(tenant_pk(tenant_id), period, revision=0)["Update"]
        update["UpdateExpression"] += ", closed_at = if_not_exists(closed_at, :at)"
        update["ExpressionAttributeValues"] |= to_item({":at": at.isoformat()})
        self._client.update_item(**update)

    def record_transmission(self, tenant_id: str, period: Period, transmission: Transmission) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), period_sk(period)),
            UpdateExpression="SET transmissions.#id = :transmission",
            ConditionExpression="attribute_exists(transmissions)",
            ExpressionAttributeNames={"#id": transmission.id},
            ExpressionAttributeValues=to_item({":transmission": transmission.model_dump_json()}),
        )

    def due(self, day: date) -> list[tuple[str, str]]:
        items = self._query("pk = :pk", {":pk": f"EREPDUE#{day.isoformat()}"})
        return [(str(item["tenant_id"]), str(item["period_id"])) for item in items]

    def _query(self, condition: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page: dict[str, Any] = {}
        while True:
            answer = self._client.query(
                TableName=self._table,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=to_item(values),
                ConsistentRead=True,
                **page,
            )
            items += [from_item(item) for item in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return items
            page = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}


def _state(values: dict[str, Any]) -> PeriodState:
    period = Period(
        values["kind"],
        date.fromisoformat(values["period_start"]),
        date.fromisoformat(values["period_end"]),
        date.fromisoformat(values["due_date"]),
    )
    transmissions = sorted(
        (Transmission.model_validate_json(text) for text in (values.get("transmissions") or {}).values()),
        key=lambda transmission: (transmission.revision, transmission.at),
    )
    closed = values.get("closed_at")
    return PeriodState(
        period,
        int(values.get("revision", 0)),
        datetime.fromisoformat(closed) if closed else None,
        tuple(transmissions),
    )
