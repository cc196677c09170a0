"""An OTLP/HTTP collector on 127.0.0.1 that keeps what it is sent, as X-Ray's endpoint would get it."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


@dataclass
class Export:
    headers: dict[str, str]  # by lower-case name
    request: ExportTraceServiceRequest

    @property
    def span_names(self) -> list[str]:
        return [
            span.name
            for spans in self.request.resource_spans
            for scope in spans.scope_spans
            for span in scope.spans
        ]


@dataclass
class Collector:
    url: str
    exports: list[Export] = field(default_factory=list)


@contextmanager
def otlp_collector() -> Iterator[Collector]:
    collector = Collector(url="")

    class Receive(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {name.lower(): value for name, value in self.headers.items()}
            if headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            collector.exports.append(Export(headers, ExportTraceServiceRequest.FromString(body)))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receive)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    collector.url = f"http://127.0.0.1:{server.server_port}/v1/traces"
    try:
        yield collector
    finally:
        server.shutdown()
        server.server_close()
