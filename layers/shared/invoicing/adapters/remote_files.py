"""Fetching a client's file from an https URL without letting the URL reach inside our network.

The host is resolved once and every address it resolves to must be a public one (no loopback,
private, link-local such as 169.254.169.254, shared, multicast or reserved range); the connection
then goes to that very address, with the certificate checked against the host name, so a DNS answer
that changes between check and use (rebinding) cannot redirect it. Redirects are not followed, and
the download stops at a size limit and an overall deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import HTTPError

from invoicing.services.ports import FileRefused

Resolver = Callable[[str, int], list[str]]
FIELD = "file_url"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
_CHUNK = 64 * 1024


def resolve_host(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class PublicHttpsFiles:
    resolve: Resolver = resolve_host
    allowed: Callable[[str], bool] = is_public_address
    ca_certs: str | None = None
    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT_SECONDS

    def fetch(self, url: str) -> bytes:
        """The body that `url` serves with a 200, at most `max_bytes`, within `timeout` seconds."""
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise FileRefused("an https URL is required", field=FIELD)
        if parts.username or parts.password:
            raise FileRefused("credentials in the URL are refused", field=FIELD)
        host, port = parts.hostname, parts.port or 443
        try:
            addresses = self.resolve(host, port)
        except (OSError, UnicodeError):
            raise FileRefused(f"the host {host!r} does not resolve", field=FIELD) from None
        if not addresses or not all(self.allowed(address) for address in addresses):
            raise FileRefused(f"the host {host!r} resolves to an address that is not public", field=FIELD)
        return self._download(addresses[0], host, port, parts.path or "/", parts.query)

    def _download(self, address: str, host: str, port: int, path: str, query: str) -> bytes:
        deadline = time.monotonic() + self.timeout
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            ca_certs=self.ca_certs,
            cert_reqs="CERT_REQUIRED",
            timeout=urllib3.Timeout(connect=min(3.0, self.timeout), read=self.timeout),
            retries=False,
            maxsize=1,
        )
        target = f"{path}?{query}" if query else path
        try:
            response = pool.urlopen(
                "GET",
                target,
                headers={"Host": host if port == 443 else f"{host}:{port}", "Accept": "application/pdf"},
                redirect=False,
                preload_content=False,
            )
            try:
                return self._read(response, deadline)
            finally:
                response.release_conn()
        except HTTPError as error:
            raise FileRefused(f"the file could not be fetched: {type(error).__name__}", field=FIELD) from None
        finally:
            pool.close()

    def _read(self, response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        if response.status != 200:
            hint = (
                ": redirects are not followed, give the file's final URL"
                if 300 <= response.status < 400
                else ""
            )
            raise FileRefused(f"the URL answered HTTP {response.status}{hint}", field=FIELD)
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large()
        body = bytearray()
        # read1 returns what has arrived, so a server trickling bytes meets the deadline too.
        while chunk := response.read1(_CHUNK):
            body += chunk
            if len(body) > self.max_bytes:
                raise self._too_large()
            if time.monotonic() > deadline:
                raise FileRefused(f"the file took over {self.timeout:g} s to download", field=FIELD)
        return bytes(body)

    def _too_large(self) -> FileRefused:
        return FileRefused(f"the file is over {self.max_bytes // (1024 * 1024)} MB", field=FIELD)
