"""An approved platform's Flow Service (AFNOR XP Z12-013, version 1.3): flows submitted as multipart
(`flowInfo` and the file), searched by tracking id and by update time, read back, and the webhook
subscriptions that call us when a flow changes. Calls carry an OAuth2 client-credentials token,
kept until shortly before it expires; a failed connection or a 429/503 is retried with backoff
(a POST only when the platform cannot have taken it), and what is left is PlatformUnavailable.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.fields import RequestField
from urllib3.filepost import encode_multipart_formdata
from urllib3.util import Retry, Timeout

from invoicing.adapters.remote_files import is_public_address, resolve_host
from invoicing.services.ports import AckStatus, FlowSyntax, PlatformFlow, PlatformRefused, PlatformUnavailable

TIMEOUT: Final = Timeout(connect=3.0, read=15.0)
TOKEN_MARGIN_SECONDS = 60
MAX_FILE_BYTES = 10 * 1024 * 1024
SEARCH_PAGES = 20
CONTENT_TYPES: Final[dict[FlowSyntax, str]] = {
    "Factur-X": "application/pdf",
    "UBL": "application/xml",
    "CII": "application/xml",
    "CDAR": "application/xml",
    "FRR": "application/xml",
}
# The flow type of what we submit, when the platform's answer does not say it: an e-reporting
# flow holds several kinds of report (10.1 with 10.3, 10.2 with 10.4).
SUBMITTED_FLOW_TYPES: Final[dict[FlowSyntax, str]] = {"CDAR": "CustomerInvoiceLC", "FRR": "MultiFlowReport"}
EPOCH = "1970-01-01T00:00:00Z"


class FlowServicePlatforms:
    """Opens a tenant's platform; only https and public addresses, unless the local stack allows its
    own emulator on loopback."""

    def __init__(self, *, allow_loopback: bool = False) -> None:
        self._allow_loopback = allow_loopback
        self._http = urllib3.PoolManager(num_pools=20, maxsize=4, timeout=TIMEOUT)
        self._tokens: dict[tuple[str, str], tuple[float, str]] = {}
        self._lock = threading.Lock()

    def open(self, url: str, token_url: str, client_id: str, client_secret: str) -> FlowService:
        for each in (url, token_url):
            self._check(each)
        return FlowService(self, url.rstrip("/"), token_url, client_id, client_secret)

    def _check(self, url: str) -> None:
        parts = urlsplit(url)
        loopback = (
            self._allow_loopback and parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost"}
        )
        if loopback:
            return
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"a platform is called over https: {url[:200]!r}")
        try:
            addresses = resolve_host(parts.hostname, parts.port or 443)
        except OSError:
            raise ValueError(f"{parts.hostname[:100]!r} does not resolve") from None
        if not addresses or not all(is_public_address(address) for address in addresses):
            raise ValueError(f"{parts.hostname[:100]!r} is not a public address")

    def token(self, token_url: str, client_id: str, client_secret: str, *, fresh: bool = False) -> str:
        cache_key = (token_url, client_id)
        with self._lock:
            cached = self._tokens.get(cache_key)
        if cached is not None and not fresh and cached[0] > time.monotonic():
            return cached[1]
        response = self.request(
            "POST",
            token_url,
            body=urlencode(
                {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            retry_post=True,
        )
        if response.status in (400, 401, 403):
            raise PlatformRefused(f"the token endpoint refused the client ({response.status})")
        _raise_for(response)
        values = _json(response)
        access, lifetime = values.get("access_token"), values.get("expires_in", 300)
        if not isinstance(access, str) or not access:
            raise PlatformUnavailable("the token endpoint gave no access_token")
        expires = time.monotonic() + max(0.0, float(lifetime) - TOKEN_MARGIN_SECONDS)
        with self._lock:
            self._tokens[cache_key] = (expires, access)
        return access

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        retry_post: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        """One call, retried on what says the platform did not take it."""
        retries = Retry(
            total=3,
            connect=3,
            read=0 if method == "POST" and not retry_post else 2,
            status=2,
            backoff_factor=0.25,
            status_forcelist=(429, 503),
            allowed_methods=None,
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        try:
            return self._http.request(
                method,
                url,
                body=body,
                headers=headers,
                retries=retries,
                preload_content=False,
                redirect=False,
            )
        except HTTPError as error:
            raise PlatformUnavailable(
                f"{urlsplit(url).hostname} did not answer: {type(error).__name__}"
            ) from None


class FlowService:
    """One tenant's platform, called with its client's token."""

    def __init__(
        self, platforms: FlowServicePlatforms, url: str, token_url: str, client_id: str, client_secret: str
    ) -> None:
        self._platforms = platforms
        self._url = url
        self._credentials = (token_url, client_id, client_secret)

    def submit(
        self, name: str, body: bytes, *, tracking_id: str, syntax: FlowSyntax, processing_rule: str
    ) -> PlatformFlow:
        info = {
            "trackingId": tracking_id,
            "name": name[:255],
            "flowSyntax": syntax,
            "processingRule": processing_rule,
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        info_part = RequestField("flowInfo", json.dumps(info))
        info_part.make_multipart(content_type="application/json")
        file_part = RequestField("file", body, filename=name[:255])
        file_part.make_multipart(content_type=CONTENT_TYPES[syntax])
        payload, content_type = encode_multipart_formdata([info_part, file_part])
        submitted = _json(self._call("POST", "/v1/flows", body=payload, content_type=content_type))
        # The answer (FullFlowInfo) is the flow as taken: its acknowledgement comes later.
        return _flow(
            submitted
            | {
                "flowType": submitted.get("flowType") or SUBMITTED_FLOW_TYPES.get(syntax, "CustomerInvoice"),
                "flowDirection": "Out",
                "acknowledgement": {"status": "Pending"},
            }
        )

    def find(self, tracking_id: str) -> PlatformFlow | None:
        page = self._search({"trackingId": tracking_id}, limit=1, cursor=None)
        results = page.get("results") or []
        return _flow(results[0]) if results else None

    def flow(self, flow_id: str) -> PlatformFlow:
        return _flow(_json(self._call("GET", f"/v1/flows/{_segment(flow_id)}")))

    def original(self, flow_id: str) -> bytes:
        response = self._call("GET", f"/v1/flows/{_segment(flow_id)}?docType=Original")
        body = response.read(MAX_FILE_BYTES + 1)
        if len(body) > MAX_FILE_BYTES:
            raise PlatformRefused(f"the flow's file is over {MAX_FILE_BYTES} bytes")
        return body

    def updated_after(self, moment: datetime | None) -> list[PlatformFlow]:
        where = {
            "updatedAfter": moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else EPOCH
        }
        flows, cursor = [], None
        for _ in range(SEARCH_PAGES):
            page = self._search(where, limit=100, cursor=cursor)
            flows += [_flow(result) for result in page.get("results") or []]
            cursor = page.get("nextCursor")
            if not cursor:
                break
        return sorted(flows, key=lambda flow: flow.updated_at)

    def subscribe(self, callback_url: str) -> tuple[str, str]:
        created = _json(self._call("POST", "/v1/webhooks", json_body={"callbackUrl": callback_url}))
        webhook_id, key = created.get("webhookId"), created.get("signingKey")
        if not isinstance(webhook_id, str) or not isinstance(key, str):
            raise PlatformUnavailable("the platform's webhook has no webhookId or signingKey")
        return webhook_id, key

    def unsubscribe(self, webhook_id: str) -> None:
        response = self._call("DELETE", f"/v1/webhooks/{_segment(webhook_id)}", missing_ok=True)
        response.drain_conn()

    def _search(self, where: dict[str, Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"where": where, "limit": limit} | ({"cursor": cursor} if cursor else {})
        return _json(self._call("POST", "/v1/flows/search", json_body=params, retry_post=True))

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        json_body: dict[str, Any] | None = None,
        retry_post: bool = False,
        missing_ok: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        if json_body is not None:
            body, content_type = json.dumps(json_body).encode(), "application/json"
        for fresh in (False, True):  # a token the platform no longer takes is fetched again, once
            token = self._platforms.token(*self._credentials, fresh=fresh)
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, */*"}
            if content_type:
                headers["Content-Type"] = content_type
            response = self._platforms.request(
                method, self._url + path, body=body, headers=headers, retry_post=retry_post
            )
            if response.status != 401:
                break
            response.drain_conn()
        if missing_ok and response.status == 404:
            return response
        _raise_for(response)
        return response


def _raise_for(response: urllib3.BaseHTTPResponse) -> None:
    if response.status < 400:
        return
    detail = response.read(2000).decode("utf-8", "replace")
    try:
        message = str(json.loads(detail).get("errorMessage") or detail)
    except (ValueError, AttributeError):
        message = detail
    if response.status >= 500 or response.status == 429:
        raise PlatformUnavailable(f"the platform answered {response.status}: {message[:200]}")
    raise PlatformRefused(f"the platform refused the call ({response.status}): {message[:200]}")


def _json(response: urllib3.BaseHTTPResponse) -> dict[str, Any]:
    try:
        values = json.loads(response.read(MAX_FILE_BYTES))
    except ValueError:
        raise PlatformUnavailable("the platform's answer is not JSON") from None
    if not isinstance(values, dict):
        raise PlatformUnavailable("the platform's answer is not a JSON object")
    return values


def _flow(values: dict[str, Any]) -> PlatformFlow:
    if not values.get("flowId"):
        raise PlatformUnavailable("the platform described a flow without its flowId")
    acknowledgement = values.get("acknowledgement") or {}
    given = acknowledgement.get("status")
    status: AckStatus = "Ok" if given == "Ok" else "Error" if given == "Error" else "Pending"
    reasons = tuple(
        f"{detail.get('reasonCode', '')}: {detail.get('reasonMessage', '')}".strip(": ")[:300]
        for detail in acknowledgement.get("details") or []
        if isinstance(detail, dict) and detail.get("level", "Error") == "Error"
    )
    try:
        updated = datetime.fromisoformat(str(values.get("updatedAt") or values.get("submittedAt")))
    except ValueError:
        updated = datetime.now(UTC)
    return PlatformFlow(
        flow_id=str(values["flowId"])[:64],
        tracking_id=str(values["trackingId"])[:64] if values.get("trackingId") else None,
        flow_type=str(values.get("flowType", "Undefined")),
        direction="In" if values.get("flowDirection") == "In" else "Out",
        ack_status=status,
        reasons=reasons[:20],
        updated_at=updated if updated.tzinfo else updated.replace(tzinfo=UTC),
    )


def _segment(value: str) -> str:
    """An id as one path segment: nothing that could climb out of it."""
    return quote(value[:64], safe="")
