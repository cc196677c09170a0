"""Webhook endpoints and the orders their deliveries invoiced, in the single table.

pk `WEBHOOK#<endpoint>`, sk `ENDPOINT`: the endpoint as a delivery finds it (no tenant in the
    URL): its tenant, provider, settings and sealed secret
pk `TENANT#<id>`, sk `ENDPOINT#<endpoint>`: the same endpoint as its tenant lists it, without secret
pk `TENANT#<id>`, sk `ORDER#<provider key>`: the document an order (or refund) became, under each
    id the shop may name it by
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code
from invoicing.adapters.dynamodb.table import from_item, key, order_sk, read_items, tenant_pk, to_item
from invoicing.domain.webhooks.endpoints import WebhookEndpoint
from invoicing.services.ports import ConditionFailed, SealedEndpoint

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# A tenant lists its endpoints in one Query page.
MAX_ENDPOINTS_READ = 100


def _endpoint_fields(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"endpoint": endpoint.model_dump_json()}


class WebhookTable:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def put_endpoint(self, tenant_id: str, endpoint: WebhookEndpoint, sealed_secret: str) -> None:
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(f"WEBHOOK#{endpoint.id}", "ENDPOINT")
                        | to_item(
                            {"tenant_id": tenant_id, "secret": sealed_secret} | _endpoint_fields(endpoint)
                        ),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key(tenant_pk(tenant_id), f"ENDPOINT#{endpoint.id}")
                        | to_item(_endpoint_fields(endpoint)),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )

    def endpoint(self, endpoint_id: str) -> SealedEndpoint | None:
        item = self._client.get_item(
            TableName=self._table, Key=key(f"WEBHOOK#{endpoint_id}", "ENDPOINT")
        ).get("Item")
        if item is None:
            return None
        values = from_item(item)
        return SealedEndpoint(
            values["tenant_id"], WebhookEndpoint.model_validate_json(values["endpoint"]), values["secret"]
        )

    def endpoints(self, tenant_id: str) -> list[WebhookEndpoint]:
        items = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": tenant_pk(tenant_id), ":prefix": "ENDPOINT#"}),
            Limit=MAX_ENDPOINTS_READ,
        ).get("Items", [])
        endpoints = [WebhookEndpoint.model_validate_json(from_item(item)["endpoint"]) for item in items]
        return sorted(endpoints, key=lambda endpoint: endpoint.created_at)

    def delete_endpoint(self, tenant_id: str, endpoint_id: str) -> None:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(f"WEBHOOK#{endpoint_id}", "ENDPOINT"),
                            "ConditionExpression": "tenant_id = :tenant",
                            "ExpressionAttributeValues": to_item({":tenant": tenant_id}),
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": key(tenant_pk(tenant_id), f"ENDPOINT#{endpoint_id}"),
                        }
                    },
                ]
            )
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            raise ConditionFailed from None

    def order_document(self, tenant_id: str, keys: tuple[str, ...]) -> str | None:
        """The document an order or refund already became, found under any of its keys (the first
        key that names one), in one read."""
        wanted = [order_sk(order_key) for order_key in dict.fromkeys(keys)]
        items = read_items(
            self._client, self._table, [key(tenant_pk(tenant_id), sk) for sk in wanted], "sk, document_id"
        )
        found = {str(item["sk"]): str(item["document_id"]) for item in items}
        return next((found[sk] for sk in wanted if sk in found), None)
