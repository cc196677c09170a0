"""The platform tasks queue (SQS FIFO, one group per document, flow or period): deposits, statuses
sent, flows heard and e-reporting periods transmitted. A task whose platform is down, or whose
document is still being rendered, fails and comes back after the queue's visibility timeout,
holding up only its own document or period."""

from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from invoicing.adapters.sqs import platform_task
from invoicing.bootstrap import from_environment
from invoicing.observability import entry_point
from invoicing.services.platform_flows import run_task

processor = SqsFifoPartialProcessor(skip_group_on_error=True)
from_environment()  # the environment is validated during INIT


def do_task(record: SQSRecord) -> None:
    run_task(from_environment(), platform_task(record.body))


@entry_point
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=do_task, processor=processor, context=context)
