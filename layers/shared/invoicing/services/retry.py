"""Waiting one's turn with jitter, within the time a request has: the one retry loop of the use cases."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from invoicing.domain.errors import Busy


@dataclass
class Backoff:
    """Pauses between attempts, growing from `first` to at most `cap` seconds with full jitter, until
    `budget` seconds have passed: then `pause` refuses with Busy and `busy` as its message."""

    budget: float
    busy: str
    code: str = "busy"
    first: float = 0.002
    cap: float = 0.1
    attempts: int = 0
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.budget

    def pause(self, at_least: float = 0.0) -> None:
        """Sleep before the next attempt: `at_least` (capped, such as what is left on another's lease)
        plus a random share of the current step, so that waiters do not retry in step."""
        self.attempts += 1
        if time.monotonic() > self._deadline:
            raise Busy(self.busy, code=self.code)
        step = min(self.cap, self.first * 2**self.attempts)
        time.sleep(min(at_least, self.cap) + random.uniform(0, step))  # noqa: S311  # jitter, not secrecy  # nosec B311
