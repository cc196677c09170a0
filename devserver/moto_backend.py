"""moto's server on loopback, serialized behind one lock, holding the template's tables and bucket.

moto applies a cancelled TransactWriteItems by restoring a copy of the whole table without a
lock, so concurrent requests lose each other's commits and numbering hands out duplicates.
One lock around the WSGI call makes every request atomic, as DynamoDB's are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from devserver.resources import REGION, create_resources
from devserver.template import Template

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": REGION}
_LOCAL_ACCOUNT: dict[str, Any] = {
    "region_name": REGION,
    "aws_access_key_id": "local",
    "aws_secret_access_key": "local",
}


def serialized(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    lock = threading.Lock()

    def locked(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    return locked


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """moto's traffic is the functions' business: the gateway logs the requests that matter."""


class MotoBackend:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = DomainDispatcherApplication(create_backend_app)
        self._server: BaseWSGIServer = make_server(
            host, port, serialized(app), threaded=True, request_handler=_QuietHandler
        )
        self.endpoint = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def dynamodb(self) -> DynamoDBClient:
        return boto3.client("dynamodb", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def s3(self) -> S3Client:
        return boto3.client("s3", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def create_resources(self, template: Template) -> dict[str, str]:
        return create_resources(template, self.dynamodb(), self.s3())
