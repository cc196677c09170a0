"""An approved platform on loopback, as moto is AWS: the AFNOR XP Z12-013 Flow Service from its
published OpenAPI (flows, search, webhooks, healthcheck) behind OAuth2 client credentials, checking
what it is given as a platform does (XSD, EN 16931 and BR-FR for e-invoices; the CDAR schema and
CDV rules for status messages) a moment after it took it, then calling the subscribed webhooks back
with signed callbacks.

A few admin routes, outside the Flow Service, let a test or a curl play the rest of the world:
register an OAuth2 client, be the buyer (refuse, approve or dispute an invoice: a status message
comes in), and take the platform down and up again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import facturx
import urllib3
from lxml import etree
from werkzeug.datastructures import Authorization
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from devserver.validation import cdar_failures, e_invoice_failures, frr_failures
from invoicing.domain.e_invoicing import STATUS_CODES, LifecycleStatus, StatusEntry
from invoicing.einvoice.cdar import InvoiceReference, status_message
from invoicing.services.platform_connection import signature

INVOICE_SYNTAXES = {"CII", "UBL", "Factur-X"}
SYNTAXES = INVOICE_SYNTAXES | {"CDAR", "FRR"}
DECISIONS: dict[str, LifecycleStatus] = {"refuse": "refused", "approve": "approved", "dispute": "disputed"}
VALIDATION_DELAY_SECONDS = 0.2
CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Flow:
    owner: str  # the OAuth2 client (organization) the flow belongs to
    info: dict[str, Any]
    file: bytes
    invoice_xml: bytes | None = None

    @property
    def id(self) -> str:
        return str(self.info["flowId"])


@dataclass
class PlatformEmulator:
    """The platform's state, and the WSGI app that serves it."""

    clients: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    down: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: BaseWSGIServer | None = None

    def __post_init__(self) -> None:
        self._routes = Map(
            [
                Rule("/oauth/token", methods=["POST"], endpoint="token"),
                Rule("/v1/healthcheck", methods=["GET"], endpoint="health"),
                Rule("/v1/flows", methods=["POST"], endpoint="submit"),
                Rule("/v1/flows/search", methods=["POST"], endpoint="search"),
                Rule("/v1/flows/<flow_id>", methods=["GET"], endpoint="flow"),
                Rule("/v1/webhooks", methods=["GET", "POST"], endpoint="webhooks"),
                Rule("/v1/webhooks/<webhook_id>", methods=["DELETE"], endpoint="unsubscribe"),
                Rule("/admin/clients", methods=["POST"], endpoint="new_client"),
                Rule("/admin/state", methods=["PUT"], endpoint="state"),
                Rule("/admin/flows", methods=["GET"], endpoint="list_flows"),
                Rule("/admin/flows/<flow_id>/<decision>", methods=["POST"], endpoint="decide"),
            ]
        )

    # Lifecycle ---------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1") -> None:
        self._server = make_server(host, 0, self, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="platform", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("not started: start() first")
        return f"http://{self._server.host}:{self._server.server_port}"

    def register_client(self) -> tuple[str, str]:
        """A new OAuth2 client of the platform: (client id, secret)."""
        client_id, secret = f"client-{secrets.token_hex(6)}", secrets.token_urlsafe(24)
        with self._lock:
            self.clients[client_id] = secret
        return client_id, secret

    def received(self, client_id: str) -> list[Flow]:
        """The flows a client submitted, oldest first."""
        with self._lock:
            return [
                flow
                for flow in self.flows.values()
                if flow.owner == client_id and flow.info["flowDirection"] == "Out"
            ]

    # WSGI --------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, values = self._routes.bind_to_environ(environ).match()
            if self.down and not endpoint.startswith(("state", "new_client", "list_flows", "decide")):
                response = _error(503, "SERVICE_UNAVAILABLE", "the platform is down for maintenance")
            elif endpoint in {"token", "health"} or endpoint in {
                "state",
                "new_client",
                "list_flows",
                "decide",
            }:
                response = getattr(self, f"_{endpoint}")(request, **values)
            else:
                owner = self._owner(request)
                response = (
                    getattr(self, f"_{endpoint}")(request, owner, **values)
                    if owner
                    else _error(401, "UNAUTHORIZED", "a valid bearer token is required")
                )
        except HTTPException as error:
            response = _error(error.code or 400, "BAD_REQUEST", error.description or "")
        return response(environ, start_response)

    def _owner(self, request: Request) -> str | None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        with self._lock:
            return self.tokens.get(token)

    # OAuth2 and health -------------------------------------------------------------------------

    def _token(self, request: Request) -> Response:
        basic: Authorization | None = request.authorization
        client_id = request.form.get("client_id") or (basic.username if basic else None)
        secret = request.form.get("client_secret") or (basic.password if basic else None)
        if request.form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type"}, 400)
        with self._lock:
            known = client_id is not None and self.clients.get(client_id) == secret
            if known:
                token = secrets.token_urlsafe(24)
                self.tokens[token] = str(client_id)
        if not known:
            return _json({"error": "invalid_client"}, 401)
        return _json({"access_token": token, "token_type": "Bearer", "expires_in": 3600})  # a type  # nosec B105

    def _health(self, request: Request) -> Response:
        return _json({"status": "up"})

    # Flows -------------------------------------------------------------------------------------

    def _submit(self, request: Request, owner: str) -> Response:
        upload = request.files.get("file")
        raw_info = request.form.get("flowInfo")
        if raw_info is None and "flowInfo" in request.files:
            raw_info = request.files["flowInfo"].read().decode()
        try:
            info = json.loads(raw_info or "")
        except ValueError:
            return _error(400, "INVALID_FLOW_INFO", "flowInfo must be a JSON object")
        if upload is None or not isinstance(info, dict):
            return _error(400, "MISSING_REQUIRED_FIELD", "a flow is multipart: flowInfo and file")
        syntax, name = info.get("flowSyntax"), info.get("name")
        if syntax not in SYNTAXES or not isinstance(name, str) or not name:
            return _error(400, "INVALID_FLOW_INFO", "flowInfo needs name and a flowSyntax of the API")
        body = upload.read()
        if not body:
            return _error(422, "EmptyFlow", "the file is empty")
        if info.get("sha256") and info["sha256"] != hashlib.sha256(body).hexdigest():
            return _error(422, "ChecksumMismatch", "the file's sha256 is not the one given")
        now = _now()
        flow = Flow(
            owner=owner,
            info={
                "flowId": str(uuid.uuid4()),
                "trackingId": info.get("trackingId"),
                "name": name,
                "processingRule": info.get("processingRule", "Undefined"),
                "processingRuleSource": "Input" if info.get("processingRule") else "Computed",
                "flowSyntax": syntax,
                "flowProfile": "CIUS" if syntax in INVOICE_SYNTAXES else "Undefined",
                "flowType": _flow_type(syntax, body),
                "flowDirection": "Out",
                "submittedAt": now,
                "updatedAt": now,
                "acknowledgement": {"status": "Pending"},
                "sha256": hashlib.sha256(body).hexdigest(),
            },
            file=body,
        )
        with self._lock:
            self.flows[flow.id] = flow
        threading.Timer(VALIDATION_DELAY_SECONDS, self._validate, args=(flow,)).start()
        keys = (
            "flowId",
            "trackingId",
            "name",
            "processingRule",
            "flowSyntax",
            "flowProfile",
            "submittedAt",
            "sha256",
        )
        return _json({key: flow.info[key] for key in keys}, 202)

    def _validate(self, flow: Flow) -> None:
        """What the platform's checks say, a moment after it took the flow: Ok, or Error with the rules
        that failed; then the subscribed webhooks are told."""
        syntax = flow.info["flowSyntax"]
        try:
            if syntax == "Factur-X":
                _, xml = facturx.get_xml_from_pdf(flow.file, check_xsd=False)
                failures = e_invoice_failures(xml) if xml else ["the PDF carries no Factur-X XML"]
            elif syntax in {"CII", "UBL"}:
                xml = flow.file
                failures = e_invoice_failures(xml)
            elif syntax == "CDAR":
                xml, failures = None, cdar_failures(flow.file)
            elif syntax == "FRR":
                xml, failures = None, frr_failures(flow.file)
            else:
                xml, failures = None, []
        except Exception as error:
            xml, failures = None, [f"unreadable: {type(error).__name__}"]
        details = [
            {
                "level": "Error",
                "item": failure.split(":", 1)[0][:100],
                "reasonCode": "InvalidSchema",
                "reasonMessage": failure[:500],
            }
            for failure in failures[:20]
        ]
        with self._lock:
            flow.invoice_xml = xml if not failures else None
            flow.info["acknowledgement"] = (
                {"status": "Error", "details": details} if failures else {"status": "Ok"}
            )
            flow.info["updatedAt"] = _now()
        self._notify(flow)

    def _notify(self, flow: Flow) -> None:
        with self._lock:
            hooks = [hook for hook in self.webhooks.values() if hook["owner"] == flow.owner]
            payload = json.dumps(flow.info).encode()
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=30), retries=False)
        for hook in hooks:
            timestamp = str(int(time.time()))
            # A callback that does not land is found by the subscriber's search.
            with contextlib.suppress(urllib3.exceptions.HTTPError):
                http.request(
                    "POST",
                    hook["callbackUrl"],
                    body=payload,
                    headers={
                        "Content-Type": "application/json",
                        "Afnor-Signature": signature(hook["signingKey"], payload, timestamp),
                        "Afnor-Signature-Timestamp": timestamp,
                    },
                )

    def _search(self, request: Request, owner: str) -> Response:
        given = request.get_json(silent=True)
        params: dict[str, Any] = given if isinstance(given, dict) else {}
        where = params.get("where")
        if not isinstance(where, dict) or not where:
            return _error(400, "MISSING_REQUIRED_FIELD", "where: at least one filter")
        try:
            limit, start = min(int(params.get("limit") or 25), 100), int(params.get("cursor") or 0)
        except ValueError:
            return _error(400, "INVALID_CURSOR", "limit and cursor as the search gave them")
        with self._lock:
            found = [
                flow.info
                for flow in self.flows.values()
                if flow.owner == owner and _matches(flow.info, where)
            ]
        found.sort(key=lambda info: info["updatedAt"])
        page = found[start : start + limit]
        content: dict[str, Any] = {"limit": limit, "filters": where, "results": page}
        if start + limit < len(found):
            content["nextCursor"] = str(start + limit)
        return _json(content)

    def _flow(self, request: Request, owner: str, flow_id: str) -> Response:
        with self._lock:
            flow = self.flows.get(flow_id)
        if flow is None or flow.owner != owner:
            return _error(404, "NOT_FOUND", "no such flow")
        if request.args.get("docType", "Metadata") == "Original":
            kind = "application/pdf" if flow.info["flowSyntax"] == "Factur-X" else "application/xml"
            return Response(
                flow.file,
                mimetype=kind,
                headers={"Content-Disposition": f"attachment;filename={flow.info['name']}"},
            )
        return _json(flow.info)

    # Webhooks ----------------------------------------------------------------------------------

    def _webhooks(self, request: Request, owner: str) -> Response:
        if request.method == "GET":
            with self._lock:
                mine = [
                    {"webhookId": hook_id, "callbackUrl": hook["callbackUrl"]}
                    for hook_id, hook in self.webhooks.items()
                    if hook["owner"] == owner
                ]
            return _json(mine)
        params = request.get_json(silent=True)
        url = params.get("callbackUrl") if isinstance(params, dict) else None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return _error(400, "MISSING_REQUIRED_FIELD", "callbackUrl")
        hook_id, key = str(uuid.uuid4()), base64.b64encode(secrets.token_bytes(32)).decode()
        with self._lock:
            self.webhooks[hook_id] = {"owner": owner, "callbackUrl": url, "signingKey": key}
        return _json({"webhookId": hook_id, "signingKey": key, "createdAt": _now()}, 201)

    def _unsubscribe(self, request: Request, owner: str, webhook_id: str) -> Response:
        with self._lock:
            hook = self.webhooks.get(webhook_id)
            if hook is None or hook["owner"] != owner:
                return _error(404, "NOT_FOUND", "no such webhook")
            del self.webhooks[webhook_id]
        return Response(status=204)

    # Admin: the rest of the world --------------------------------------------------------------

    def _new_client(self, request: Request) -> Response:
        client_id, secret = self.register_client()
        return _json({"client_id": client_id, "client_secret": secret}, 201)

    def _state(self, request: Request) -> Response:
        params = request.get_json(silent=True) or {}
        self.down = params.get("down") is True
        return _json({"down": self.down})

    def _list_flows(self, request: Request) -> Response:
        with self._lock:
            listed = [flow.info | {"owner": flow.owner} for flow in self.flows.values()]
        return _json({"flows": listed})

    def _decide(self, request: Request, flow_id: str, decision: str) -> Response:
        """The buyer's platform sends its decision on a deposited invoice: a status message comes in."""
        status = DECISIONS.get(decision)
        with self._lock:
            flow = self.flows.get(flow_id)
        if status is None or flow is None or flow.invoice_xml is None:
            return _error(404, "NOT_FOUND", "an accepted invoice flow, and refuse, approve or dispute")
        params = request.get_json(silent=True) or {}
        reason = str(params.get("reason") or "")[:500] or None
        reason_code = params.get("reason_code") or (
            "NON_CONFORME" if status in {"refused", "disputed"} else None
        )
        entry = StatusEntry(id="decision", status=status, at=datetime.now(UTC), reason=reason)
        message = status_message(
            invoice_reference(flow.invoice_xml),
            entry,
            message_id=f"cdv-{uuid.uuid4().hex[:12]}",
            now=datetime.now(UTC),
            by_buyer=True,
            reason_code=reason_code,
        )
        now = _now()
        incoming = Flow(
            owner=flow.owner,
            info={
                "flowId": str(uuid.uuid4()),
                "name": f"CDV-{STATUS_CODES[status]}.xml",
                "processingRule": "B2B",
                "processingRuleSource": "Computed",
                "flowSyntax": "CDAR",
                "flowProfile": "Undefined",
                "flowType": "CustomerInvoiceLC",
                "flowDirection": "In",
                "submittedAt": now,
                "updatedAt": now,
                "acknowledgement": {"status": "Ok"},
            },
            file=message,
        )
        with self._lock:
            self.flows[incoming.id] = incoming
        threading.Thread(target=self._notify, args=(incoming,), daemon=True).start()
        return _json(incoming.info, 201)


