"""moto's server on loopback, serialized behind one lock, holding the template's tables and bucket.

moto applies a cancelled TransactWriteItems by restoring a copy of the whole table without a
lock, so concurrent requests lose each other's commits and numbering hands out duplicates.
One lock around the WSGI call makes every request atomic, as DynamoDB's are; and a transaction
retried with its ClientRequestToken is answered as DynamoDB answers it (IdempotentTransactions).
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, make_server

from devserver.moto_costs import moto_at_dynamodb_costs
from devserver.resources import REGION, create_resources
from devserver.template import Template

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

# moto takes any credentials: these only keep the SDK from looking for real ones.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": REGION}  # nosec B105
_LOCAL_ACCOUNT: dict[str, Any] = {
    "region_name": REGION,
    "aws_access_key_id": "local",
    "aws_secret_access_key": "local",  # moto's placeholder  # nosec B105
}


def serialized(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    lock = threading.Lock()
    transactions = IdempotentTransactions(app)

    def locked(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return transactions(environ, start_response)

    return locked


class IdempotentTransactions:
    """TransactWriteItems made idempotent on its ClientRequestToken for 10 minutes, as DynamoDB makes
    it and moto does not: the SDK fills the token in and keeps it across its retries, so a commit
    whose answer was lost (a read timeout on a loaded machine) is answered as a success when retried,
    instead of failing on the conditions its own first attempt changed."""

    TARGET = "DynamoDB_20120810.TransactWriteItems"
    WINDOW_SECONDS = 600

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._answers: dict[str, tuple[float, str, str, list[tuple[str, str]], list[bytes]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET") != self.TARGET:
            return list(self._app(environ, start_response))
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        token = str(json.loads(body or b"{}").get("ClientRequestToken") or "")
        digest = hashlib.sha256(body).hexdigest()
        now = time.monotonic()
        self._answers = {key: answer for key, answer in self._answers.items() if answer[0] > now}
        if token in self._answers:
            _, seen, status, headers, chunks = self._answers[token]
            if seen != digest:
                start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")])
                return [b'{"__type":"com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException"}']
            start_response(status, headers)
            return chunks
        answered: dict[str, Any] = {}

        def recording(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            answered.update(status=status, headers=headers)
            return start_response(status, headers, *args)

        chunks = list(self._app(environ, recording))
        if token and str(answered.get("status", "")).startswith("200"):
            self._answers[token] = (
                now + self.WINDOW_SECONDS,
                digest,
                answered["status"],
                answered["headers"],
                chunks,
            )
        return chunks


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """moto's traffic is the functions' business: the gateway logs the requests that matter."""


def _serve(host: str, port: int, ready: Connection) -> None:
    """The moto process: its own interpreter, so its work never waits on the gateway's GIL. Ctrl-C
    is the stack's to handle: it stops moto last."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    moto_at_dynamodb_costs()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(host, port, serialized(app), threaded=True, request_handler=_QuietHandler)
    ready.send(server.server_port)
    server.serve_forever()


class MotoBackend:
    """moto in a process of its own, like the remote endpoint DynamoDB and S3 are."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(host, port, sender), name="moto", daemon=True)
        self._ready = receiver
        self._host = host
        self.endpoint = ""

    def start(self) -> None:
        self._process.start()
        if not self._ready.poll(60):
            self.stop()
            raise RuntimeError("moto's server did not start")
        self.endpoint = f"http://{self._host}:{self._ready.recv()}"

    def cpu_seconds(self) -> float:
        """The CPU time moto's process has used so far (Linux): what `make bench` weighs its load by."""
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(timeout=10)

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)  # type: ignore[call-overload]

    def dynamodb(self) -> DynamoDBClient:
        return boto3.client("dynamodb", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def s3(self) -> S3Client:
        return boto3.client("s3", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def sqs(self) -> SQSClient:
        return boto3.client("sqs", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def kms(self) -> KMSClient:
        return boto3.client("kms", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def events(self) -> EventBridgeClient:
        return boto3.client("events", endpoint_url=self.endpoint, **_LOCAL_ACCOUNT)

    def create_resources(self, template: Template) -> dict[str, str]:
        return create_resources(template, self.client)
