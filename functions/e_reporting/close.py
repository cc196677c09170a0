"""The daily closing (EventBridge schedule): every period due that day closed and queued for
transmission. The day is the scheduled event's own, so a run that comes late closes the right day."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.e_reporting import close_due

from_environment()  # the environment is validated during INIT
# The calendar's days are French ones.
PARIS = ZoneInfo("Europe/Paris")


@entry_point
@event_source(data_class=EventBridgeEvent)
def handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, Any]:
    day = datetime.fromisoformat(event.time.replace("Z", "+00:00")).astimezone(PARIS).date()
    return {"day": day.isoformat(), "closed": close_due(from_environment(), day)}