def _flow_type(syntax: str, body: bytes) -> str:
    """What the Flow Service calls a flow: an e-reporting one by what its report holds."""
    if syntax in INVOICE_SYNTAXES:
        return "CustomerInvoice"
    if syntax == "CDAR":
        return "CustomerInvoiceLC"
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return "MultiFlowReport"
    payments = root.find("PaymentsReport") is not None
    report = root.find("PaymentsReport") if payments else root.find("TransactionsReport")
    unitary = report is not None and report.find("Invoice") is not None
    aggregated = report is not None and report.find("Transactions") is not None
    if unitary and aggregated:
        return "MultiFlowReport"
    kind = "Payment" if payments else "Transaction"
    return f"{'Unitary' if unitary else 'Aggregated'}Customer{kind}Report"


def invoice_reference(xml: bytes) -> InvoiceReference:
    """What the buyer's status message names of an e-invoice, read from its CII or UBL."""
    root = etree.fromstring(xml)
    ubl = etree.QName(root).localname in {"Invoice", "CreditNote"}
    paths = _UBL_PATHS if ubl else _CII_PATHS
    namespaces = UBL if ubl else CII
    found = {name: root.find(path, namespaces) for name, path in paths.items()}
    text = {
        name: (element.text or "").strip() if element is not None else "" for name, element in found.items()
    }
    issued = text["issued"].replace("-", "")
    seller_address, buyer_address = found["seller_address"], found["buyer_address"]
    if not text["number"] or not text["seller_siren"] or seller_address is None or len(issued) != 8:
        raise BadRequest("the invoice names no number, issue date, seller SIREN or seller address")
    return InvoiceReference(
        number=text["number"],
        issue_date=date(int(issued[:4]), int(issued[4:6]), int(issued[6:8])),
        type_code=text["type_code"] or text.get("credit_type_code") or "380",
        currency=text["currency"] or "EUR",
        seller_siren=text["seller_siren"],
        seller_address=(seller_address.get("schemeID", "0225"), text["seller_address"]),
        buyer_siren=text["buyer_siren"] or None,
        buyer_address=(buyer_address.get("schemeID", "0225"), text["buyer_address"])
        if buyer_address is not None
        else None,
    )


