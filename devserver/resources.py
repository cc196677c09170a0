"""The template's resources, created as it declares them: DynamoDB tables (keys, TTL), S3 buckets
(versioning, encryption, public access), the KMS key, and SQS queues (FIFO, redrive to their DLQ)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from devserver.template import Template

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

REGION: Final = "eu-west-3"


def create_resources(
    template: Template, client: Callable[[str], Any], prefix: str = "invoicing-local"
) -> dict[str, str]:
    """The template's resources, created as declared; returns logical id -> what `!Ref` gives (a
    table's or bucket's name, a key's id, a queue's URL)."""
    dynamodb: DynamoDBClient = client("dynamodb")
    s3: S3Client = client("s3")
    names: dict[str, str] = {}
    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = f"{prefix}-{logical_id}"
        extra: dict[str, Any] = (
            {"GlobalSecondaryIndexes": props["GlobalSecondaryIndexes"]}
            if "GlobalSecondaryIndexes" in props
            else {}
        )
        if "StreamSpecification" in props:
            extra["StreamSpecification"] = {"StreamEnabled": True} | props["StreamSpecification"]
        dynamodb.create_table(
            TableName=name,
            KeySchema=props["KeySchema"],
            AttributeDefinitions=props["AttributeDefinitions"],
            BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
            **extra,
        )
        if "TimeToLiveSpecification" in props:
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification=props["TimeToLiveSpecification"]
            )
        names[logical_id] = name
    for logical_id, resource in template.of_type("AWS::S3::Bucket").items():
        props = resource["Properties"]
        name = f"{prefix}-{logical_id}".lower()
        s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": REGION},
            ObjectLockEnabledForBucket=bool(props.get("ObjectLockEnabled")),
        )
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        if "BucketEncryption" in props:
            s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {  # CloudFormation and the S3 API name this property differently
                            "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                            "BucketKeyEnabled": rule.get("BucketKeyEnabled", False),
                        }
                        for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
                    ]
                },
            )
        names[logical_id] = name
    for logical_id in template.of_type("AWS::Events::EventBus"):
        names[logical_id] = f"{prefix}-{logical_id}"
        client("events").create_event_bus(Name=names[logical_id])
    for logical_id in template.of_type("AWS::KMS::Key"):
        names[logical_id] = client("kms").create_key(Description=logical_id)["KeyMetadata"]["KeyId"]
    names |= _create_queues(template, client("sqs"), prefix)
    return names


def _create_queues(template: Template, sqs: Any, prefix: str) -> dict[str, str]:
    """Queues without a redrive policy first, so that the others can name them as dead-letter queues."""
    queues = template.of_type("AWS::SQS::Queue")
    urls: dict[str, str] = {}
    for logical_id, resource in sorted(
        queues.items(), key=lambda item: "RedrivePolicy" in item[1]["Properties"]
    ):
        props = resource["Properties"]
        fifo = bool(props.get("FifoQueue"))
        attributes = {
            name: str(props[name]).lower() if isinstance(props[name], bool) else str(props[name])
            for name in (
                "FifoQueue",
                "ContentBasedDeduplication",
                "VisibilityTimeout",
                "MessageRetentionPeriod",
            )
            if name in props
        }
        if "RedrivePolicy" in props:
            policy = props["RedrivePolicy"]
            target = policy["deadLetterTargetArn"]["Fn::GetAtt"][0]
            arn = sqs.get_queue_attributes(QueueUrl=urls[target], AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": int(policy["maxReceiveCount"])}
            )
        name = f"{prefix}-{logical_id}" + (".fifo" if fifo else "")
        urls[logical_id] = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return urls
