"""The operators' commands, on real AWS or, with AWS_ENDPOINT_URL set, on the local stack.

`invoicing tenant create --name NAME`: a tenant and its API key, printed once as JSON, in the table
named by --table or TABLE_NAME (the stack's InvoicesTableName output).
`invoicing webhooks replay`: the deliveries the dead-letter queue holds, sent back to be processed
(--queue and --dead-letter-queue, or the stack's WebhookQueueUrl and WebhookDeadLetterQueueUrl
outputs as WEBHOOK_QUEUE_URL and WEBHOOK_DEAD_LETTER_QUEUE_URL).
`invoicing webhooks send EVENT --url URL --secret SECRET`: a sample delivery of events/, signed
afresh with the endpoint's secret (Stripe's signature holds 5 minutes), posted as the shop would.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from invoicing.bootstrap import AwsDependencies, Environment
from invoicing.services.tenants import create_tenant
from invoicing.shops.signatures import SIGNATURE_HEADERS, sign

MAX_NAME_LENGTH = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoicing", description="Administer the invoicing API.")
    resources = parser.add_subparsers(dest="resource", required=True)
    tenant = resources.add_parser("tenant", help="tenants and their API keys")
    actions = tenant.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a tenant and print its API key, shown only this once")
    create.add_argument("--name", required=True, help="the tenant's name, for its operators")
    create.add_argument("--table", default=os.environ.get("TABLE_NAME"), help="default: $TABLE_NAME")
    webhooks = resources.add_parser("webhooks", help="shop deliveries")
    webhook_actions = webhooks.add_subparsers(dest="action", required=True)
    replay = webhook_actions.add_parser("replay", help="send dead-lettered deliveries back to be processed")
    replay.add_argument(
        "--queue", default=os.environ.get("WEBHOOK_QUEUE_URL"), help="default: $WEBHOOK_QUEUE_URL"
    )
    replay.add_argument(
        "--dead-letter-queue",
        default=os.environ.get("WEBHOOK_DEAD_LETTER_QUEUE_URL"),
        help="default: $WEBHOOK_DEAD_LETTER_QUEUE_URL",
    )
    replay.add_argument("--limit", type=int, default=1000, help="at most this many (default 1000)")
    send = webhook_actions.add_parser("send", help="post a sample delivery of events/, signed afresh")
    send.add_argument(
        "event", type=Path, help="an API Gateway event of events/, such as webhook_shopify_orders_paid.json"
    )
    send.add_argument(
        "--url", required=True, help="the endpoint's url, as POST /v1/webhook-endpoints gave it"
    )
    send.add_argument(
        "--secret", help="the secret the endpoint was created with (none for an unsigned sample: a ping)"
    )
    return parser


def _send(args: argparse.Namespace) -> int:
    event = json.loads(args.event.read_text())
    body = str(event["body"]).encode()
    provider = event["pathParameters"]["provider"]
    headers = {
        name: value
        for name, value in event["headers"].items()
        if name.lower() not in {"host", "content-length"} and not name.lower().startswith("x-forwarded")
    }
    if SIGNATURE_HEADERS[provider] in headers:  # signed afresh; WooCommerce's ping is not signed at all
        if not args.secret:
            sys.stderr.write(f"{args.event.name} is signed: give the endpoint's --secret\n")
            return 2
        headers[SIGNATURE_HEADERS[provider]] = sign(provider, body, args.secret, now=time.time())
    # The operator's own URL, its scheme checked by main().
    request = urllib.request.Request(args.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            status, answer = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, answer = error.code, error.read().decode()
    sys.stdout.write(f"{status} {answer}\n")
    return 0 if status < 300 else 1


def _replay(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not args.queue or not args.dead_letter_queue:
        parser.error("--queue and --dead-letter-queue (or their environment variables) are required")
    queue = AwsDependencies(Environment(WEBHOOK_QUEUE_URL=args.queue)).deliveries
    moved = queue.move_from(args.dead_letter_queue, limit=args.limit)
    json.dump({"replayed": moved}, sys.stdout)
    sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.resource == "webhooks":
        if args.action == "send" and urllib.parse.urlsplit(args.url).scheme not in {"http", "https"}:
            parser.error("--url must be an http:// or https:// URL")
        return _send(args) if args.action == "send" else _replay(parser, args)
    name = args.name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        parser.error(f"--name must be 1 to {MAX_NAME_LENGTH} printable characters")
    if not args.table:
        parser.error("--table or TABLE_NAME is required: the stack's InvoicesTableName output")
    tenant = create_tenant(AwsDependencies(Environment(TABLE_NAME=args.table)).tenants, name)
    json.dump({"tenant_id": tenant.tenant_id, "api_key": tenant.api_key}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
