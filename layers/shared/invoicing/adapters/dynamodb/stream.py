"""The table's stream, as Lambda hands its records over: which changes are a document's, which a
shop delivery's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from invoicing.adapters.dynamodb.deliveries import LOG
from invoicing.adapters.dynamodb.table import tenant_pk
from invoicing.domain.events import DELIVERY_FIELDS, LIFECYCLE_FIELDS, SUMMARY_FIELDS
from invoicing.services.ports import DeliveryChange, DocumentChange

_TENANT = tenant_pk("")
_DOCUMENT = "DOC#"


def document_change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> DocumentChange | None:
    """The change a record's images (already deserialized) show, if the item is a document's: what a
    document's summary was and is, none of the storage's own attributes."""
    item = new or old or {}
    pk, sk = str(item.get("pk", "")), str(item.get("sk", ""))
    if not pk.startswith(_TENANT) or not sk.startswith(_DOCUMENT):
        return None
    return DocumentChange(pk.removeprefix(_TENANT), _summary(old), _summary(new))


def _summary(image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return {name: image.get(name) for name in SUMMARY_FIELDS + LIFECYCLE_FIELDS} if image else None


def delivery_change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> DeliveryChange | None:
    """The change the images show, if the item is a delivery's record: status, reason, attempts."""
    item = new or old or {}
    pk, sk = str(item.get("pk", "")), str(item.get("sk", ""))
    if not pk.startswith(_TENANT) or not sk.startswith(LOG):
        return None
    return DeliveryChange(pk.removeprefix(_TENANT), _delivery(old), _delivery(new))


def _delivery(image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not image:
        return None
    return {name: image.get(name) for name in (*DELIVERY_FIELDS, "status")} | {
        "attempts": int(image.get("attempts") or 0)
    }
