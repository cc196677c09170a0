"""The README runs as written: its walkthrough's shell blocks, in order, with bash, from a checkout
of the project (its .venv and events/) and the state `make serve` leaves, against a local stack as
fresh as `make serve` makes it (its own: the figures it states, D2026-00001 say, are a first
quote's); then what it says came of them, checked through the API."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from devserver.demo import create_demo_tenant, write_state
from devserver.stack import ROOT, LocalStack
from tests.support.http import Client

README = (ROOT / "README.md").read_text()
# Every curl of the walkthrough must succeed: an HTTP refusal stops the script where it happened.
PRELUDE = """set -euo pipefail
curl() { command curl --fail-with-body --show-error "$@"; }
"""


def walkthrough_blocks() -> list[str]:
    walkthrough = README.split("\n## Walkthrough\n", 1)[1].split("\n## Other commands\n", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", walkthrough, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[LocalStack, str]]:
    """What `make serve` starts: a local stack and its demo tenant, nothing else on them."""
    local = LocalStack(port=0)
    local.start()
    try:
        yield local, create_demo_tenant(local)
    finally:
        local.stop()


@pytest.fixture(scope="module")
def ran(served: tuple[LocalStack, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    stack, demo_key = served
    checkout = tmp_path_factory.mktemp("checkout")
    for shared in (".venv", "events"):
        (checkout / shared).symlink_to(ROOT / shared)
    write_state(checkout / ".devserver", stack, demo_key)
    blocks = walkthrough_blocks()
    script = PRELUDE + "\n".join(f"echo '--- block {n}'\n{block}" for n, block in enumerate(blocks, 1))
    done = subprocess.run(
        ["bash", "-c", script], cwd=checkout, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (
        f"stopped (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def demo(served: tuple[LocalStack, str]) -> Client:
    stack, demo_key = served
    return Client(stack.url, demo_key)


def test_the_walkthrough_is_every_shell_block_before_the_other_commands():
    blocks = walkthrough_blocks()
    assert len(blocks) == 8
    commands = [line for block in blocks for line in block.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if re.search(r"<[a-z ]+>", line)], "no placeholder left to fill"


def test_every_command_runs_and_each_figure_it_states_holds(ran: str, demo: Client):
    assert ran.count("--- block") == 8
    invoices = demo.request("GET", "/v1/invoices", params={"limit": 100}).json()["data"]
    by_total = {Decimal(invoice["total_incl_tax"]): invoice for invoice in invoices}
    assert Decimal(by_total[Decimal("3720.00")]["amount_due"]) == Decimal("184.00"), (
        "the quote's final invoice"
    )
    assert by_total[Decimal("1116.00")]["status"] == "paid", "the 30 % deposit, paid"
    (quote,) = demo.request("GET", "/v1/quotes").json()["data"]
    assert (quote["number"], quote["status"]) == (f"D{date.today().year}-00001", "invoiced")
    assert '"duplicate":true' in ran.replace(" ", ""), "the second send of the Shopify order"
    shop = by_total[Decimal("34.70")]
    assert shop["status"] == "paid"
    credit_notes = [invoice for invoice in invoices if invoice["type"] == "credit_note"]
    assert credit_notes
    assert {note["status"] for note in credit_notes} == {"applied"}
