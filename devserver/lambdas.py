"""Lambda execution environments on this machine: one process each, one invocation at a time.

As on Lambda, a function scales by starting more environments (cold starts included), each one
imports the handler once and keeps its module state between invocations, and a handler never
shares its process with a concurrent request.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from devserver.template import Function

ACCOUNT_ID = "123456789012"
# Lambda starts an environment for every concurrent request; here they share this machine's cores,
# and past a few per core more environments only take turns on the CPU while their cold starts and
# retries crowd out the ones doing the work. A request beyond the cap waits for an idle environment.
MAX_ENVIRONMENTS_PER_FUNCTION = 2 * (os.cpu_count() or 1) + 2


class InvocationError(Exception):
    """The handler raised (its message, as Lambda reports errorMessage), or the environment died."""


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _environment_main(function: Function, environment: dict[str, str], connection: Connection) -> None:
    """The body of an execution environment's process: import once, then serve invocations. Ctrl-C
    is the stack's to handle: it stops every environment."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.update(environment)
    sys.path.insert(0, str(function.code_dir))
    module_name, handler_name = function.handler.rsplit(".", 1)
    try:
        spec = importlib.util.spec_from_file_location(module_name, function.code_dir / f"{module_name}.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"no handler module {module_name} in {function.code_dir}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        handler = getattr(module, handler_name)
    except BaseException:
        connection.send(("init_error", traceback.format_exc()))
        return
    connection.send(("ready", None))
    while True:
        try:
            event = connection.recv()
        except EOFError:
            return
        context = LambdaContext(
            function_name=function.name,
            memory_limit_in_mb=512,
            invoked_function_arn=f"arn:aws:lambda:{environment.get('AWS_DEFAULT_REGION')}:{ACCOUNT_ID}:function:{function.name}",
            aws_request_id=str(uuid.uuid4()),
            deadline=time.monotonic() + function.timeout,
        )
        try:
            connection.send(("ok", handler(event, context)))
        except Exception as error:
            # An authorizer refuses a key with Exception("Unauthorized"), as API Gateway asks: the
            # gateway's line for the 401 says it, no traceback needed.
            if not (type(error) is Exception and str(error) == "Unauthorized"):
                traceback.print_exc()
            connection.send(("error", str(error)))


class _Environment:
    def __init__(self, function: Function, environment: dict[str, str]) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_environment_main, args=(function, environment, child), daemon=True, name=function.name
        )
        self.process.start()
        child.close()
        status, detail = self.connection.recv()
        if status != "ready":
            self.stop()
            raise InvocationError(f"{function.name} failed to initialize:\n{detail}")

    def invoke(self, event: dict[str, Any], timeout: float) -> Any:
        self.connection.send(event)
        if not self.connection.poll(timeout):
            self.stop()
            raise InvocationError("Task timed out")
        status, result = self.connection.recv()
        if status != "ok":
            raise InvocationError(result)
        return result

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)


class FunctionPool:
    """A function's environments: an idle one serves the next invocation, or a new one starts."""

    def __init__(self, function: Function, environment: dict[str, str]) -> None:
        self.function = function
        self._environment = environment
        self._idle: list[_Environment] = []
        self._count = 0
        self.invocations = 0
        self._available = threading.Condition()

    def warm(self) -> None:
        environment = _Environment(self.function, self._environment)
        with self._available:
            self._count += 1
            self._idle.append(environment)
            self._available.notify()

    def invoke(self, event: dict[str, Any], *, started: threading.Event | None = None) -> Any:
        """The handler's answer; `started` is set once an environment (warm, or just started) has
        the event."""
        environment = self._acquire()
        self.invocations += 1
        if started is not None:
            started.set()
        try:
            result = environment.invoke(event, timeout=self.function.timeout)
        except (InvocationError, EOFError, OSError):
            if not environment.process.is_alive():
                self._discard()
                raise
            self._release(environment)
            raise
        self._release(environment)
        return result

    def peak_memory_mb(self) -> float:
        """The largest peak resident memory of this pool's environments so far (Linux's VmHWM): what
        Lambda's REPORT line gives as Max Memory Used."""
        with self._available:
            pids = [environment.process.pid for environment in self._idle]
        peaks = []
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            peaks += [int(line.split()[1]) for line in status if line.startswith("VmHWM:")]  # kB
        return max(peaks, default=0) / 1024

    def _acquire(self) -> _Environment:
        with self._available:
            while not self._idle and self._count >= MAX_ENVIRONMENTS_PER_FUNCTION:
                self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Environment(self.function, self._environment)
        except BaseException:
            self._discard()
            raise

    def _release(self, environment: _Environment) -> None:
        with self._available:
            self._idle.append(environment)
            self._available.notify()

    def _discard(self) -> None:
        with self._available:
            self._count -= 1
            self._available.notify()

    def stop(self) -> None:
        with self._available:
            for environment in self._idle:
                environment.stop()
            self._idle.clear()
