"""`make bench`: prints the table and writes it, with the machine it ran on, to docs/bench.md."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import api, calls, carts, e_invoicing, e_reporting, imports, layers, memory, render, webhooks
from devserver.stack import LocalStack

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "bench.md"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def main() -> None:
    rows = layers.measure() + imports.measure() + render.measure()
    # The bench measures our code, not the limits a deployment sets: each key may send what it can.
    stack = LocalStack(port=0, parameters={"RequestsPerMinutePerKey": "1000000"})
    stack.start()
    try:
        rows += api.latency(stack) + api.listing(stack) + api.throughput(stack) + webhooks.measure(stack)
        rows += e_invoicing.measure(stack) + memory.measure(stack)
    finally:
        stack.stop()
    rows += calls.measure() + e_reporting.measure() + carts.measure()
    table = ["| measure | figure | ratio to its baseline | note |", "|---|---|---|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    report = "\n".join(
        [
            "# Benchmarks",
            "",
            f"Measured by `make bench` on {machine()}.",
            "",
            "Each ratio divides a figure by the baseline measured just before it in the same run; the",
            "machines are shared and noisy, so compare ratios, not absolute times. Latencies go through the",
            "local stack (gateway, authorizer, one process per function environment, moto behind its lock).",
            "",
            *table,
            "",
        ]
    )
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(report)
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