_SELLER_UBL = "cac:AccountingSupplierParty/cac:Party/"
_BUYER_UBL = "cac:AccountingCustomerParty/cac:Party/"
_UBL_PATHS = {
    "number": "cbc:ID",
    "issued": "cbc:IssueDate",
    "type_code": "cbc:InvoiceTypeCode",
    "credit_type_code": "cbc:CreditNoteTypeCode",
    "currency": "cbc:DocumentCurrencyCode",
    "seller_siren": _SELLER_UBL + "cac:PartyLegalEntity/cbc:CompanyID",
    "buyer_siren": _BUYER_UBL + "cac:PartyLegalEntity/cbc:CompanyID",
    "seller_address": _SELLER_UBL + "cbc:EndpointID",
    "buyer_address": _BUYER_UBL + "cbc:EndpointID",
}
_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
_CII_PATHS = {
    "number": "rsm:ExchangedDocument/ram:ID",
    "issued": "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
    "type_code": "rsm:ExchangedDocument/ram:TypeCode",
    "currency": "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
    "seller_siren": _AGREEMENT + "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
    "buyer_siren": _AGREEMENT + "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
    "seller_address": _AGREEMENT + "ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID",
    "buyer_address": _AGREEMENT + "ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID",
}


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise BadRequest(f"not a date-time: {str(text)[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _matches(info: dict[str, Any], where: dict[str, Any]) -> bool:
    updated = _moment(info["updatedAt"])
    checks: dict[str, Callable[[Any], bool]] = {
        "trackingId": lambda value: info.get("trackingId") == value,
        "updatedAfter": lambda value: updated > _moment(value),
        "updatedBefore": lambda value: updated < _moment(value),
        "flowType": lambda value: info["flowType"] in value,
        "flowDirection": lambda value: info["flowDirection"] in value,
        "processingRule": lambda value: info["processingRule"] in value,
        "ackStatus": lambda value: info["acknowledgement"]["status"] == value,
    }
    return all(checks[name](value) for name, value in where.items() if name in checks)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, code: str, message: str) -> Response:
    return _json({"errorCode": code, "errorMessage": message}, status)
