"""Tenants, their hashed API keys and their settings in DynamoDB."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from invoicing.adapters.dynamodb.table import from_item, key, tenant_pk, to_item
from invoicing.domain.settings import TenantSettings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def api_key_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


class TenantTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create_tenant(self, tenant_id: str, name: str, key_hash: str, created_at: str) -> None:
        """The tenant and its first key together, so that no key ever points at a missing tenant."""
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(tenant_pk(tenant_id), "TENANT")
                        | to_item({"name": name, "created_at": created_at}),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(api_key_pk(key_hash), "APIKEY")
                        | to_item({"tenant_id": tenant_id, "created_at": created_at}),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )

    def tenant_of_key(self, key_hash: str) -> str | None:
        response = self._client.get_item(
            TableName=self._table, Key=key(api_key_pk(key_hash), "APIKEY"), ProjectionExpression="tenant_id"
        )
        item = response.get("Item")
        return str(from_item(item)["tenant_id"]) if item else None

    def settings(self, tenant_id: str) -> TenantSettings:
        response = self._client.get_item(
            TableName=self._table, Key=key(tenant_pk(tenant_id), "SETTINGS"), ConsistentRead=True
        )
        item = response.get("Item")
        if item is None:
            return TenantSettings()
        return TenantSettings.model_validate_json(from_item(item)["settings"])

    def put_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        self._client.put_item(
            TableName=self._table,
            Item=key(tenant_pk(tenant_id), "SETTINGS")
            | to_item({"settings": json.dumps(settings.model_dump(mode="json", exclude_none=True))}),
        )
