"""The benchmark's CPU accounting (bench.cpu) gives each process's time to its part."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cpu import CpuWindow

pytestmark = pytest.mark.skipif(not Path("/proc/stat").exists(), reason="needs Linux's /proc")

# Spends a fixed amount of CPU time, says so, then waits to be told to exit: a process that
# ends inside a window is not counted, so this one must outlive it.
BURN = """
import sys, time
while time.process_time() < 0.3:
    pass
print("burnt", flush=True)
sys.stdin.read()
"""


def burn_in(window: CpuWindow) -> None:
    """One window in which a child process of ours spends 0.3 s of CPU time."""
    window.start()
    child = subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "burnt\n"
        window.stop()
    finally:
        child.communicate("")


def test_cpu_time_of_the_worker_s_children_counts_as_the_pool_s():
    window = CpuWindow(worker_pid=os.getpid(), server_database=False)
    burn_in(window)

    # Our own process plays the worker's main process here; its child, a pool process.
    assert window.seconds["worker_pool"] >= 0.28  # 0.3 s, read in ticks of 10 ms
    # Only what it spent in the window counts: it waited, though it spent more before.
    assert window.seconds.get("worker_main", 0) < 0.2
    spent = window.ms_per_article(10)
    assert spent["worker_pool"] >= 28
    assert spent["total"] == pytest.approx(sum(v for k, v in spent.items() if k != "total"), 0.01)
    assert 0 < window.busy_percent() <= 100


def test_windows_add_up_and_a_process_started_inside_counts_from_zero():
    window = CpuWindow(worker_pid=-1, server_database=False)
    burn_in(window)
    burn_in(window)

    # Not the worker's child here: the burner counts as another process, once per window.
    assert "worker_pool" not in window.seconds
    assert window.seconds["other"] >= 0.55  # 0.3 s twice, read in ticks of 10 ms
    assert window.seconds.get("stub_server", 0) < 0.2  # this process, which waited
