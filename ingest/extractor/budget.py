"""A time budget for one article's work, checked between sentences.

A worker's soft time limit interrupts a task with a signal, which only a process's main
thread can receive; eager tasks (no broker) run in a web server's request threads. Checking a
deadline between units of work stops a long extraction the same way in both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("extraction_deadline", default=None)


class OutOfTime(Exception):
    """The work ran past its time budget and was stopped."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block with at most `seconds` for its work; an enclosing, earlier deadline
    still holds."""
    deadline = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Raise OutOfTime once the current budget is spent (free when there is none)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime
