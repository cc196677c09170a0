"""What the SAM transform makes of template.yaml, expanded by AWS's own translator: every caller of a
function calls its alias `live`, and SnapStart is on where a caller waits, as the parameter says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
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


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def expanded(monkeypatch: pytest.MonkeyPatch, **parameters: str) -> dict[str, Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    # The translator wants packaged code; where it lives changes nothing of what calls what.
    text = re.sub(
        r"(CodeUri|ContentUri): \S+", r"\1: s3://artifacts/code.zip", (ROOT / "template.yaml").read_text()
    )
    resources: dict[str, Any] = transform(yaml_parse(text), parameters, _NoManagedPolicies())["Resources"]
    return resources


def of_type(resources: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in resources.values() if resource["Type"] == kind]


def test_the_api_the_authorizer_and_every_event_source_call_the_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resources = expanded(monkeypatch)
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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resources = expanded(monkeypatch)
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
