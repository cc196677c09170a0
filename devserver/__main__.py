"""`make serve`: the API on http://127.0.0.1:3000 with a demo tenant ready to use."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from devserver.demo import SAMPLE_TENANT, clear_state, create_demo_tenant, write_state
from devserver.stack import ROOT, LocalStack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--state-dir", type=Path, default=ROOT / ".devserver")
    args = parser.parse_args()

    stack = LocalStack(args.host, args.port)
    stack.start()
    demo_key = create_demo_tenant(stack)

    write_state(args.state_dir, stack, demo_key)
    print(
        json.dumps(
            {
                "api": stack.url,
                "moto": stack.moto.endpoint,
                "platform": stack.platform.url,
                "demo_tenant": SAMPLE_TENANT,
            }
        )
    )
    print(
        f"""
Invoicing API on {stack.url}   (Ctrl-C stops it; the data lives in memory)
Demo tenant's API key: {demo_key}

  export API={stack.url} KEY={demo_key}
  curl -s -X POST $API/v1/invoices -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' -d '{{"customer": {{"name": "ACME"}},
    "lines": [{{"title": "Conseil", "unit_price": "700", "vat_rate": "20"}}]}}'
""",
        flush=True,
    )

    stopped = threading.Event()
    # SIGINT too, explicitly: a shell that starts `make serve` in the background makes it ignore SIGINT.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: stopped.set())
    try:
        stopped.wait()
    finally:
        stack.stop()
        clear_state(args.state_dir)
    sys.exit(0)


if __name__ == "__main__":
    main()
