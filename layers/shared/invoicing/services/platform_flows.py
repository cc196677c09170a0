"""What goes to the seller's approved platform and what comes back, after the commits that call for
it: an e-invoice to a French business deposited once it is finalized, the collected statuses we say
of it, an e-reporting period once closed, and what the platform tells us (its acknowledgements, the
buyer's decisions).

Each task is safe to repeat: a deposit or a status is looked up by its tracking id on the platform
before anything is sent, and each status is recorded once on the document, so a task handed over
again (a queue's retry, a webhook and the poll telling of the same flow) changes nothing twice. When
the platform is down the task fails and comes back later; the finalize answer never waits on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from aws_lambda_powertools import Logger

from invoicing.domain.e_invoicing import STATUS_CODES, StatusEntry
from invoicing.domain.lifecycle import acknowledgement_entry, decision_entry, lifecycle, status_tracking_id
from invoicing.domain.model import Document
from invoicing.services.changes import LifecycleRecorded
from invoicing.services.documents import commit
from invoicing.services.e_reporting import REPORT_FLOW_TYPES, hear_report, transmit
from invoicing.services.files import Format, document_key, filename
from invoicing.services.identifiers import utc_now
from invoicing.services.platform_connection import open_platform
from invoicing.services.ports import (
    ConditionFailed,
    Dependencies,
    DepositSyntax,
    NotReady,
    Platform,
    PlatformConnection,
    PlatformFlow,
    PlatformRefused,
    PlatformTask,
    PlatformUnavailable,
)
from invoicing.services.publishing import is_published
from invoicing.services.retry import Backoff

logger = Logger(child=True)

RECORD_BUDGET_SECONDS = 10.0
# The file an e-invoice is deposited as, per the syntax the tenant's platform takes.
DEPOSITED_FORMAT: Final[dict[DepositSyntax, Format]] = {"Factur-X": "pdf", "UBL": "ubl", "CII": "cii"}


def run_task(deps: Dependencies, task: PlatformTask) -> None:
    """Do one task. Raises PlatformUnavailable or NotReady for a task to try again later."""
    connection = deps.platform_connections.get(task.tenant_id)
    if connection is None:
        # Kept pending: nothing reaches a platform before the tenant connects one.
        logger.info("no platform connected", extra={"task": task.kind, "document_id": task.document_id})
        return
    try:
        platform = open_platform(deps, task.tenant_id, connection)
        if task.kind == "deposit" and task.document_id:
            deposit(deps, platform, connection, task.tenant_id, task.document_id)
        elif task.kind == "send_status" and task.document_id and task.entry_id:
            send_status(deps, platform, task.tenant_id, task.document_id, task.entry_id)
        elif task.kind == "hear_flow" and task.flow_id:
            hear_flow(deps, platform, task.tenant_id, task.flow_id)
        elif task.kind == "transmit" and task.period_id:
            transmit(deps, platform, task.tenant_id, task.period_id)
    except (PlatformRefused, ValueError) as refused:
        # A call the platform refuses as it is (credentials revoked, a URL that no longer resolves
        # to a public address): logged for the tenant's support, not retried forever.
        logger.error("platform refused", extra={"task": task._asdict(), "reason": str(refused)})


def _e_invoice(deps: Dependencies, tenant_id: str, document_id: str) -> Document | None:
    stored = deps.documents.get(tenant_id, document_id)
    if stored is None or not isinstance(stored.document, Document) or lifecycle(stored.document) is None:
        return None
    return stored.document


def deposit(
    deps: Dependencies, platform: Platform, connection: PlatformConnection, tenant_id: str, document_id: str
) -> None:
    """The e-invoice deposited once: found on the platform by its tracking id (our document id), or
    sent in the tenant's syntax."""
    stored = deps.documents.get(tenant_id, document_id)
    document = stored.document if stored is not None else None
    reform = lifecycle(document) if isinstance(document, Document) else None
    if stored is None or not isinstance(document, Document) or reform is None or reform.flow_id:
        return
    if not is_published(stored):
        raise NotReady(f"{document_id} is still being rendered")
    flow = platform.find(document.id)
    if flow is None:
        fmt = DEPOSITED_FORMAT[connection.syntax]
        body = deps.files.get(document_key(tenant_id, document, document.language, fmt))
        if body is None:
            raise NotReady(f"{document_id} has no {fmt} file yet")
        flow = platform.submit(
            filename(document, document.language, fmt),
            body,
            tracking_id=document.id,
            syntax=connection.syntax,
            processing_rule="B2B",
        )
        logger.info("deposited", extra={"document_id": document.id, "flow_id": flow.flow_id})
    acknowledged = acknowledgement_entry(flow.flow_id, flow.ack_status, flow.reasons, flow.updated_at)
    record_statuses(deps, tenant_id, document.id, [acknowledged] if acknowledged else [], flow.flow_id)


