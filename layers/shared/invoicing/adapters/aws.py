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

# Fail fast inside a Lambda's time budget; the numbering loop does its own retries. The local
# stack's moto answers one request at a time, far slower than DynamoDB under a burst: it gives
# its functions a longer read timeout (AWS_READ_TIMEOUT_SECONDS).
_CONFIG = Config(
    connect_timeout=2,
    read_timeout=float(os.environ.get("AWS_READ_TIMEOUT_SECONDS", "5")),
    retries={"mode": "standard", "max_attempts": 3},
)


@cache
def session() -> boto3.Session:
    """The session every client of this environment is made from: its credentials, its loaded
    service models."""
    return boto3.Session()


def renew_session() -> None:
    """A new session and new clients, keeping the service models the old one had loaded: an
    environment restored from a SnapStart snapshot must not use the credentials or the
    connections of the environment the snapshot was taken in."""
    loader = session()._session.get_component("data_loader")
    for client in CLIENTS:
        client.cache_clear()
    session.cache_clear()
    session()._session.register_component("data_loader", loader)


@cache
def dynamodb() -> DynamoDBClient:
    return session().client("dynamodb", config=_CONFIG)


@cache
def s3() -> S3Client:
    # SigV4 presigned URLs, path-style when an endpoint override (the local stack) is set.
    addressing: Literal["path", "auto"] = "path" if os.environ.get("AWS_ENDPOINT_URL") else "auto"
    return session().client(
        "s3", config=_CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": addressing}))
    )


@cache
def events() -> EventBridgeClient:
    return session().client("events", config=_CONFIG)


@cache
def kms() -> KMSClient:
    return session().client("kms", config=_CONFIG)


@cache
def sqs() -> SQSClient:
    return session().client("sqs", config=_CONFIG)


CLIENTS = (dynamodb, s3, events, kms, sqs)


def error_code(error: ClientError) -> str:
    """The AWS error code of a failed call, such as ConditionalCheckFailedException."""
    return str(error.response.get("Error", {}).get("Code", ""))
