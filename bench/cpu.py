"""Where ingestion's CPU time goes, read from /proc: each process's user and system time,
grouped by its part in the pipeline, and how busy the machine's cores were meanwhile.

Rates alone cannot say whether ingestion is short of CPU or waits on something; these
figures, taken over the same batches, can.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class _Process:
    ppid: int
    command: str
    seconds: float


def _processes() -> dict[int, _Process]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            # The command name in brackets may hold spaces; the fields after it do not.
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry.name)] = _Process(
                ppid=int(fields[1]),
                command=command,
                seconds=(int(fields[11]) + int(fields[12])) / _TICKS,
            )
    return found


def _core_ticks() -> tuple[int, int]:
    """(all, idle) ticks summed over every core since boot."""
    # user nice system idle iowait irq softirq steal; the guest times after them are
    # already counted in user and nice.
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(values), values[3] + values[4]  # idle + iowait


@dataclass
class CpuWindow:
    """CPU time spent by role between `start()` and `stop()` calls, over several windows."""

    worker_pid: int
    server_database: bool  # PostgreSQL, whose processes then count as the database's
    seconds: dict[str, float] = field(default_factory=dict)
    _ticks: list[int] = field(default_factory=lambda: [0, 0])
    _before: dict[int, _Process] = field(default_factory=dict)
    _core_before: tuple[int, int] = (0, 0)

    def role(self, pid: int, process: _Process) -> str:
        if pid == self.worker_pid:
            return "worker_main"
        if process.ppid == self.worker_pid:
            return "worker_pool"
        if pid == os.getpid():
            return "stub_server"  # and the bench's own sampling, which is little
        if self.server_database and process.command.startswith("postgres:"):
            return "database"  # its backends and the WAL writer, checkpointer, autovacuum
        if process.command.startswith("redis-server"):
            return "broker"
        return "other"

    def start(self) -> None:
        self._before = _processes()
        self._core_before = _core_ticks()

    def stop(self) -> None:
        after = _processes()
        core_after = _core_ticks()
        for pid, process in after.items():
            # A process started during the window counts from zero; one that ended in it
            # (a replaced pool process) is lost, which the caller's figures then understate.
            before = self._before.get(pid)
            spent = process.seconds - (before.seconds if before else 0.0)
            if spent > 0:
                role = self.role(pid, process)
                self.seconds[role] = self.seconds.get(role, 0.0) + spent
        self._ticks[0] += core_after[0] - self._core_before[0]
        self._ticks[1] += core_after[1] - self._core_before[1]

    def ms_per_article(self, articles: int) -> dict[str, float]:
        spent = {role: seconds * 1000 / articles for role, seconds in self.seconds.items()}
        spent["total"] = sum(spent.values())
        return {role: round(ms, 2) for role, ms in sorted(spent.items())}

    def busy_percent(self) -> float:
        everything, idle = self._ticks
        return 100 * (everything - idle) / everything if everything else 0.0
