"""The outbox: the table's stream to the EventBridge bus (invoice.created, invoice.finalized,
invoice.paid, credit_note.created, the e-invoices' statuses, webhook_delivery.failed). A record
whose events fail is reported, and the stream hands it and what follows it over again: no
committed change is skipped."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.adapters.dynamodb.stream import delivery_change, document_change
from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.outbox import publish_change, publish_delivery_change

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
from_environment()  # the environment is validated during INIT


def publish_record(record: DynamoDBRecord) -> None:
    images = record.dynamodb
    if images is None:
        return
    if (change := document_change(images.old_image, images.new_image)) is not None:
        publish_change(from_environment(), change)
    elif (delivered := delivery_change(images.old_image, images.new_image)) is not None:
        publish_delivery_change(from_environment(), delivered)


@entry_point
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=publish_record, processor=processor, context=context
    )
