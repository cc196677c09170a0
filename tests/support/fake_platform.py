"""The approved platform and what the use cases keep of it, in memory: a Flow Service that records
what it is given, answers as the tenant's platform would, and can be down."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from invoicing.services.ports import (
    AckStatus,
    FlowSyntax,
    PlatformConnection,
    PlatformFlow,
    PlatformRefused,
    PlatformTask,
    PlatformUnavailable,
)


@dataclass
class Submitted:
    name: str
    body: bytes
    tracking_id: str
    syntax: FlowSyntax
    processing_rule: str


@dataclass
class FakePlatform:
    """Every tenant's platform in one: submissions, flows, subscriptions."""

    ack: AckStatus = "Ok"
    down: bool = False
    credentials: dict[str, str] = field(default_factory=lambda: {"client": "secret"})
    submitted: list[Submitted] = field(default_factory=list)
    flows: dict[str, PlatformFlow] = field(default_factory=dict)
    originals: dict[str, bytes] = field(default_factory=dict)
    webhooks: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, url: str, token_url: str, client_id: str, client_secret: str) -> FakeSession:
        if not url.startswith("https://"):
            raise ValueError("a platform is called over https")
        return FakeSession(self, authorized=self.credentials.get(client_id) == client_secret)

    def _available(self) -> None:
        if self.down:
            raise PlatformUnavailable("the platform answered 503")

    def add_flow(
        self, flow_type: str, direction: str, *, original: bytes = b"", tracking_id: str | None = None
    ) -> PlatformFlow:
        """A flow the platform has, as another party would have sent it."""
        with self._lock:
            flow = PlatformFlow(
                flow_id=f"flow-{next(self._ids)}",
                tracking_id=tracking_id,
                flow_type=flow_type,
                direction="In" if direction == "In" else "Out",
                ack_status=self.ack,
                reasons=("BR-FR-12: the buyer's electronic address is missing",)
                if self.ack == "Error"
                else (),
                updated_at=datetime.now(UTC),
            )
            self.flows[flow.flow_id] = flow
            self.originals[flow.flow_id] = original
        return flow

    def submit(
        self, name: str, body: bytes, *, tracking_id: str, syntax: FlowSyntax, processing_rule: str
    ) -> PlatformFlow:
        self._available()
        self.submitted.append(Submitted(name, body, tracking_id, syntax, processing_rule))
        flow_type = {"CDAR": "CustomerInvoiceLC", "FRR": "MultiFlowReport"}.get(syntax, "CustomerInvoice")
        return self.add_flow(flow_type, "Out", original=body, tracking_id=tracking_id)

    def find(self, tracking_id: str) -> PlatformFlow | None:
        self._available()
        return next((flow for flow in self.flows.values() if flow.tracking_id == tracking_id), None)

    def flow(self, flow_id: str) -> PlatformFlow:
        self._available()
        if flow_id not in self.flows:
            raise PlatformRefused("404: no such flow")
        return self.flows[flow_id]

    def original(self, flow_id: str) -> bytes:
        self._available()
        return self.originals[flow_id]

    def updated_after(self, moment: datetime | None) -> list[PlatformFlow]:
        self._available()
        return sorted(
            (flow for flow in self.flows.values() if moment is None or flow.updated_at > moment),
            key=lambda flow: flow.updated_at,
        )

    def subscribe(self, callback_url: str) -> tuple[str, str]:
        self._available()
        webhook_id = f"wh-{next(self._ids)}"
        self.webhooks[webhook_id] = callback_url
        return webhook_id, "c2lnbmluZy1rZXktb2YtdGhlLXBsYXRmb3JtLTMyYnl0ZXM="

    def unsubscribe(self, webhook_id: str) -> None:
        self._available()
        self.webhooks.pop(webhook_id, None)


class FakeSession:
    """The platform as one client calls it: refused at the first call without the right secret, as
    a token endpoint refuses it."""

    def __init__(self, platform: FakePlatform, *, authorized: bool) -> None:
        self._platform = platform
        self._authorized = authorized

    def __getattr__(self, name: str) -> object:
        if not self._authorized:
            raise PlatformRefused("the token endpoint refused the client (401)")
        return getattr(self._platform, name)


class FakePlatformConnections:
    def __init__(self) -> None:
        self.connections: dict[str, PlatformConnection] = {}

    def put(self, tenant_id: str, connection: PlatformConnection) -> None:
        self.connections[tenant_id] = connection

    def get(self, tenant_id: str) -> PlatformConnection | None:
        return self.connections.get(tenant_id)

    def by_id(self, connection_id: str) -> tuple[str, PlatformConnection] | None:
        return next(
            (
                (tenant, connection)
                for tenant, connection in self.connections.items()
                if connection.connection_id == connection_id
            ),
            None,
        )

    def all(self) -> list[tuple[str, PlatformConnection]]:
        return list(self.connections.items())

    def delete(self, tenant_id: str, connection_id: str) -> None:
        if tenant_id in self.connections and self.connections[tenant_id].connection_id == connection_id:
            del self.connections[tenant_id]

    def polled(self, tenant_id: str, connection_id: str, until: str) -> None:
        self.connections[tenant_id] = self.connections[tenant_id]._replace(polled_until=until)


class FakePlatformTasks:
    def __init__(self) -> None:
        self.sent: list[PlatformTask] = []

    def send(self, task: PlatformTask) -> None:
        self.sent.append(task)
