"""The outbox: the table's stream to the EventBridge bus (invoice.created, invoice.finalized,
invoice.paid, credit_note.created). A record whose events fail is reported, and the stream hands it
and what follows it over again: no committed change is skipped."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.services.dependencies import from_environment
from invoicing.services.outbox import publish_item_change

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def publish_change(record: DynamoDBRecord) -> None:
    change = record.dynamodb
    assert change is not None
    publish_item_change(from_environment(), change.old_image or None, change.new_image or None)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=publish_change, processor=processor, context=context
    )
