"""API Gateway (REST) on loopback: routes, the REQUEST authorizer and proxy events as AWS builds them."""

from __future__ import annotations

import base64
import fnmatch
import json
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Request, Response

from devserver.lambdas import ACCOUNT_ID, FunctionPool, InvocationError
from devserver.limits import RateCounter, TokenBucket
from devserver.template import Route, Template

API_ID = "local"
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway REST's own limit
INTEGRATION_TIMEOUT_SECONDS = 29  # API Gateway REST's default


class GatewayRefusal(Exception):
    """A request API Gateway answers itself, with one of the template's gateway responses."""

    def __init__(self, kind: str, status: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = status


class Gateway:
    def __init__(self, template: Template, pools: dict[str, FunctionPool], region: str) -> None:
        self._template = template
        self._pools = pools
        self._region = region
        self._stage = str(template.parameters.get("StageName", {}).get("Default", "api"))
        self._authorizer, identity_header, self._authorizer_ttl = template.authorizer()
        self._identity_header = identity_header.lower()
        self._cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._cache_lock = threading.Lock()
        self._rate_counters = [RateCounter(rule) for rule in template.rate_rules()]
        throttle = template.stage_throttle()
        self._throttle = TokenBucket(throttle) if throttle else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        for counter in self._rate_counters:  # the web ACL's rules come before the gateway
            if not counter.allows(request.headers.get(counter.rule.header)):
                rule = counter.rule
                return Response(
                    rule.body, status=rule.status, headers=list(rule.headers), mimetype="application/json"
                )
        try:
            if self._throttle is not None and not self._throttle.take():
                raise GatewayRefusal("THROTTLED", 429)
            return self._forward(request)
        except GatewayRefusal as refusal:
            return self._gateway_response(refusal.kind, refusal.status)

    def flush_authorizer_cache(self) -> None:
        """What `aws apigateway flush-stage-authorizers-cache` does: every key is authorized afresh."""
        with self._cache_lock:
            self._cache.clear()

    def _forward(self, request: Request) -> Response:
        if (request.content_length or 0) > MAX_PAYLOAD_BYTES:
            raise GatewayRefusal("REQUEST_TOO_LARGE", 413)
        route, path_parameters = self._match(request.method, request.path)
        if route is None:
            raise GatewayRefusal("MISSING_AUTHENTICATION_TOKEN", 403)
        body = request.get_data(cache=False)
        if len(body) > MAX_PAYLOAD_BYTES:
            raise GatewayRefusal("REQUEST_TOO_LARGE", 413)
        request_context = self._request_context(request, route)
        if route.authorized:
            request_context["authorizer"] = self._authorize(request, route, path_parameters, request_context)
        event = self._proxy_event(request, route, path_parameters, request_context, body)
        return self._to_response(self._integrate(route.function, event))

    def _integrate(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """The function's answer, or the gateway's: a 504 past the integration timeout (the function
        runs on to its own end, as on AWS), a 502 when it fails.

        The clock starts once an environment has the event: Lambda starts environments side by side
        on machines of their own, where this machine starts them on its shared cores, so a burst of
        cold starts here would eat a timeout that it does not eat on AWS."""
        invocation: Future[Any] = Future()
        started = threading.Event()

        def invoke() -> None:
            try:
                invocation.set_result(self._pools[function].invoke(event, started=started))
            except BaseException as error:  # handed over to the waiting request
                started.set()
                invocation.set_exception(error)

        threading.Thread(target=invoke, name=f"{function}-invocation", daemon=True).start()
        started.wait()
        try:
            return dict(invocation.result(timeout=INTEGRATION_TIMEOUT_SECONDS))
        except FutureTimeout:
            sys.stderr.write(f"{function} did not answer within {INTEGRATION_TIMEOUT_SECONDS} s\n")
            raise GatewayRefusal("INTEGRATION_TIMEOUT", 504) from None
        except (InvocationError, EOFError, OSError) as error:
            # What CloudWatch would show of the function; the client gets the gateway's 502.
            failure = str(error).strip().splitlines()[-1:] or [type(error).__name__]
            sys.stderr.write(f"{function} failed: {failure[0]}\n")
            raise GatewayRefusal("DEFAULT_5XX", 502) from None

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self._template.routes:
            match = route.pattern.match(path)
            if match and route.method == method:
                return route, match.groupdict()
        return None, {}

    def _method_arn(self, route: Route, path: str) -> str:
        return f"arn:aws:execute-api:{self._region}:{ACCOUNT_ID}:{API_ID}/{self._stage}/{route.method}{path}"

    def _authorize(
        self,
        request: Request,
        route: Route,
        path_parameters: dict[str, str],
        request_context: dict[str, Any],
    ) -> dict[str, Any]:
        """The context the authorizer passes on; a 401 or 403 as API Gateway gives them."""
        identity = request.headers.get(self._identity_header)
        if not identity:
            raise GatewayRefusal("UNAUTHORIZED", 401)  # API Gateway does not even call the authorizer
        method_arn = self._method_arn(route, request.path)
        with self._cache_lock:
            cached = self._cache.get(identity)
        if cached and cached[0] > time.monotonic():
            policy = cached[1]
        else:
            event = {
                "type": "REQUEST",
                "methodArn": method_arn,
                **self._common_fields(request, route, path_parameters),
                "requestContext": request_context,
            }
            try:
                policy = self._pools[self._authorizer].invoke(event)
            except InvocationError as error:
                if str(error) != "Unauthorized":
                    raise GatewayRefusal("DEFAULT_5XX", 500) from None
                policy = None
            with self._cache_lock:
                self._cache[identity] = (time.monotonic() + self._authorizer_ttl, policy)
        if policy is None:
            raise GatewayRefusal("UNAUTHORIZED", 401)
        if not _allows(policy, method_arn):
            raise GatewayRefusal("ACCESS_DENIED", 403)
        context = {key: str(value) for key, value in (policy.get("context") or {}).items()}
        return {"principalId": policy.get("principalId"), "integrationLatency": 0, **context}

    def _request_context(self, request: Request, route: Route) -> dict[str, Any]:
        now = datetime.now(UTC)
        return {
            "resourceId": uuid.uuid4().hex[:6],
            "resourcePath": route.resource,
            "httpMethod": request.method,
            "extendedRequestId": uuid.uuid4().hex[:16],
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{self._stage}{request.path}",
            "accountId": ACCOUNT_ID,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "stage": self._stage,
            "domainPrefix": request.host.split(".")[0],
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": str(uuid.uuid4()),
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": request.remote_addr or "127.0.0.1",
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": request.headers.get("User-Agent"),
                "user": None,
            },
            "domainName": request.host,
            "apiId": API_ID,
        }

    @staticmethod
    def _common_fields(request: Request, route: Route, path_parameters: dict[str, str]) -> dict[str, Any]:
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        headers.setdefault("X-Forwarded-Proto", "http")
        multi_headers.setdefault("X-Forwarded-Proto", ["http"])
        query = request.args
        return {
            "resource": route.resource,
            "path": request.path,
            "httpMethod": request.method,
            "headers": headers or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": {key: query.getlist(key)[-1] for key in query} or None,
            "multiValueQueryStringParameters": {key: query.getlist(key) for key in query} or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
        }

    def _proxy_event(
        self,
        request: Request,
        route: Route,
        path_parameters: dict[str, str],
        request_context: dict[str, Any],
        body: bytes,
    ) -> dict[str, Any]:
        return {
            **self._common_fields(request, route, path_parameters),
            "requestContext": request_context,
            "body": body.decode("utf-8", errors="replace") if body else None,
            "isBase64Encoded": False,
        }

    @staticmethod
    def _to_response(result: dict[str, Any]) -> Response:
        headers = Headers()
        for name, value in (result.get("headers") or {}).items():
            headers[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.remove(name)
            for value in values:
                headers.add(name, str(value))
        # A proxy integration's answer without a content type goes out as JSON, as API Gateway sends it.
        headers.setdefault("Content-Type", "application/json")
        body = result.get("body") or ""
        payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        return Response(payload, status=int(result.get("statusCode", 200)), headers=headers)

    def _gateway_response(self, kind: str, default_status: int) -> Response:
        configured = self._template.gateway_response(kind)
        if configured is None:
            return Response(json.dumps({"message": kind}), status=default_status, mimetype="application/json")
        status, body, headers = configured
        return Response(body, status=status or default_status, headers=headers, mimetype="application/json")


def _allows(policy: dict[str, Any], method_arn: str) -> bool:
    """IAM evaluation as API Gateway does it for an authorizer policy: an explicit Deny wins."""
    allowed = False
    for statement in policy.get("policyDocument", {}).get("Statement", []):
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if any(fnmatch.fnmatchcase(method_arn, resource) for resource in resources):
            if statement.get("Effect") == "Deny":
                return False
            allowed = allowed or statement.get("Effect") == "Allow"
    return allowed
