"""Key layout and (de)serialization of the single table.

pk `TENANT#<id>` holds everything a tenant owns, so no query can cross tenants:
  sk `DOC#<id>`          a document: compressed JSON body, plus the fields lists read, the payments
                         and credit notes settled against it (a quote: its decision and the
                         documents made from it), and gsi1pk/gsi1sk for the ByCreation index
                         (`TENANT#<id>#DOCS`, or `TENANT#<id>#QUOTES` for quotes; `<created_at>#<id>`)
  sk `COUNTER#<series>`  the series' last number, its period and last issue date, and the lease
                         (lease_owner, lease_expires_at) that queues its writers
  sk `NUMBER#<number>`   a number's reservation: no two documents can ever hold it
  sk `EXTREF#<ref>`      an imported document's external_ref: imported once per tenant
  sk `ORDER#<key>`       the document a shop's order or refund became, under each id it goes by
  sk `CUSTOMER#<id>`     a customer, ids ordered by creation time
  sk `SETTINGS`          the tenant's settings
  sk `APIKEY#<id>`       an API key as its tenant lists it: its hash, never the key
pk `APIKEY#<sha256>`, sk `APIKEY`: an API key as the authorizer finds it: its tenant, its last use.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# How many times a batch read is asked again for what the table left unread (it is throttled).
UNPROCESSED_READS = 5

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def tenant_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


def document_sk(document_id: str) -> str:
    return f"DOC#{document_id}"


def counter_sk(series: str) -> str:
    return f"COUNTER#{series}"


def number_sk(number: str) -> str:
    return f"NUMBER#{number}"


def external_ref_sk(external_ref: str) -> str:
    return f"EXTREF#{external_ref}"


def order_sk(order_key: str) -> str:
    return f"ORDER#{order_key}"


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def read_items(
    client: DynamoDBClient, table: str, keys: list[dict[str, Any]], projection: str
) -> list[dict[str, Any]]:
    """The items of `keys` that exist (at most 100), strongly consistent, in one BatchGetItem unless
    the table is throttled."""
    request: dict[str, Any] = {
        table: {"Keys": keys, "ConsistentRead": True, "ProjectionExpression": projection}
    }
    found: list[dict[str, Any]] = []
    for attempt in range(UNPROCESSED_READS):
        answer = client.batch_get_item(RequestItems=request)
        found += map(from_item, answer.get("Responses", {}).get(table, []))
        request = dict(answer.get("UnprocessedKeys") or {})
        if not request:
            return found
        time.sleep(0.05 * 2**attempt)  # what the table left unread, again shortly
    raise TimeoutError("the table is throttled: some items could not be read")
