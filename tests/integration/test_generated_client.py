"""A typed Python client generated from the OpenAPI document (openapi-python-client), as a user of
the API would make one: every schema and operation becomes code, the README's walkthrough written
against it passes mypy --strict, and runs on the local stack."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devserver.stack import ROOT, LocalStack
from invoicing.services.tenants import create_tenant
from tests.support.http import SETTINGS

BIN = Path(sys.executable).parent
DOCUMENT = ROOT / "layers" / "shared" / "invoicing" / "api" / "openapi.json"
WALKTHROUGH = ROOT / "tests" / "support" / "client_walkthrough.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Where the generated package lies, and what the generator said."""
    root = tmp_path_factory.mktemp("generated")
    done = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            DOCUMENT,
            "--meta",
            "none",
            "--output-path",
            root / "invoicing_client",
            "--config",
            ROOT / "tests" / "support" / "openapi_client.yaml",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root, done.stdout + done.stderr


def test_every_schema_and_operation_becomes_typed_code(generated: tuple[Path, str]):
    root, said = generated
    assert "Warning" not in said, f"the generator dropped part of the document:\n{said}"
    operations = {
        path.stem for path in (root / "invoicing_client" / "api").glob("*/*.py") if path.stem != "__init__"
    }
    document = DOCUMENT.read_text()
    assert operations == set(re.findall(r'"operationId": "(\w+)"', document))
    models = (root / "invoicing_client" / "models" / "__init__.py").read_text()
    for answered in ("InvoiceResponse", "QuoteResponse", "CustomerResponse", "CustomerOutput", "ErrorBody"):
        assert f"from .{re.sub(r'(?<!^)(?=[A-Z])', '_', answered).lower()} import {answered}" in models


def test_the_walkthrough_type_checks_against_the_client(generated: tuple[Path, str], tmp_path: Path):
    root, _ = generated
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    done = subprocess.run(
        [
            BIN / "mypy",
            "--strict",
            "--config-file",
            tmp_path / "mypy.ini",
            "--cache-dir",
            tmp_path / "cache",
            WALKTHROUGH,
        ],
        env={"MYPYPATH": str(root), "PATH": str(BIN)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def walked(generated: tuple[Path, str], stack: LocalStack) -> tuple[Any, Any]:
    """The walkthrough, for a tenant of its own (its quote is the first of its series)."""
    root, _ = generated
    sys.path.insert(0, str(root))
    try:
        walkthrough = importlib.import_module("tests.support.client_walkthrough")
        tenant = create_tenant(stack.dependencies().tenants, "Client généré SAS")
        return walkthrough.walk_through(stack.url, tenant.api_key, SETTINGS)  # type: ignore[no-any-return]
    finally:
        sys.path.remove(str(root))


def test_the_invoice_story_runs_through_the_client(walked: tuple[Any, Any]):
    story, _ = walked
    invoice, credit_note = story.invoice, story.credit_note
    assert invoice.status == "partially_paid"
    assert re.fullmatch(r"F\d{4}-\d{5}", invoice.number)
    assert invoice.id in {listed.id for listed in story.open_invoices.data}
    assert Decimal(credit_note.totals.total_incl_tax) == Decimal("11.87"), (
        "a book of 12.50, less 10 %, 5.5 % VAT"
    )
    assert (credit_note.status, Decimal(credit_note.totals.amount_due)) == ("applied", 0)
    assert credit_note.corrects.id == invoice.id
    assert Decimal(invoice.totals.amount_due) == Decimal(invoice.totals.total_incl_tax) - Decimal(
        "50.00"
    ) - Decimal("11.87")
    assert story.draft_pdf.startswith(b"%PDF-")
    assert story.pdf.startswith(b"%PDF-")
    assert story.pdf != story.draft_pdf, "the preview is watermarked, the invoice is not"
    assert b"Invoice" in story.english_html


def test_the_quote_story_runs_through_the_client(walked: tuple[Any, Any]):
    _, story = walked
    quote, deposit, final = story.quote, story.deposit, story.final_invoice
    assert (quote.number, quote.status) == (f"D{date.today().year}-00001", "invoiced")
    assert {listed.id for listed in quote.invoices} == {deposit.id, final.id}
    assert (deposit.status, Decimal(deposit.totals.total_incl_tax)) == ("paid", Decimal("1116.00"))
    assert Decimal(final.totals.total_incl_tax) == Decimal("3720.00")
    assert Decimal(final.totals.amount_due) == Decimal("184.00")
    assert final.quote.id == deposit.quote.id == quote.id
