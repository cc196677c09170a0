"""`make invoke FUNCTION=<logical id> EVENT=<file>`: `sam local invoke` without Docker. The template's
function runs in a fresh execution environment, with the template's environment naming the running
local stack's resources (`make serve`), and its response is printed as Lambda returns it.

    make invoke FUNCTION=FinalizeInvoiceFunction EVENT=events/finalize_invoice.json
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from devserver.lambdas import FunctionPool, InvocationError
from devserver.stack import ROOT, function_environment
from devserver.template import Template

STATE_FILE = "stack.json"


@dataclass(frozen=True)
class StackState:
    """What a running local stack tells its tools: where moto is, what its resources are called."""

    moto_endpoint: str
    resources: dict[str, str]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path: Path) -> StackState:
        return cls(**json.loads(path.read_text()))


def sample_events() -> list[Path]:
    """events/, in an order each can run in against a fresh local stack: a queued delivery is
    processed once the receiver has recorded it."""
    last = ["webhook_delivery_queued.json"]
    events = sorted(path for path in (ROOT / "events").glob("*.json") if path.name not in last)
    return events + [ROOT / "events" / name for name in last]


def function_of(template: Template, event: dict[str, Any]) -> str:
    """The function the template has receive such an event: by route, authorizer or queue."""
    if event.get("type") == "REQUEST":
        return template.authorizer()[0]
    if "Records" in event:
        queue_name = event["Records"][0]["eventSourceARN"].rsplit(":", 1)[1]
        (function,) = [
            source.function for source in template.queue_sources() if f"-{source.queue}." in queue_name
        ]
        return function
    (function,) = [
        route.function
        for route in template.routes
        if (route.method, route.resource) == (event["httpMethod"], event["resource"])
    ]
    return function


def invoke(
    template: Template, function_name: str, event: dict[str, Any], state: StackState
) -> dict[str, Any]:
    """The function's response; a failure as Lambda reports it (`errorMessage`, `errorType`)."""
    environment = function_environment(template, function_name, state.resources, state.moto_endpoint)
    pool = FunctionPool(template.function(function_name), environment)
    try:
        return {"response": pool.invoke(event)}
    except InvocationError as error:
        return {"errorMessage": str(error).strip().splitlines()[-1], "errorType": "Unhandled"}
    finally:
        pool.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("function", help="the function's logical id in template.yaml")
    parser.add_argument(
        "event", type=Path, help="the event, a JSON file (events/ holds one or more per function)"
    )
    parser.add_argument("--state-dir", type=Path, default=ROOT / ".devserver")
    args = parser.parse_args(argv)

    template = Template.load(ROOT / "template.yaml")
    functions = template.of_type("AWS::Serverless::Function")
    if args.function not in functions:
        parser.error(
            f"no function {args.function} in template.yaml; its functions: {', '.join(sorted(functions))}"
        )
    try:
        event = json.loads(args.event.read_text())
    except (OSError, ValueError) as error:
        parser.error(f"{args.event}: {error}")
    state_file = args.state_dir / STATE_FILE
    if not state_file.exists():
        parser.error("no local stack is running: start it first with `make serve` (in another terminal)")
    outcome = invoke(template, args.function, event, StackState.read(state_file))
    json.dump(outcome.get("response", outcome), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0 if "response" in outcome else 1


if __name__ == "__main__":
    sys.exit(main())
