"""Memory, CPU time and CPU wait of processes, read from Linux's /proc (None elsewhere: the figures are left out).

Peak RSS is the kernel's high-water mark (`VmHWM`), so a short spike between two
samples still counts. For forked workers it includes the model pages they share
copy-on-write with the supervisor, which is what a container memory limit sees.
"""

from __future__ import annotations

import os
from pathlib import Path

MB = 1024 * 1024


def _status_kb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Highest resident set size the process has had, in MiB."""
    kb = _status_kb(pid or os.getpid(), "VmHWM")
    return None if kb is None else round(kb / 1024, 1)


def rss_mb(pid: int | None = None) -> float | None:
    """Current resident set size, in MiB."""
    kb = _status_kb(pid or os.getpid(), "VmRSS")
    return None if kb is None else round(kb / 1024, 1)


def cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU time the process has used so far (None for a process not started)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_wait_seconds(pid: int | None = None) -> float | None:
    """Time the process's main thread was ready to run but waited for a CPU: how busy the machine was around it."""
    try:
        return int(Path(f"/proc/{pid or os.getpid()}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def child_pids(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
