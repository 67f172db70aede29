"""Real Celery worker processes for tests: start, kill, send tasks, wait for results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "--app", "pledgewatch", "worker",
             "--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        # SIGKILL the whole process group: the main process and its pool children die at
        # once, mid-task, without acknowledging anything.
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Sweeps:
    """Beat's `requeue_stalled_articles`, played every `every` seconds while a test waits: an
    article a dead task left "fetching" is only taken over after the hard time limit."""

    def __init__(self, env: dict[str, str], every: float) -> None:
        self.env, self.every = env, every
        self._next = time.monotonic() + every

    def tick(self) -> None:
        if time.monotonic() >= self._next:
            send(self.env, "ingest.tasks.requeue_stalled_articles")
            self._next = time.monotonic() + self.every


def send(env: dict[str, str], task: str, *args: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "celery", "--app", "pledgewatch", "call", task,
         "--args", repr(list(args))],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def wait_until(condition, *, timeout: float, worker_logs: list[Path], what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tails = "\n".join(log.read_text(errors="replace")[-3000:] for log in worker_logs)
    pytest.fail(f"timed out waiting for {what}\n{tails}")