def send_status(
    deps: Dependencies, platform: Platform, tenant_id: str, document_id: str, entry_id: str
) -> None:
    """The status message of one of our entries (collected), sent once."""
    document = _e_invoice(deps, tenant_id, document_id)
    reform = document.e_invoicing if document else None
    entry = next((entry for entry in reform.history if entry.id == entry_id), None) if reform else None
    if document is None or entry is None:
        return
    tracking_id = status_tracking_id(document.id, entry.id)
    if platform.find(tracking_id) is not None:
        return
    message = deps.status_messages.of(document, entry, message_id=tracking_id, now=utc_now())
    platform.submit(
        f"{document.number}-{STATUS_CODES[entry.status]}.xml",
        message,
        tracking_id=tracking_id,
        syntax="CDAR",
        processing_rule="B2B",
    )
    logger.info("status sent", extra={"document_id": document.id, "status": entry.status})


def hear_flow(deps: Dependencies, platform: Platform, tenant_id: str, flow_id: str) -> None:
    """What a flow the platform told us of means for our documents: the acknowledgement of an
    e-invoice we deposited or of a period we transmitted, or a buyer's status message on one of our
    invoices. The flow is read
    from the platform itself, never taken from what the callback said."""
    flow = platform.flow(flow_id)
    if flow.flow_type in REPORT_FLOW_TYPES:
        hear_report(deps, tenant_id, flow)
    elif flow.flow_type == "CustomerInvoice" and flow.direction == "Out" and flow.tracking_id:
        acknowledged = acknowledgement_entry(flow.flow_id, flow.ack_status, flow.reasons, flow.updated_at)
        if acknowledged is not None:
            record_statuses(deps, tenant_id, flow.tracking_id, [acknowledged], flow.flow_id)
    elif flow.flow_type == "CustomerInvoiceLC" and flow.direction == "In":
        _hear_decisions(deps, platform, tenant_id, flow)


def _hear_decisions(deps: Dependencies, platform: Platform, tenant_id: str, flow: PlatformFlow) -> None:
    try:
        statuses = deps.status_messages.read(platform.original(flow.flow_id))
    except ValueError as unreadable:
        logger.warning(
            "unreadable status message", extra={"flow_id": flow.flow_id, "reason": str(unreadable)}
        )
        return
    for status in statuses:
        summary = deps.listing.by_number(tenant_id, status.number)
        entry = decision_entry(flow.flow_id, status.code, status.reason, flow.updated_at)
        if summary is not None and entry is not None:
            record_statuses(deps, tenant_id, summary.id, [entry])


def record_statuses(
    deps: Dependencies,
    tenant_id: str,
    document_id: str,
    entries: list[StatusEntry],
    flow_id: str | None = None,
) -> None:
    """Add the entries the document does not have yet (and its flow), reading again whenever
    another status landed in between."""
    backoff = Backoff(budget=RECORD_BUDGET_SECONDS, busy="the document is busy; retry", code="document_busy")
    while True:
        document = _e_invoice(deps, tenant_id, document_id)
        reform = document.e_invoicing if document else None
        if reform is None:
            return
        known = {entry.id for entry in reform.history}
        new = tuple(entry for entry in entries if entry.id not in known)
        flow = flow_id if flow_id is not None and reform.flow_id != flow_id else None
        if not new and flow is None:
            return
        uow = deps.unit_of_work(tenant_id)
        uow.record(LifecycleRecorded(document_id, new, flow))
        try:
            commit(uow)
        except ConditionFailed:
            backoff.pause()
            continue
        return


def poll(deps: Dependencies, *, now: datetime) -> int:
    """The fallback for callbacks that never came: every connected platform searched for the flows
    changed since the last poll, each queued to be heard. How many were queued."""
    queued = 0
    for tenant_id, connection in deps.platform_connections.all():
        since = datetime.fromisoformat(connection.polled_until) if connection.polled_until else None
        try:
            flows = open_platform(deps, tenant_id, connection).updated_after(since)
        except (PlatformUnavailable, PlatformRefused, ValueError) as failure:
            logger.warning("platform not polled", extra={"tenant_id": tenant_id, "reason": str(failure)})
            continue
        for flow in flows:
            deps.platform_tasks.send(
                PlatformTask(
                    "hear_flow", tenant_id, flow_id=flow.flow_id, seen_at=flow.updated_at.isoformat()
                )
            )
        queued += len(flows)
        if flows:
            until = max(flow.updated_at for flow in flows)
            deps.platform_connections.polled(tenant_id, connection.connection_id, min(until, now).isoformat())
    return queued
