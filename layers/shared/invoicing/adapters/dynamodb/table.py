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
pk `APIKEY#<sha256>`, sk `APIKEY`: an API key's hash and its tenant (the key itself is never stored).
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

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
