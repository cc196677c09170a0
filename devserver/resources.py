"""The template's DynamoDB tables and S3 buckets, created as it declares them (keys, TTL, bucket settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from devserver.template import Template

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

REGION: Final = "eu-west-3"


def create_resources(
    template: Template, dynamodb: DynamoDBClient, s3: S3Client, prefix: str = "invoicing-local"
) -> dict[str, str]:
    """The template's tables and buckets, created as declared; returns logical id -> physical name."""
    names: dict[str, str] = {}
    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = f"{prefix}-{logical_id}"
        extra = (
            {"GlobalSecondaryIndexes": props["GlobalSecondaryIndexes"]}
            if "GlobalSecondaryIndexes" in props
            else {}
        )
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
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
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
    return names
