"""The ports of e-reporting: where periods and what they took in are kept, and how a period's report
is written in the reform's syntax (FRR)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from invoicing.domain.e_reporting import Contribution, PeriodContent, PeriodState, Transmission
    from invoicing.domain.parts import Seller
    from invoicing.domain.reporting_calendar import Period


class ReportStore(Protocol):
    """A tenant's e-reporting periods: each day's totals, the records of invoices reported one by one,
    and the periods' closing and transmissions. Raises Contention when another writer held a day's
    totals at that moment (nothing was written)."""

    def add(self, tenant_id: str, contribution: Contribution) -> bool:
        """Add a contribution's rows to their days' totals, its record, and one to its period's
        revision, all at once; False (and nothing written) when its key was added before."""
        ...

    def period(self, tenant_id: str, period_id: str) -> PeriodState | None: ...

    def periods(self, tenant_id: str, first: date, last: date) -> list[PeriodState]:
        """The stored periods that overlap the days from `first` to `last`."""
        ...

    def content(self, tenant_id: str, period: Period) -> PeriodContent:
        """What the period holds: reads in the number of its days, currencies, categories and rates
        (and of the invoices reported one by one), never in the documents it aggregates."""
        ...

    def close(self, tenant_id: str, period: Period, at: datetime) -> None:
        """The period closed at `at` (once: a second close keeps the first moment)."""
        ...

    def record_transmission(self, tenant_id: str, period: Period, transmission: Transmission) -> None:
        """A transmission added to the period, or one of its own (same id) replaced by what the
        platform said since."""
        ...

    def due(self, day: date) -> list[tuple[str, str]]:
        """(tenant id, period id) of every period due on `day` that took in something."""
        ...


class ReportSyntax(Protocol):
    """E-reporting flows (FRR, flux 10) as the platforms take them."""

    def report(
        self,
        seller: Seller,
        state: PeriodState,
        content: PeriodContent,
        *,
        report_id: str,
        corrective: bool,
        now: datetime,
    ) -> bytes: ...
