"""The demo tenant of `make serve`: a seller ready to invoice, connected to the local platform, and
the tenant the sample events of events/ name, with the key they send and the webhook endpoints
their deliveries go to."""

from __future__ import annotations

from pathlib import Path

import urllib3

from devserver.invoke import STATE_FILE, StackState
from devserver.stack import LocalStack
from invoicing.domain.settings import TenantSettings
from invoicing.domain.webhooks.endpoints import WebhookEndpoint
from invoicing.domain.webhooks.orders import Provider
from invoicing.services.api_keys import MOST_API_KEYS, SHOWN_CHARACTERS, hash_api_key, new_api_key
from invoicing.services.identifiers import utc_now
from invoicing.services.tenants import replace_settings

SAMPLE_TENANT = "ten_0123456789abcdef0123456789abcdef"
# The placeholder key of the sample events: on the local stack only, so that `make invoke` runs them as
# they stand (the authorizer's sample included).
SAMPLE_KEY = "sk_example-key-replace-with-your-own"
# The endpoints the sample deliveries are sent to, and the secrets they are signed with.
SAMPLE_ENDPOINTS: dict[str, Provider] = {
    "we_1f2e3d4c5b6a79808f7e6d5c4b3a2918": "stripe",
    "we_5a0e6c1f2b3d4e5f60718293a4b5c6d7": "shopify",
    "we_5d0c6e3a9b8f47a1a2c3d4e5f6a7b8c9": "shopify",
    "we_9a8b7c6d5e4f30211203f4e5d6c7b8a9": "woocommerce",
}
SAMPLE_SECRETS: dict[Provider, str] = {
    "stripe": "whsec_local_sample_secret",
    "shopify": "shpss_local_sample_secret",
    "woocommerce": "wc_local_sample_secret",
}
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


def create_demo_tenant(stack: LocalStack) -> str:
    """The demo tenant, made and connected; its API key (the sample key works too)."""
    deps = stack.dependencies()
    first = new_api_key("demo key")
    deps.tenants.create_tenant(SAMPLE_TENANT, "Démo Boutique SAS", first.record, hash_api_key(first.secret))
    sample = new_api_key("the sample events' key")
    sample_record = sample.record._replace(prefix=SAMPLE_KEY[:SHOWN_CHARACTERS])
    deps.tenants.add_api_key(SAMPLE_TENANT, sample_record, hash_api_key(SAMPLE_KEY), most=MOST_API_KEYS)
    replace_settings(deps, SAMPLE_TENANT, TenantSettings.model_validate(DEMO_SETTINGS))
    for endpoint_id, provider in SAMPLE_ENDPOINTS.items():
        endpoint = WebhookEndpoint(id=endpoint_id, created_at=utc_now(), provider=provider)
        sealed = deps.secrets.seal(SAMPLE_SECRETS[provider], tenant_id=SAMPLE_TENANT, endpoint_id=endpoint_id)
        deps.webhooks.put_endpoint(SAMPLE_TENANT, endpoint, sealed)
    _connect_platform(stack, first.secret)
    return first.secret


def _connect_platform(stack: LocalStack, api_key: str) -> None:
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


def write_state(state_dir: Path, stack: LocalStack, demo_key: str) -> None:
    """What the running stack leaves its tools: `env` for the shell and the CLI (the API's URL, the
    demo key, the queues...), stack.json for `make invoke`."""
    state_dir.mkdir(exist_ok=True)
    variables = {**stack.client_environment(), "API_URL": stack.url, "DEMO_API_KEY": demo_key}
    (state_dir / "env").write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
    StackState(moto_endpoint=stack.moto.endpoint, resources=stack.resources).write(state_dir / STATE_FILE)


def clear_state(state_dir: Path) -> None:
    (state_dir / "env").unlink(missing_ok=True)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
