"""The e-reporting's stream consumer: each consumer or international document, once finalized (and
each payment of services taxed on receipts), added to its day's totals. The template's filter
hands it only those documents; a record that fails is handed over again, and nothing is added twice."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.adapters.dynamodb.stream import document_change
from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.e_reporting import report_change

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
from_environment()  # the environment is validated during INIT


def report_record(record: DynamoDBRecord) -> None:
    images = record.dynamodb
    change = document_change(images.old_image, images.new_image) if images is not None else None
    if change is not None:
        report_change(from_environment(), change)


@entry_point
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=report_record, processor=processor, context=context
    )
