"""Scheduled rules on this machine: the function invoked with the event EventBridge sends, every
10 seconds instead of the template's rate (a change a callback missed is heard while a test or a
curl still waits for it)."""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from devserver.lambdas import ACCOUNT_ID, FunctionPool, InvocationError
from devserver.polling import Poller
from devserver.resources import REGION

LOCAL_PERIOD_SECONDS = 10.0


def scheduled_event(rule: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule}"],
        "detail": {},
    }


class SchedulePoller(Poller):
    def __init__(self, pool: FunctionPool, period: float = LOCAL_PERIOD_SECONDS) -> None:
        super().__init__(pool, "schedule")
        self._period = period

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._pause(self._period)
            if self._stopped.is_set():
                return
            try:
                self._pool.invoke(scheduled_event(self._pool.function.name))
            except (InvocationError, EOFError, OSError) as error:
                sys.stderr.write(f"{self._pool.function.name} failed: {str(error).strip()[-200:]}\n")
