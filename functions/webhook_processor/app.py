"""Deliveries from the queue to their invoices and credit notes (SQS FIFO, one group per order).

A delivery that cannot make its document fails at once, listed with its reason and an event out;
one that met a passing trouble is reported, comes back after the visibility timeout, and at its
last receipt fails too, SQS moving it to the dead-letter queue (whose depth raises an alarm). A
failure holds up the later deliveries of its own order only.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

import invoicing.rendering  # noqa: F401 - every invoice is rendered: load the renderer during INIT
from invoicing.adapters.sqs import queued_delivery
from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.shop_documents import process_delivery

MAX_RECEIVES = 3  # the queue's redrive policy: its maxReceiveCount in the template

processor = SqsFifoPartialProcessor(skip_group_on_error=True)
from_environment()  # the environment is validated during INIT


def make_document(record: SQSRecord) -> None:
    last_attempt = int(record.attributes.approximate_receive_count) >= MAX_RECEIVES
    process_delivery(from_environment(), queued_delivery(record.body), last_attempt=last_attempt)


@entry_point
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=make_document, processor=processor, context=context
    )
