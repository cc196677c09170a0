"""`make serve`: the API on http://127.0.0.1:3000 with a demo tenant ready to use."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

import urllib3

from devserver.stack import ROOT, LocalStack
from invoicing.domain.settings import TenantSettings
from invoicing.services.tenants import create_tenant, replace_settings

DEMO_SETTINGS = {
    "seller": {
        "name": "Démo Boutique SAS",
        "legal_form": "SAS",
        "share_capital": "10 000 €",
        "address": {"line1": "10 rue de Rivoli", "postal_code": "75004", "city": "Paris", "country": "FR"},
        "siren": "552100554",
        "vat_number": "FR96552100554",
        "email": "factures@demo.example",
    },
    "payment_terms": "30",
}


def connect_demo_platform(stack: LocalStack, api_key: str) -> None:
    """The demo tenant connected to the local platform, through the API as a tenant would."""
    client_id, secret = stack.platform.register_client()
    body = {
        "url": stack.platform.url,
        "token_url": f"{stack.platform.url}/oauth/token",
        "client_id": client_id,
        "client_secret": secret,
    }
    response = urllib3.request(
        "PUT",
        f"{stack.url}/v1/e-invoicing/platform",
        json=body,
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=60,
    )
    if response.status != 200:
        raise RuntimeError(f"the demo tenant's platform was not connected: {response.data[:300]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--state-dir", type=Path, default=ROOT / ".devserver")
    args = parser.parse_args()

    stack = LocalStack(args.host, args.port)
    stack.start()
    deps = stack.dependencies()
    demo = create_tenant(deps.tenants, "Démo Boutique SAS")
    replace_settings(deps, demo.tenant_id, TenantSettings.model_validate(DEMO_SETTINGS))
    connect_demo_platform(stack, demo.api_key)

    args.state_dir.mkdir(exist_ok=True)
    state = {**stack.client_environment(), "API_URL": stack.url, "DEMO_API_KEY": demo.api_key}
    (args.state_dir / "env").write_text("".join(f"{key}={value}\n" for key, value in state.items()))
    print(
        json.dumps(
            {
                "api": stack.url,
                "moto": stack.moto.endpoint,
                "platform": stack.platform.url,
                "demo_tenant": demo.tenant_id,
            }
        )
    )
    print(
        f"""
Invoicing API on {stack.url}   (Ctrl-C stops it; the data lives in memory)
Demo tenant's API key: {demo.api_key}

  export API={stack.url} KEY={demo.api_key}
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
        (args.state_dir / "env").unlink(missing_ok=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
