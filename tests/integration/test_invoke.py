"""`make invoke`: every sample event of events/ runs in its function, as `sam local invoke -e` would
run it, against the running local stack and its demo tenant (the one the samples name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devserver import invoke
from devserver.demo import SAMPLE_TENANT
from devserver.invoke import STATE_FILE, StackState
from devserver.stack import ROOT, LocalStack

EVENTS = ROOT / "events"


@pytest.fixture(scope="module")
def state(stack: LocalStack, demo_key: str) -> StackState:
    return StackState(moto_endpoint=stack.moto.endpoint, resources=stack.resources)


def test_every_sample_event_invokes_its_function_without_error(stack: LocalStack, state: StackState):
    answers = {}
    for path in invoke.sample_events():
        name = path.name
        event = json.loads(path.read_text())
        outcome = invoke.invoke(stack.template, invoke.function_of(stack.template, event), event, state)
        assert "response" in outcome, f"{name}: {outcome}"
        answers[name] = outcome["response"]
    for name, answer in answers.items():
        if "statusCode" in answer:
            assert answer["statusCode"] < 500, f"{name}: {answer}"
    assert answers["authorizer.json"]["principalId"] == SAMPLE_TENANT
    assert answers["create_invoice.json"]["statusCode"] == 201
    assert answers["webhook_shopify_orders_paid.json"]["statusCode"] == 200, "the demo's endpoint took it"
    assert answers["webhook_woocommerce_order_updated.json"]["statusCode"] == 200
    assert answers["webhook_delivery_queued.json"] == {"batchItemFailures": []}


def test_make_invoke_prints_the_response(
    state: StackState, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    state.write(tmp_path / STATE_FILE)
    argv = ["CreateCustomerFunction", str(EVENTS / "create_customer.json"), "--state-dir", str(tmp_path)]
    with pytest.raises(SystemExit):
        invoke.main(argv)  # no such function: the template's names are listed
    assert "CustomersFunction" in capsys.readouterr().err
    argv[0] = "CustomersFunction"
    assert invoke.main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["statusCode"] == 201
    assert json.loads(printed["body"])["name"] == "Librairie Martin SARL"


def test_make_invoke_asks_for_the_local_stack_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        invoke.main(["CustomersFunction", str(EVENTS / "create_customer.json"), "--state-dir", str(tmp_path)])
    assert "make serve" in capsys.readouterr().err
