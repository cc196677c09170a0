"""What the SAM transform makes of template.yaml (`tests/support/sam_transform.py`): every caller of a
function calls its alias `live`, and SnapStart is on where a caller waits, as the parameter says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.sam_transform import expanded_resources

WAITED_ON = {
    "AuthorizerFunction",
    "CreateInvoiceFunction",
    "FinalizeInvoiceFunction",
    "CreditNotesFunction",
    "DownloadInvoiceFunction",
    "EditDraftsFunction",
    "QuotesFunction",
    "PaymentsFunction",
    "CustomersFunction",
    "ApiKeysFunction",
    "ReadApiFunction",
    "WebhookEndpointsFunction",
    "WebhookReceiverFunction",
    "EInvoicingFunction",
    "EReportingFunction",
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return expanded_resources()


def of_type(resources: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in resources.values() if resource["Type"] == kind]


def test_the_api_the_authorizer_and_every_event_source_call_the_alias(resources: dict[str, Any]) -> None:
    functions = {name for name, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    aliases = {props["FunctionName"]["Ref"] for props in of_type(resources, "AWS::Lambda::Alias")}
    assert aliases == functions
    (api,) = of_type(resources, "AWS::ApiGateway::RestApi")
    body = json.dumps(api["Body"])
    assert "Aliaslive" in body
    assert not any(f"{name}.Arn" in body for name in functions)  # no integration or authorizer on $LATEST
    callers = (
        [props["FunctionName"] for props in of_type(resources, "AWS::Lambda::EventSourceMapping")]
        + [props["FunctionName"] for props in of_type(resources, "AWS::Lambda::Permission")]
        + [target["Arn"] for props in of_type(resources, "AWS::Events::Rule") for target in props["Targets"]]
    )
    assert callers
    assert all(caller["Ref"].endswith("Aliaslive") for caller in callers), callers


def test_snapstart_is_on_where_a_caller_waits_and_the_parameter_turns_it_off(
    resources: dict[str, Any],
) -> None:
    snapstart = {
        name: resource["Properties"].get("SnapStart")
        for name, resource in resources.items()
        if resource["Type"] == "AWS::Lambda::Function"
    }
    assert {name for name, setting in snapstart.items() if setting is not None} == WAITED_ON
    # CloudFormation resolves the condition at deployment: SnapStart=Off gives ApplyOn None.
    for name in WAITED_ON:
        assert snapstart[name] == {
            "Fn::If": ["SnapStartOn", {"ApplyOn": "PublishedVersions"}, {"ApplyOn": "None"}]
        }, name
