"""boto3 clients, created once per execution environment and shared by every invocation."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

# Fail fast inside a Lambda's time budget; the numbering loop does its own retries.
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})


@cache
def dynamodb() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_CONFIG)


@cache
def s3() -> S3Client:
    # SigV4 presigned URLs, path-style when an endpoint override (the local stack) is set.
    addressing: Literal["path", "auto"] = "path" if os.environ.get("AWS_ENDPOINT_URL") else "auto"
    return boto3.client(
        "s3", config=_CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": addressing}))
    )


@cache
def events() -> EventBridgeClient:
    return boto3.client("events", config=_CONFIG)


@cache
def kms() -> KMSClient:
    return boto3.client("kms", config=_CONFIG)


@cache
def sqs() -> SQSClient:
    return boto3.client("sqs", config=_CONFIG)


def table_name() -> str:
    return os.environ["TABLE_NAME"]


def bucket_name() -> str:
    return os.environ["DOCUMENTS_BUCKET"]


def webhook_key_id() -> str | None:
    """Only the function that creates endpoints encrypts, so only it is given the key's id."""
    return os.environ.get("WEBHOOK_KEY_ID")


def archive_retention_years() -> int:
    return int(os.environ.get("ARCHIVE_RETENTION_YEARS", "10"))


def event_bus_name() -> str:
    return os.environ["EVENT_BUS_NAME"]


def webhook_queue_url() -> str:
    return os.environ["WEBHOOK_QUEUE_URL"]


def error_code(error: ClientError) -> str:
    """The AWS error code of a failed call, such as ConditionalCheckFailedException."""
    return str(error.response.get("Error", {}).get("Code", ""))
