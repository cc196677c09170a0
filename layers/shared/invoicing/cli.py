"""The operators' commands, on real AWS or, with AWS_ENDPOINT_URL set, on the local stack.

`invoicing tenant create --name NAME`: a tenant and its API key, printed once as JSON, in the table
named by --table or TABLE_NAME (the stack's InvoicesTableName output).
`invoicing webhooks replay`: the deliveries the dead-letter queue holds, sent back to be processed
(--queue and --dead-letter-queue, or the stack's WebhookQueueUrl and WebhookDeadLetterQueueUrl
outputs as WEBHOOK_QUEUE_URL and WEBHOOK_DEAD_LETTER_QUEUE_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from invoicing.adapters import aws
from invoicing.adapters.dynamodb.tenants import TenantTable
from invoicing.adapters.sqs import DeliveryQueue
from invoicing.services.tenants import create_tenant

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
    return parser


def _replay(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not args.queue or not args.dead_letter_queue:
        parser.error("--queue and --dead-letter-queue (or their environment variables) are required")
    moved = DeliveryQueue(aws.sqs(), args.queue).move_from(args.dead_letter_queue, limit=args.limit)
    json.dump({"replayed": moved}, sys.stdout)
    sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.resource == "webhooks":
        return _replay(parser, args)
    name = args.name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        parser.error(f"--name must be 1 to {MAX_NAME_LENGTH} printable characters")
    if not args.table:
        parser.error("--table or TABLE_NAME is required: the stack's InvoicesTableName output")
    tenant = create_tenant(TenantTable(aws.dynamodb(), args.table), name)
    json.dump({"tenant_id": tenant.tenant_id, "api_key": tenant.api_key}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
