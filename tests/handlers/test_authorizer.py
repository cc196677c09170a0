"""The API key authorizer: a key maps to its tenant; anything else is API Gateway's 401."""

import copy
import os

import boto3
import pytest

from invoicing.bootstrap import from_environment
from invoicing.services.api_keys import hash_api_key
from invoicing.services.tenants import create_tenant
from tests.support.lambdas import context, handler_module, sample_event


def authorize(authorization: str | None) -> dict:
    event = copy.deepcopy(sample_event("authorizer"))
    event["headers"].pop("Authorization")
    if authorization is not None:
        event["headers"]["authorization"] = authorization
    return handler_module("authorizer").handler(event, context("authorizer"))


@pytest.fixture
def tenant(aws):
    return create_tenant(from_environment().tenants, "Atelier")


def test_a_valid_key_allows_every_route_for_its_tenant(tenant):
    policy = authorize(f"Bearer {tenant.api_key}")
    assert policy["principalId"] == tenant.tenant_id
    assert policy["context"] == {"tenant_id": tenant.tenant_id}
    statement = policy["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:eu-west-3:123456789012:a1b2c3d4e5/api/*/*"]


def test_the_scheme_is_case_insensitive(tenant):
    assert authorize(f"bearer {tenant.api_key}")["principalId"] == tenant.tenant_id


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer sk_unknown", "Basic dXNlcjpwYXNz", "Bearer " + "sk_" + "a" * 5000, "sk_x"],
)
def test_anything_but_a_known_key_is_unauthorized(tenant, authorization):
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(authorization)


def test_keys_are_stored_only_as_their_hash(tenant):
    items = boto3.client("dynamodb").scan(TableName=os.environ["TABLE_NAME"])["Items"]
    stored = repr(items)
    assert tenant.api_key not in stored
    assert hash_api_key(tenant.api_key) in stored


def test_each_authorization_records_the_keys_last_use(tenant):
    tenants = from_environment().tenants
    (before,) = tenants.api_keys(tenant.tenant_id)
    assert before.last_used_at is None
    authorize(f"Bearer {tenant.api_key}")
    (after,) = tenants.api_keys(tenant.tenant_id)
    assert after.last_used_at is not None
    assert after.last_used_at >= after.created_at
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize("Bearer sk_unknown")
    items = boto3.client("dynamodb").scan(TableName=os.environ["TABLE_NAME"])["Items"]
    assert len([item for item in items if item["pk"]["S"].startswith("APIKEY#")]) == 1, "no key made"
