"""Tenants' platform connections in DynamoDB: each beside its tenant, and in one registry partition
that a callback (which names only its connection) and the scheduled poll (which visits them all)
read; both written together, so neither ever points at a connection the other lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.services.ports import PlatformConnection

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

REGISTRY = "PLATFORMS"
CONNECTION_SK = "PLATFORM"


class PlatformTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put(self, tenant_id: str, connection: PlatformConnection) -> None:
        values = to_item(connection._asdict())
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(tenant_pk(tenant_id), CONNECTION_SK) | values,
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(REGISTRY, connection.connection_id)
                        | values
                        | to_item({"tenant_id": tenant_id}),
                    }
                },
            ]
        )

    def get(self, tenant_id: str) -> PlatformConnection | None:
        item = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), CONNECTION_SK), ConsistentRead=True
        ).get("Item")
        return _connection(from_item(item)) if item else None

    def by_id(self, connection_id: str) -> tuple[str, PlatformConnection] | None:
        item = self._client.get_item(
            TableName=self._table, Key=key(REGISTRY, connection_id[:64]), ConsistentRead=True
        ).get("Item")
        if item is None:
            return None
        values = from_item(item)
        return str(values["tenant_id"]), _connection(values)

    def all(self) -> list[tuple[str, PlatformConnection]]:
        found: list[tuple[str, PlatformConnection]] = []
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :registry",
            ExpressionAttributeValues=to_item({":registry": REGISTRY}),
        ):
            for item in page.get("Items", []):
                values = from_item(item)
                found.append((str(values["tenant_id"]), _connection(values)))
        return found

    def delete(self, tenant_id: str, connection_id: str) -> None:
        """The connection's registry entry, with the tenant's connection if it is still this one (a
        replaced connection leaves its successor in place)."""
        registry_key = key(REGISTRY, connection_id)
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), CONNECTION_SK),
                            "ConditionExpression": "connection_id = :id",
                            "ExpressionAttributeValues": to_item({":id": connection_id}),
                        }
                    },
                    {"Delete": {"TableName": self._table, "Key": registry_key}},
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            self._client.delete_item(TableName=self._table, Key=registry_key)

    def polled(self, tenant_id: str, connection_id: str, until: str) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=key(REGISTRY, connection_id),
            UpdateExpression="SET polled_until = :until",
            ConditionExpression="attribute_exists(pk) AND tenant_id = :tenant",
            ExpressionAttributeValues=to_item({":until": until, ":tenant": tenant_id}),
        )


def _connection(values: dict[str, Any]) -> PlatformConnection:
    fields: dict[str, Any] = {name: values.get(name) for name in PlatformConnection._fields}
    return PlatformConnection(**fields)
