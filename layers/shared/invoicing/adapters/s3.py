"""Rendered documents in S3: written once, handed out through short-lived SigV4 presigned links."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from invoicing.adapters.aws import error_code

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from invoicing.services.ports import Disposition

LINK_LIFETIME_SECONDS = 15 * 60


class DocumentStore:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def put_once(
        self, key: str, body: bytes, content_type: str, *, retain_until: datetime | None = None
    ) -> bool:
        """Write unless the key exists (a finalized document is never overwritten); True if written.
        With `retain_until`, the version is under Object Lock in compliance mode until then."""
        lock: dict[str, Any] = (
            {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": retain_until}
            if retain_until
            else {}
        )
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=body, ContentType=content_type, IfNoneMatch="*", **lock
            )
        except ClientError as error:
            if error_code(error) in {"PreconditionFailed", "412"}:
                return False
            raise
        return True

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error_code(error) in {"NoSuchKey", "404"}:
                return None
            raise

    def link(self, key: str, *, filename: str, disposition: Disposition) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f'{disposition}; filename="{filename}"',
            },
            ExpiresIn=LINK_LIFETIME_SECONDS,
        )
