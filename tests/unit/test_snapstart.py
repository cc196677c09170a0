"""SnapStart: a snapshot primed with what the function uses, and each restored environment with its
own randomness, credentials and connections."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import snapshot_restore_py

import invoicing
from invoicing.snapstart import deferred_models, prime, register_hooks, renew

ROOT = Path(__file__).resolve().parents[2]


def snapstart_life(function: str, event: str) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers" / "shared")])}
    output = subprocess.run(
        [sys.executable, "-m", "tests.support.snapstart_run", function, event],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    ).stdout
    report: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize(
    ("function", "event", "status"),
    [("read_api", "list_invoices", 200), ("create_invoice", "create_invoice", 201)],
)
def test_a_restored_function_starts_from_a_primed_snapshot_with_state_of_its_own(
    function: str, event: str, status: int
) -> None:
    life = snapstart_life(function, event)
    assert life["deferred_at_init"] > 0  # imported, not built, at INIT
    assert (
        life["deferred_in_snapshot"] == []
    )  # built before the snapshot: no restored environment builds them
    assert "dynamodb" in life["clients_in_snapshot"]
    assert "s3" in life["clients_in_snapshot"]
    assert life["random_as_in_snapshot"] is False  # every restored environment jitters its own way
    assert life["new_session"] is True
    assert life["new_dependencies"] is True
    assert life["same_service_models"] is True  # what the snapshot loaded is not loaded again
    assert life["access_key"] == "restored"
    assert life["client_key"] == "restored"  # the clients the request used sign with the new credentials
    assert life["status"] == status


def test_hooks_are_registered_only_in_an_init_snapstart_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    before, after = (
        len(snapshot_restore_py.get_before_snapshot()),
        len(snapshot_restore_py.get_after_restore()),
    )
    monkeypatch.delenv("AWS_LAMBDA_INITIALIZATION_TYPE", raising=False)
    register_hooks()
    assert len(snapshot_restore_py.get_before_snapshot()) == before
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
    register_hooks()
    try:
        assert snapshot_restore_py.get_before_snapshot()[-1][0] is prime
        assert snapshot_restore_py.get_after_restore()[-1][0] is renew
    finally:
        del snapshot_restore_py.get_before_snapshot()[before:]
        del snapshot_restore_py.get_after_restore()[after:]


def test_every_model_of_the_package_builds_when_primed() -> None:
    for module in pkgutil.walk_packages(invoicing.__path__, "invoicing."):
        importlib.import_module(module.name)
    assert list(deferred_models())
    prime()
    assert list(deferred_models()) == []
