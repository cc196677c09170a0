"""The limits a request meets before API Gateway calls anything: the web ACL's rate per API key
(AWS WAF) and the stage's throttle, both read from the template."""

from __future__ import annotations

import threading
import time
from collections import deque

from devserver.template import RateRule, StageThrottle

# Keys idle that long are forgotten, so that a flood of made-up keys does not fill the memory.
_PRUNE_EVERY_SECONDS = 60


class RateCounter:
    """A WAF rate-based rule: a key whose requests over the trailing window exceed the limit is
    refused until its rate falls back to it. Refused requests count too, as WAF counts them."""

    def __init__(self, rule: RateRule) -> None:
        self.rule = rule
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._pruned_at = time.monotonic()

    def allows(self, key: str | None) -> bool:
        """A request without the key is not this rule's to count."""
        if not key:
            return True
        now = time.monotonic()
        window = self.rule.window_seconds
        with self._lock:
            if now - self._pruned_at > _PRUNE_EVERY_SECONDS:
                self._seen = {k: seen for k, seen in self._seen.items() if now - seen[-1] < window}
                self._pruned_at = now
            # The latest `limit` + 1 arrivals tell it all: the limit is exceeded when the oldest of
            # them is still within the window.
            seen = self._seen.setdefault(key, deque(maxlen=self.rule.limit + 1))
            seen.append(now)
            return len(seen) <= self.rule.limit or now - seen[0] >= window


class TokenBucket:
    """API Gateway's throttle: `burst` requests at once, refilled at `rate` a second."""

    def __init__(self, throttle: StageThrottle) -> None:
        self._throttle = throttle
        self._tokens = float(throttle.burst)
        self._filled_at = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        now = time.monotonic()
        with self._lock:
            elapsed = now - self._filled_at
            self._tokens = min(self._throttle.burst, self._tokens + elapsed * self._throttle.rate)
            self._filled_at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True
