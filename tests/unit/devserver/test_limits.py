"""The local stack limits requests as the template's web ACL and stage throttle do on AWS."""

from pathlib import Path

import pytest

from devserver import limits
from devserver.limits import RateCounter, TokenBucket
from devserver.template import RateRule, StageThrottle, Template

TEMPLATE = Template.load(Path(__file__).resolve().parents[3] / "template.yaml")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(limits.time, "monotonic", clock)
    return clock


def rule(limit: int = 3, window: int = 60) -> RateRule:
    return RateRule("authorization", limit, window, 429, (("Retry-After", "60"),), "{}")


def test_the_template_limits_each_api_key_and_the_whole_stage():
    (per_key,) = TEMPLATE.rate_rules()
    assert (per_key.header, per_key.limit, per_key.window_seconds) == ("authorization", 1200, 60)
    assert (per_key.status, dict(per_key.headers)) == (429, {"Retry-After": "60"})
    assert TEMPLATE.stage_throttle() == StageThrottle(rate=500.0, burst=1000)
    status, _, headers = TEMPLATE.gateway_response("THROTTLED")
    assert (status, headers) == (429, {"Retry-After": "1"})


def test_a_parameter_override_sets_the_limit():
    template = Template.load(TEMPLATE.root / "template.yaml", {"RequestsPerMinutePerKey": "10"})
    assert template.rate_rules()[0].limit == 10
    with pytest.raises(KeyError):
        Template.load(TEMPLATE.root / "template.yaml", {"NoSuchParameter": "1"})


def test_a_key_is_refused_from_its_limit_until_its_rate_falls_back(clock: Clock):
    counter = RateCounter(rule(limit=3))
    assert [counter.allows("Bearer a") for _ in range(5)] == [True, True, True, False, False]
    assert counter.allows("Bearer b"), "another key counts apart"
    assert counter.allows(None), "a request without the header is not this rule's"
    clock.now += 59
    assert not counter.allows("Bearer a"), "refused requests count too"
    clock.now += 60
    assert counter.allows("Bearer a")


def test_idle_keys_are_forgotten(clock: Clock):
    counter = RateCounter(rule(limit=2, window=10))
    for n in range(1000):
        counter.allows(f"Bearer {n}")
    clock.now += 61
    counter.allows("Bearer late")
    assert len(counter._seen) == 1


def test_the_stage_takes_its_burst_then_its_rate(clock: Clock):
    bucket = TokenBucket(StageThrottle(rate=2, burst=3))
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 100
    assert sum(bucket.take() for _ in range(10)) == 3, "never more than the burst at once"
