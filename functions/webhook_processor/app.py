"""Deliveries from the queue to their invoices and credit notes (SQS FIFO, one group per tenant).

A failure fails the rest of its tenant's batch, which keeps its order, and not the other tenants';
after three receipts SQS moves the delivery to the dead-letter queue, which
`invoicing webhooks replay` empties back into the queue.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

import invoicing.rendering  # noqa: F401 - every invoice is rendered: load the renderer during INIT
from invoicing.adapters.sqs import queued_delivery
from invoicing.bootstrap import from_environment
from invoicing.services.shop_documents import process_delivery

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = SqsFifoPartialProcessor(skip_group_on_error=True)
from_environment()  # the environment is validated during INIT


def make_document(record: SQSRecord) -> None:
    process_delivery(from_environment(), queued_delivery(record.body))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=make_document, processor=processor, context=context
    )
