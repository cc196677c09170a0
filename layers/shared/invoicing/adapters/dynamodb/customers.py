"""Customers in DynamoDB: pk `TENANT#<id>`, sk `CUSTOMER#<id>`; time-ordered ids list them newest first."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.parts import Customer
from invoicing.services.ports import ConditionFailed, StoredCustomer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

CUSTOMER = "CUSTOMER#"


def customer_sk(customer_id: str) -> str:
    return f"{CUSTOMER}{customer_id}"


class CustomerTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put(self, tenant_id: str, stored: StoredCustomer, *, previous_version: int | None) -> None:
        """Create (previous_version None) or replace a customer still at `previous_version`;
        ConditionFailed if it is not so."""
        condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        if previous_version is not None:
            condition = {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": to_item({":version": previous_version}),
            }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=key(tenant_pk(tenant_id), customer_sk(stored.id))
                | to_item(
                    {
                        "body": stored.customer.model_dump_json(exclude_none=True),
                        "created_at": stored.created_at,
                        "updated_at": stored.updated_at,
                        "version": stored.version,
                    }
                ),
                **condition,
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            raise ConditionFailed from None

    def get(self, tenant_id: str, customer_id: str) -> StoredCustomer | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=key(tenant_pk(tenant_id), customer_sk(customer_id)),
            ConsistentRead=True,
        ).get("Item")
        return _stored(from_item(item)) if item else None

    def page(
        self, tenant_id: str, *, before: str | None, limit: int
    ) -> tuple[list[StoredCustomer], str | None]:
        """Newest first; `before` is the id the previous page ended on."""
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :tenant AND begins_with(sk, :customer)",
            "ExpressionAttributeValues": to_item({":tenant": tenant_pk(tenant_id), ":customer": CUSTOMER}),
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if before is not None:
            query["ExclusiveStartKey"] = key(tenant_pk(tenant_id), customer_sk(before))
        items = [_stored(from_item(item)) for item in self._client.query(**query).get("Items", [])]
        if len(items) > limit:
            return items[:limit], items[limit - 1].id
        return items, None


def _stored(values: dict[str, Any]) -> StoredCustomer:
    return StoredCustomer(
        id=str(values["sk"]).removeprefix(CUSTOMER),
        customer=Customer.model_validate(json.loads(values["body"])),
        created_at=str(values["created_at"]),
        updated_at=str(values["updated_at"]),
        version=int(values["version"]),
    )
