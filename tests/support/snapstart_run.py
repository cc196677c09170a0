"""A SnapStart life, in a fresh interpreter: a function's INIT as SnapStart runs it, its hooks run as
Lambda's runtime runs them (before the snapshot in the reverse order of registration, after the
restore in that order), then a request. Prints what the test checks, as JSON.

Usage: python -m tests.support.snapstart_run <function> <sample event>
"""

from __future__ import annotations

import json
import os
import random
import sys

os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"

from snapshot_restore_py import get_after_restore, get_before_snapshot

from invoicing.adapters import aws
from invoicing.bootstrap import from_environment
from invoicing.snapstart import deferred_models
from tests.support.lambdas import (
    api_event,
    context,
    handler_module,
    moto_resources,
    new_tenant,
    use_moto_environment,
)


def main(function: str, event_name: str) -> None:
    use_moto_environment()
    with moto_resources():
        module = handler_module(function)
        report: dict[str, object] = {"deferred_at_init": len(list(deferred_models()))}
        for hook, args, kwargs in reversed(get_before_snapshot()):
            hook(*args, **kwargs)
        report["deferred_in_snapshot"] = [model.__name__ for model in deferred_models()]
        report["clients_in_snapshot"] = [c.__name__ for c in aws.CLIENTS if c.cache_info().currsize]
        session, loader = aws.session(), aws.session()._session.get_component("data_loader")
        dependencies = from_environment()
        snapshot_random = random.getstate()

        os.environ["AWS_ACCESS_KEY_ID"] = "restored"  # what the restored environment is given
        for hook, args, kwargs in get_after_restore():
            hook(*args, **kwargs)
        expected = random.Random()
        expected.setstate(snapshot_random)
        report["random_as_in_snapshot"] = random.random() == expected.random()
        report["new_session"] = aws.session() is not session
        report["same_service_models"] = aws.session()._session.get_component("data_loader") is loader
        report["new_dependencies"] = from_environment() is not dependencies
        credentials = aws.session().get_credentials()
        report["access_key"] = credentials.access_key if credentials else None
        response = module.handler(api_event(event_name, tenant=new_tenant()), context(function))
        report["status"] = response["statusCode"]
        report["client_key"] = aws.dynamodb()._request_signer._credentials.access_key
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
