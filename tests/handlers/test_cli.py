"""`invoicing tenant create` against moto: a working key, printed once, stored only as its hash."""

import json
import os

import boto3
import pytest

from invoicing.bootstrap import from_environment
from invoicing.cli import main
from invoicing.services.api_keys import tenant_of_bearer


def test_creates_a_tenant_whose_key_authenticates(aws, capsys):
    assert main(["tenant", "create", "--name", "Librairie Martin"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"tenant_id", "api_key"}
    tenants = from_environment().tenants
    assert tenant_of_bearer(tenants, f"Bearer {printed['api_key']}") == printed["tenant_id"]
    assert printed["api_key"] not in repr(boto3.client("dynamodb").scan(TableName=os.environ["TABLE_NAME"]))


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "bell\x07"])
def test_a_bad_name_is_a_usage_error(aws, name):
    with pytest.raises(SystemExit) as exited:
        main(["tenant", "create", "--name", name])
    assert exited.value.code == 2


def test_without_a_table_it_says_which_output_to_use(aws, monkeypatch, capsys):
    monkeypatch.delenv("TABLE_NAME")
    with pytest.raises(SystemExit):
        main(["tenant", "create", "--name", "x"])
    assert "InvoicesTableName" in capsys.readouterr().err
