"""What Lambda's event source mappings share: a poller thread per mapping that hands what it reads
to its function's environments, and stops when the stack does."""

from __future__ import annotations

import threading

from devserver.lambdas import FunctionPool


class Poller:
    def __init__(self, pool: FunctionPool, kind: str) -> None:
        self._pool = pool
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{kind}-{pool.function.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)

    def _pause(self, seconds: float) -> None:
        """Wait, unless the stack stops meanwhile."""
        self._stopped.wait(seconds)

    def _run(self) -> None:
        raise NotImplementedError
