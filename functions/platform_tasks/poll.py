"""The scheduled poll of the connected platforms (EventBridge Scheduler): the flows that changed
since the last poll, each queued to be heard, in case a callback never came."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.identifiers import utc_now
from invoicing.services.platform_flows import poll

from_environment()  # the environment is validated during INIT


@entry_point
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"queued": poll(from_environment(), now=utc_now())}
