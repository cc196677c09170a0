"""What the local stack reads from template.yaml: routes, functions, tables, buckets, gateway responses."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !GetAtt, !Sub...) read as {'Ref': ...} and the like."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _tag)


@dataclass(frozen=True)
class Route:
    method: str
    resource: str
    function: str
    authorized: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.resource))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class Function:
    name: str
    code_dir: Path
    handler: str
    timeout: int
    environment: dict[str, Any]


@dataclass(frozen=True)
class QueueSource:
    function: str
    queue: str  # the queue's logical id
    batch_size: int


@dataclass(frozen=True)
class StreamSource:
    function: str
    table: str  # the table's logical id
    batch_size: int
    patterns: tuple[dict[str, Any], ...] = ()  # the event source's filter criteria


@dataclass(frozen=True)
class ScheduleSource:
    function: str
    expression: str  # rate(5 minutes), as the template says it


@dataclass(frozen=True)
class RateRule:
    """A WAF rate-based rule on one request header, with the response it blocks with."""

    header: str
    limit: int
    window_seconds: int
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str


@dataclass(frozen=True)
class StageThrottle:
    rate: float  # requests a second, refilled continuously
    burst: int


@dataclass
class Template:
    root: Path
    resources: dict[str, Any]
    parameters: dict[str, Any]
    globals: dict[str, Any]
    routes: list[Route] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, overrides: dict[str, str] | None = None) -> Template:
        """The template, with the parameter values `overrides` gives instead of their defaults (as
        `sam deploy --parameter-overrides`)."""
        document = yaml.load(path.read_text(), Loader=_CloudFormationLoader)  # noqa: S506  # a SafeLoader, with the !Ref tags  # nosec B506
        parameters = document.get("Parameters", {})
        for name, value in (overrides or {}).items():
            parameters[name] = parameters[name] | {"Default": value}  # a KeyError for a parameter it lacks
        template = cls(
            root=path.parent,
            resources=document["Resources"],
            parameters=parameters,
            globals=document.get("Globals", {}).get("Function", {}),
        )
        template.routes = template._routes()
        return template

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: resource for name, resource in self.resources.items() if resource["Type"] == kind}

    def _routes(self) -> list[Route]:
        routes = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] != "Api":
                    continue
                props = event["Properties"]
                authorized = props.get("Auth", {}).get("Authorizer") != "NONE"
                routes.append(Route(props["Method"].upper(), props["Path"], name, authorized))
        return routes

    def queue_sources(self) -> list[QueueSource]:
        """The functions that SQS event source mappings feed, and from which queue."""
        sources = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] == "SQS":
                    props = event["Properties"]
                    queue = props["Queue"]["Fn::GetAtt"][0]
                    sources.append(QueueSource(name, queue, int(props.get("BatchSize", 10))))
        return sources

    def stream_sources(self) -> list[StreamSource]:
        """The functions that a table's stream feeds, and which table."""
        sources = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] == "DynamoDB":
                    props = event["Properties"]
                    table = props["Stream"]["Fn::GetAtt"][0]
                    filters = props.get("FilterCriteria", {}).get("Filters", [])
                    patterns = tuple(json.loads(entry["Pattern"]) for entry in filters)
                    sources.append(StreamSource(name, table, int(props.get("BatchSize", 100)), patterns))
        return sources

    def schedule_sources(self) -> list[ScheduleSource]:
        """The functions that a schedule invokes, and how often."""
        return [
            ScheduleSource(name, str(event["Properties"]["Schedule"]))
            for name, resource in self.of_type("AWS::Serverless::Function").items()
            for event in resource["Properties"].get("Events", {}).values()
            if event["Type"] == "Schedule"
        ]

    def function(self, name: str) -> Function:
        props = self.resources[name]["Properties"]
        environment = dict(self.globals.get("Environment", {}).get("Variables", {}))
        environment |= props.get("Environment", {}).get("Variables", {})
        return Function(
            name=name,
            code_dir=self.root / props["CodeUri"],
            handler=props.get("Handler", self.globals.get("Handler", "app.handler")),
            timeout=int(props.get("Timeout", self.globals.get("Timeout", 3))),
            environment=environment,
        )

    @property
    def api(self) -> dict[str, Any]:
        (api,) = self.of_type("AWS::Serverless::Api").values()
        return dict(api["Properties"])

    def authorizer(self) -> tuple[str, str, int]:
        """The authorizer function's logical id, the header it takes the identity from and how long
        the gateway keeps its answer for an identity (API Gateway's default: 300 s)."""
        auth = self.api["Auth"]
        config = auth["Authorizers"][auth["DefaultAuthorizer"]]
        function = str(config["FunctionArn"]["Ref"]).removesuffix(".Alias")  # the function's alias `live`
        identity = config["Identity"]
        return function, identity["Headers"][0], int(identity.get("ReauthorizeEvery", 300))

    def gateway_response(self, kind: str) -> tuple[int, str, dict[str, str]] | None:
        """A gateway response's status, body and headers (their values unquoted, as API Gateway reads
        them: `"'1'"` is the string 1)."""
        response = self.api.get("GatewayResponses", {}).get(kind)
        if response is None:
            return None
        headers = response.get("ResponseParameters", {}).get("Headers", {})
        return (
            int(response.get("StatusCode", 0)),
            response["ResponseTemplates"]["application/json"],
            {name: str(value).strip("'") for name, value in headers.items()},
        )

    def stage_throttle(self) -> StageThrottle | None:
        """The stage's throttle for every method (`MethodSettings` on `/*`, `*`)."""
        for setting in self.api.get("MethodSettings", []):
            if setting.get("ResourcePath") == "/*" and setting.get("HttpMethod") == "*":
                return StageThrottle(
                    float(setting["ThrottlingRateLimit"]), int(setting["ThrottlingBurstLimit"])
                )
        return None

    def rate_rules(self) -> list[RateRule]:
        """The rate-based rules, keyed on one header, of the web ACLs the template associates with the
        API, in their priority order."""
        associated = {
            association["Properties"]["WebACLArn"]["Fn::GetAtt"][0]
            for association in self.of_type("AWS::WAFv2::WebACLAssociation").values()
        }
        rules: list[tuple[int, RateRule]] = []
        for name, acl in self.of_type("AWS::WAFv2::WebACL").items():
            if name not in associated:
                continue
            bodies = acl["Properties"].get("CustomResponseBodies", {})
            for rule in acl["Properties"]["Rules"]:
                statement = rule["Statement"]["RateBasedStatement"]
                (custom_key,) = statement["CustomKeys"]
                blocked = rule["Action"]["Block"]["CustomResponse"]
                rate_rule = RateRule(
                    header=custom_key["Header"]["Name"].lower(),
                    limit=int(self.value(statement["Limit"])),
                    window_seconds=int(statement.get("EvaluationWindowSec", 300)),
                    status=int(blocked["ResponseCode"]),
                    headers=tuple((h["Name"], str(h["Value"])) for h in blocked.get("ResponseHeaders", [])),
                    body=bodies[blocked["CustomResponseBodyKey"]]["Content"],
                )
                rules.append((int(rule["Priority"]), rate_rule))
        return [rule for _, rule in sorted(rules, key=lambda ranked: ranked[0])]

    def value(self, value: Any) -> Any:
        """A property's value, a `!Ref` to a parameter read as the parameter's default."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            return self.parameters[value["Ref"]]["Default"]
        return value
