"""The contract of /v1/e-reporting: a tenant's periods, what each holds and its transmissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from invoicing.domain.base import Answer, Model
from invoicing.domain.e_reporting import (
    PeriodStatus,
    ReportCategory,
    ReportedInvoice,
    ReportedPayment,
    Transmission,
)
from invoicing.domain.reporting_calendar import ReportKind
from invoicing.services.reporting_periods import PeriodView


class PeriodSummary(Answer):
    id: str = Field(description="The kind and the first day, such as transactions-2026-12-01.")
    kind: ReportKind
    start: date
    end: date
    due_date: date = Field(description="When it closes and goes to the platform.")
    status: PeriodStatus = Field(
        description="open until its due date; closed; transmitted to the platform; accepted or rejected "
        "by it (the last transmission's answer)."
    )


class TransactionTotal(Model):
    date: date
    currency: str
    category: ReportCategory = Field(
        description="TLB1 goods and TPS1 services taxed in France, TNT1 not taxable in France (exports, "
        "intra-EU supplies and distance sales), TMA1 the margin scheme."
    )
    vat_rate: Decimal
    base: Decimal = Field(description="Net of credit notes issued that day.")
    vat: Decimal
    count: int = Field(description="Documents (invoices and credit notes) that day.")


class PaymentTotal(Model):
    date: date
    currency: str
    vat_rate: Decimal
    amount: Decimal = Field(description="Collected that day at that rate, VAT included.")
    count: int


class PeriodDetail(PeriodSummary):
    transactions: list[TransactionTotal] | None = Field(
        default=None, description="Consumer sales (10.3), for a transactions period."
    )
    invoices: list[ReportedInvoice] | None = Field(
        default=None, description="Invoices to businesses abroad (10.1), one by one."
    )
    payments: list[PaymentTotal] | None = Field(
        default=None, description="Consumer collections of services taxed on receipts (10.4)."
    )
    paid_invoices: list[ReportedPayment] | None = Field(
        default=None, description="Collections from businesses abroad (10.2), one by one."
    )
    transmissions: list[Transmission]


class PeriodList(Model):
    data: list[PeriodSummary]


def period_summary(view: PeriodView) -> PeriodSummary:
    period = view.state.period
    return PeriodSummary(
        id=period.id,
        kind=period.kind,
        start=period.start,
        end=period.end,
        due_date=period.due_date,
        status=view.status,
    )


def period_detail(view: PeriodView) -> PeriodDetail:
    content = view.content
    summary = period_summary(view).model_dump()
    transmissions = list(view.state.transmissions)
    if content is None:
        return PeriodDetail(**summary, transmissions=transmissions)
    if view.state.period.kind == "transactions":
        return PeriodDetail(
            **summary,
            transactions=[
                TransactionTotal(
                    date=row.day,
                    currency=row.currency,
                    category=row.category,
                    vat_rate=row.vat_rate,
                    base=row.base,
                    vat=row.vat,
                    count=row.documents,
                )
                for row in content.transactions
            ],
            invoices=list(content.invoices),
            transmissions=transmissions,
        )
    return PeriodDetail(
        **summary,
        payments=[
            PaymentTotal(
                date=row.day,
                currency=row.currency,
                vat_rate=row.vat_rate,
                amount=row.amount,
                count=row.payments,
            )
            for row in content.payments
        ],
        paid_invoices=list(content.paid_invoices),
        transmissions=transmissions,
    )
