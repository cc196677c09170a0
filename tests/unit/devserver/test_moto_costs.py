"""moto's transactions, copying only the items they touch: a cancelled one still leaves the table and
its stream exactly as they were, and a committed one as DynamoDB would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from devserver.moto_costs import moto_at_dynamodb_costs

TABLE = "transactions"


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    moto_at_dynamodb_costs()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-3")
        client.create_table(
            TableName=TABLE,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        yield client


def key(sk: str) -> dict[str, Any]:
    return {"pk": {"S": "T"}, "sk": {"S": sk}}


def stream_length(client: Any) -> int:
    # moto answers stream calls at the service's own host only.
    streams = boto3.client(
        "dynamodbstreams",
        region_name="eu-west-3",
        endpoint_url="https://streams.dynamodb.eu-west-3.amazonaws.com",
    )
    arn = client.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    return len(streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"])


def items(client: Any) -> dict[str, dict[str, Any]]:
    found = client.scan(TableName=TABLE)["Items"]
    return {item["sk"]["S"]: item for item in found}


def test_a_cancelled_transaction_leaves_the_table_and_its_stream_as_they_were(dynamodb: Any):
    dynamodb.put_item(TableName=TABLE, Item=key("counter") | {"n": {"N": "1"}})
    dynamodb.put_item(TableName=TABLE, Item=key("doomed") | {"n": {"N": "1"}})
    before, records = items(dynamodb), stream_length(dynamodb)
    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": key("new") | {"n": {"N": "1"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": key("counter"),
                        "UpdateExpression": "SET n = n + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
                {"Delete": {"TableName": TABLE, "Key": key("doomed")}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": key("absent"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert (items(dynamodb), stream_length(dynamodb)) == (before, records)


def test_a_committed_transaction_writes_every_item_and_its_stream_records(dynamodb: Any):
    dynamodb.put_item(TableName=TABLE, Item=key("counter") | {"n": {"N": "1"}})
    records = stream_length(dynamodb)
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": key("new") | {"n": {"N": "1"}}}},
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": key("counter"),
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    after = items(dynamodb)
    assert (after["new"]["n"], after["counter"]["n"]) == ({"N": "1"}, {"N": "2"})
    assert stream_length(dynamodb) == records + 2


def test_two_operations_on_one_item_are_refused_and_change_nothing(dynamodb: Any):
    before = items(dynamodb)
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": key("twice")}},
                {"Delete": {"TableName": TABLE, "Key": key("twice")}},
            ]
        )
    assert items(dynamodb) == before


def test_a_query_reads_its_partition_in_order_from_where_a_page_ended(dynamodb: Any):
    for partition in ("A", "T", "Z"):
        for n in (3, 1, 2, 10):
            dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": partition}, "sk": {"S": f"LOG#{n:02d}"}})
    dynamodb.put_item(TableName=TABLE, Item=key("OTHER#1"))

    def page(**options: Any) -> list[str]:
        found = dynamodb.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :log)",
            ExpressionAttributeValues={":pk": {"S": "T"}, ":log": {"S": "LOG#"}},
            **options,
        )["Items"]
        return [item["sk"]["S"] for item in found]

    assert page() == ["LOG#01", "LOG#02", "LOG#03", "LOG#10"]
    assert page(ScanIndexForward=False, Limit=2) == ["LOG#10", "LOG#03"]
    assert page(ScanIndexForward=False, ExclusiveStartKey=key("LOG#03")) == ["LOG#02", "LOG#01"]
    assert (
        dynamodb.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "none"}},
        )["Items"]
        == []
    )


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("sk = :a", {":a": "LOG#02"}, ["LOG#02"]),
        ("sk < :a", {":a": "LOG#02"}, ["LOG#01"]),
        ("sk >= :a", {":a": "LOG#03"}, ["LOG#03", "LOG#10", "OTHER#1"]),
        ("sk BETWEEN :a AND :b", {":a": "LOG#02", ":b": "LOG#10"}, ["LOG#02", "LOG#03", "LOG#10"]),
        ("begins_with(sk, :a)", {":a": "OTHER#"}, ["OTHER#1"]),
        ("begins_with(sk, :a)", {":a": "WAITING#"}, []),
    ],
)
def test_a_query_reads_what_its_sort_key_condition_says(
    dynamodb: Any, condition: str, values: dict[str, str], expected: list[str]
):
    for sk in ("LOG#03", "LOG#01", "OTHER#1", "LOG#10", "LOG#02"):
        dynamodb.put_item(TableName=TABLE, Item=key(sk) | {"status": {"S": "kept"}})
    dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "U"}, "sk": {"S": "LOG#02"}})
    found = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression=f"pk = :pk AND {condition}",
        FilterExpression="#status = :kept",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":pk": {"S": "T"}, ":kept": {"S": "kept"}}
        | {name: {"S": value} for name, value in values.items()},
    )
    assert [item["sk"]["S"] for item in found["Items"]] == expected
    assert found["ScannedCount"] == len(expected)
