"""The local stack: moto with the template's resources, the functions' environments, the gateway."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from devserver.gateway import Gateway
from devserver.lambdas import FunctionPool
from devserver.moto_backend import CREDENTIALS, MotoBackend
from devserver.platform import PlatformEmulator
from devserver.polling import Poller
from devserver.queues import QueuePoller
from devserver.resources import REGION
from devserver.schedules import SchedulePoller
from devserver.streams import StreamPoller, StreamReader
from devserver.template import Template
from invoicing.bootstrap import AwsDependencies, Environment
from invoicing.observability import TRACES_ENDPOINT

ROOT = Path(__file__).resolve().parent.parent


def _resolve(value: Any, physical: dict[str, str], parameters: dict[str, Any]) -> str:
    """An environment value of the template with !Ref resolved to the local resource names."""
    if isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
        if name in physical:
            return physical[name]
        return str(parameters[name]["Default"])
    return str(value)


def function_environment(
    template: Template, function_name: str, resources: dict[str, str], moto_endpoint: str
) -> dict[str, str]:
    """A function's environment as Lambda gives it, its template variables naming the local
    resources, and AWS reached at moto."""
    function = template.function(function_name)
    # Nothing here to send traces to: the local stack's functions trace nothing, and load no tracing code.
    variables = {
        name: _resolve(value, resources, template.parameters)
        for name, value in function.environment.items()
        if name != TRACES_ENDPOINT
    }
    return {
        **CREDENTIALS,
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "POWERTOOLS_METRICS_DISABLED": os.environ.get("POWERTOOLS_METRICS_DISABLED", "true"),
        "POWERTOOLS_DEV": os.environ.get("POWERTOOLS_DEV", "false"),
        "ALLOW_LOOPBACK_PLATFORMS": "true",  # the platform emulator is on 127.0.0.1
        "AWS_READ_TIMEOUT_SECONDS": "20",  # moto, one request at a time behind its lock
        "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "shared"), os.environ.get("PYTHONPATH", "")]),
        **variables,
    }


class LocalStack:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 3000,
        template_path: Path = ROOT / "template.yaml",
        parameters: dict[str, str] | None = None,
    ):
        self.template = Template.load(template_path, parameters)
        self.moto = MotoBackend(host)
        self._host = host
        self._port = port
        self.pools: dict[str, FunctionPool] = {}
        self.resources: dict[str, str] = {}
        self._server: BaseWSGIServer | None = None
        self._gateway: Gateway | None = None
        self.pollers: list[Poller] = []
        self.stream_readers: dict[str, StreamReader] = {}
        self.platform = PlatformEmulator()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("not started: start() first")
        return f"http://{self._host}:{self._server.server_port}"

    def flush_authorizer_cache(self) -> None:
        """`aws apigateway flush-stage-authorizers-cache`: revoked keys are refused at once."""
        if self._gateway is None:
            raise RuntimeError("not started: start() first")
        self._gateway.flush_authorizer_cache()

    def environment_of(self, function_name: str) -> dict[str, str]:
        return function_environment(self.template, function_name, self.resources, self.moto.endpoint)

    def start(self) -> None:
        self.moto.start()
        self.platform.start(self._host)
        self.resources = self.moto.create_resources(self.template)
        sources = self.template.queue_sources()
        streams = self.template.stream_sources()
        schedules = self.template.schedule_sources()
        names = {route.function for route in self.template.routes} | {self.template.authorizer()[0]}
        names |= {source.function for source in sources} | {source.function for source in streams}
        names |= {source.function for source in schedules}
        for name in sorted(names):
            self.pools[name] = FunctionPool(self.template.function(name), self.environment_of(name))
        # One warm environment per function, started together, so the first requests are not cold.
        with ThreadPoolExecutor(max_workers=len(self.pools)) as executor:
            list(executor.map(lambda pool: pool.warm(), self.pools.values()))
        self.pollers = [
            QueuePoller(
                self.moto.client("sqs"),
                self.resources[source.queue],
                self.pools[source.function],
                source.batch_size,
            )
            for source in sources
        ]
        self.stream_readers = {
            table: StreamReader(
                self.moto.dynamodb(), self.moto.client("dynamodbstreams"), self.resources[table]
            )
            for table in sorted({source.table for source in streams})
        }
        self.pollers += [
            StreamPoller(
                self.stream_readers[source.table],
                self.pools[source.function],
                source.batch_size,
                patterns=source.patterns,
            )
            for source in streams
        ]
        for reader in self.stream_readers.values():
            reader.start()
        self.pollers += [SchedulePoller(self.pools[source.function]) for source in schedules]
        for poller in self.pollers:
            poller.start()
        self._gateway = Gateway(self.template, self.pools, REGION)
        self._server = make_server(self._host, self._port, self._gateway, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="gateway", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for poller in self.pollers:
            poller.stop()
        for reader in self.stream_readers.values():
            reader.stop()
        for pool in self.pools.values():
            pool.stop()
        self.platform.stop()
        self.moto.stop()

    def table_name(self) -> str:
        return self.resources["InvoicesTable"]

    def dependencies(self) -> AwsDependencies:
        """The composition root's adapters, on this stack's moto: for its own setup, tests and tools."""
        return AwsDependencies(Environment.model_validate(self.client_environment()), clients=self.moto)

    def client_environment(self) -> dict[str, str]:
        """What a CLI or test needs to reach this stack's AWS side."""
        return {
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.moto.endpoint,
            "TABLE_NAME": self.table_name(),
            "WEBHOOK_QUEUE_URL": self.resources["WebhookQueue"],
            "WEBHOOK_DEAD_LETTER_QUEUE_URL": self.resources["WebhookDeadLetterQueue"],
            "PLATFORM_QUEUE_URL": self.resources["PlatformQueue"],
            "WEBHOOK_KEY_ID": self.resources["WebhookSecretsKey"],
            "PLATFORM_URL": self.platform.url,
        }
