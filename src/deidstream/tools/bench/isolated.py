"""Run one stage in a freshly spawned interpreter and time its start-up from the outside.

A spawned process starts from nothing, as a worker container does: the time until
the stage calls `ready()` covers the interpreter, the imports, the model load and
the warm-up, and the process's peak RSS is that of this stage alone.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
Ready = Callable[[], None]


class StageFailed(RuntimeError):
    """A stage raised in its process; the message carries its traceback."""


def run_isolated(stage: Callable[..., T], *args: Any) -> tuple[T, float]:
    """`stage(*args, ready=...)` in a new process; its result and the seconds from process start to `ready()`."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    started = time.monotonic()
    process = context.Process(target=_child, args=(stage, args, sender), daemon=True)
    process.start()
    sender.close()
    ready_at = None
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                process.join(timeout=30)
                raise StageFailed(f"{stage.__name__} died with exit code {process.exitcode}") from None
            if kind == "ready":
                ready_at = value
            elif kind == "error":
                raise StageFailed(f"{stage.__name__} failed:\n{value}")
            else:
                return value, (ready_at or time.monotonic()) - started
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()


def _child(stage: Callable[..., Any], args: tuple[Any, ...], sender: Connection) -> None:
    """CLOCK_MONOTONIC is system-wide on Linux, so the parent can subtract its own start time."""
    try:
        result = stage(*args, ready=lambda: sender.send(("ready", time.monotonic())))
        sender.send(("result", result))
    except BaseException as error:  # noqa: BLE001 - whatever went wrong is reported to the parent, then the process ends
        sender.send(("error", _without_message(error)))
    finally:
        sender.close()


def _without_message(error: BaseException) -> str:
    """Where and what failed, without the exception's message: messages of NLP libraries can quote the text."""
    frames = "".join(traceback.TracebackException.from_exception(error).stack.format())
    return f"{frames}{type(error).__module__}.{type(error).__qualname__} (message withheld: it may quote report text)"
