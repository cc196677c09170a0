"""Tenants, their API keys and their settings in DynamoDB.

A key lives in two items: the one the authorizer finds by the key's hash (its tenant and last use),
and the one its tenant lists (its id, prefix and name). The tenant's item counts them, so that a
tenant can neither go past the most keys nor, by revoking, be left with none, whatever the races.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, read_items, tenant_pk, to_item
from invoicing.domain.settings import TenantSettings
from invoicing.services.ports import ApiKeyRecord, ConditionFailed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def api_key_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


def _listed_sk(key_id: str) -> str:
    return f"APIKEY#{key_id}"


class TenantTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create_tenant(self, tenant_id: str, name: str, first_key: ApiKeyRecord, key_hash: str) -> None:
        """The tenant and its first key together, so that no key ever points at a missing tenant."""
        tenant = {
            "TableName": self._table,
            "Item": key(tenant_pk(tenant_id), "TENANT")
            | to_item({"name": name, "created_at": first_key.created_at, "api_keys": 1}),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        self._transact([{"Put": tenant}, *self._key_puts(tenant_id, first_key, key_hash)])

    def add_api_key(self, tenant_id: str, api_key: ApiKeyRecord, key_hash: str, *, most: int) -> None:
        counted = {
            "TableName": self._table,
            "Key": key(tenant_pk(tenant_id), "TENANT"),
            "UpdateExpression": "SET api_keys = api_keys + :one",
            "ConditionExpression": "api_keys < :most",
            "ExpressionAttributeValues": to_item({":one": 1, ":most": most}),
        }
        try:
            self._transact([{"Update": counted}, *self._key_puts(tenant_id, api_key, key_hash)])
        except ClientError as error:
            if not _failed_conditions(error):
                raise
            raise ConditionFailed from None

    def api_keys(self, tenant_id: str) -> list[ApiKeyRecord]:
        """The tenant's keys, newest first, with their last use (one Query, one BatchGetItem)."""
        answer = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :keys)",
            ExpressionAttributeValues=to_item({":pk": tenant_pk(tenant_id), ":keys": "APIKEY#"}),
            ConsistentRead=True,
        )
        listed = [from_item(item) for item in answer.get("Items", [])]
        if not listed:
            return []
        lookups = [key(api_key_pk(str(item["key_hash"])), "APIKEY") for item in listed]
        last_use = {
            str(item["key_id"]): item.get("last_used_at")
            for item in read_items(self._client, self._table, lookups, "key_id, last_used_at")
        }
        records = [_record(item, last_use.get(str(item["key_id"]))) for item in listed]
        return sorted(records, key=lambda record: (record.created_at, record.id), reverse=True)

    def revoke_api_key(self, tenant_id: str, key_id: str) -> ApiKeyRecord | None:
        listed_key = key(tenant_pk(tenant_id), _listed_sk(key_id))
        item = self._client.get_item(TableName=self._table, Key=listed_key, ConsistentRead=True).get("Item")
        if item is None:
            return None
        listed = from_item(item)
        writes = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": listed_key,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            {"Delete": {"TableName": self._table, "Key": key(api_key_pk(str(listed["key_hash"])), "APIKEY")}},
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(tenant_pk(tenant_id), "TENANT"),
                    "UpdateExpression": "SET api_keys = api_keys - :one",
                    "ConditionExpression": "api_keys > :one",
                    "ExpressionAttributeValues": to_item({":one": 1}),
                }
            },
        ]
        try:
            self._transact(writes)
        except ClientError as error:
            failed = _failed_conditions(error)
            if failed == {0}:
                return None  # revoked by another request in between
            if not failed:
                raise
            raise ConditionFailed from None
        return _record(listed, None)

    def use_api_key(self, key_hash: str, used_at: str) -> str | None:
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=key(api_key_pk(key_hash), "APIKEY"),
                UpdateExpression="SET last_used_at = :at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=to_item({":at": used_at}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            return None
        return str(from_item(answer["Attributes"])["tenant_id"])

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

    def _key_puts(self, tenant_id: str, api_key: ApiKeyRecord, key_hash: str) -> list[dict[str, Any]]:
        listed = {
            "key_id": api_key.id,
            "prefix": api_key.prefix,
            "name": api_key.name,
            "created_at": api_key.created_at,
            "key_hash": key_hash,
        }
        found = {"tenant_id": tenant_id, "key_id": api_key.id, "created_at": api_key.created_at}
        return [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": key(tenant_pk(tenant_id), _listed_sk(api_key.id)) | to_item(listed),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": key(api_key_pk(key_hash), "APIKEY") | to_item(found),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]

    def _transact(self, writes: list[dict[str, Any]]) -> None:
        self._client.transact_write_items(TransactItems=cast("list[TransactWriteItemTypeDef]", writes))


def _failed_conditions(error: ClientError) -> set[int]:
    """Which writes of a cancelled transaction found their condition false (empty: another cause)."""
    if error_code(error) != "TransactionCanceledException":
        return set()
    reasons = error.response.get("CancellationReasons") or []
    return {n for n, reason in enumerate(reasons) if reason.get("Code") == "ConditionalCheckFailed"}


def _record(item: dict[str, Any], last_used_at: object) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=str(item["key_id"]),
        prefix=str(item["prefix"]),
        name=item.get("name"),
        created_at=str(item["created_at"]),
        last_used_at=str(last_used_at) if last_used_at else None,
    )
