"""Lambda SnapStart: what a function's snapshot is primed with, and what each environment restored
from it makes anew.

Lambda takes the snapshot once INIT is over, when a version is published, and every environment
it restores starts from that same memory. Before the snapshot, the models the function imported
have their validators built (deferred at import: `invoicing.domain.base.Model`) and its AWS clients are
made, so that no restored environment builds them at its first request. After a restore, what
must not be shared between environments is made anew: `random` is reseeded (the retry jitter,
ours and botocore's, would be the same in every environment restored from one snapshot), and the
AWS session, its clients and the adapters holding them are replaced (the snapshot's credentials
expire, its connections are gone), keeping the service models the session had loaded.

The hooks are registered only in an INIT that SnapStart runs (`AWS_LAMBDA_INITIALIZATION_TYPE`);
elsewhere this module does nothing.
"""

from __future__ import annotations

import gc
import os
import random
from collections.abc import Callable, Iterator

from pydantic import BaseModel

from invoicing.adapters import aws
from invoicing.bootstrap import from_environment

# The settings that say which AWS services a function calls: its clients are made before the snapshot.
CLIENT_OF_SETTING: dict[str, Callable[[], object]] = {
    "TABLE_NAME": aws.dynamodb,
    "DOCUMENTS_BUCKET": aws.s3,
    "WEBHOOK_QUEUE_URL": aws.sqs,
    "PLATFORM_QUEUE_URL": aws.sqs,
    "EVENT_BUS_NAME": aws.events,
    "WEBHOOK_KEY_ID": aws.kms,
}
_forgotten_on_restore: list[Callable[[], None]] = [from_environment.cache_clear]


def under_snapstart() -> bool:
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


def forget_on_restore(cache_clear: Callable[[], None]) -> None:
    """Something made once per environment that holds an AWS client: made again after a restore."""
    _forgotten_on_restore.append(cache_clear)


def deferred_models(base: type[BaseModel] = BaseModel) -> Iterator[type[BaseModel]]:
    """The package's models imported so far whose validators are not built yet."""
    for model in base.__subclasses__():
        if model.__module__.startswith("invoicing.") and not model.__pydantic_complete__:
            yield model
        yield from deferred_models(model)


def prime() -> None:
    """Before the snapshot: the validators of the models this function imported, and its clients."""
    for model in list(deferred_models()):
        model.model_rebuild()
    for setting, client in CLIENT_OF_SETTING.items():
        if os.environ.get(setting):
            client()
    gc.collect()
    gc.freeze()  # what priming built lives as long as INIT's: no collection after a restore walks it


def renew() -> None:
    """After a restore: fresh randomness, a fresh session and everything made from the old one."""
    random.seed()
    aws.renew_session()
    for cache_clear in _forgotten_on_restore:
        cache_clear()


def register_hooks() -> None:
    if under_snapstart():
        from snapshot_restore_py import register_after_restore, register_before_snapshot  # noqa: PLC0415

        register_before_snapshot(prime)
        register_after_restore(renew)
