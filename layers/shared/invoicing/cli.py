"""`invoicing tenant create --name NAME`: a tenant and its API key, printed once as JSON.

It writes to the table named by --table or TABLE_NAME (the stack's InvoicesTableName output), on
real AWS or, with AWS_ENDPOINT_URL set, on the local stack.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from invoicing.adapters import aws
from invoicing.adapters.dynamodb.tenants import TenantTable
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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
