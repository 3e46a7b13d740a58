"""Serve one WSGI app under gunicorn on loopback for the length of a `with` block."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> tuple[int, int]:
    """(status, body bytes) of one GET; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as e:
        return e.code, len(e.read())


class Gunicorn:
    """gunicorn -w 2 (sync workers) on 127.0.0.1:<free port> serving `spec` (module:variable).

    Run from the repository, so the deployed gunicorn.conf.py applies (worker recycling, timeouts)
    to the hall and the floors alike; the command line sets only workers, bind and timeout."""

    def __init__(self, spec: str, env: dict[str, str], log_dir: Path) -> None:
        self.spec, self.env, self.port = spec, env, free_port()
        self.log = log_dir / f"gunicorn-{spec.replace(':', '-')}.log"
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(ROOT),
            "--error-logfile",
            str(self.log),
            "--timeout",
            "60",
            self.spec,
        ]
        self.process = subprocess.Popen(
            command, env={**os.environ, **self.env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_ready(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.spec} exited; see {self.log}")
            try:
                fetch(self.base + "/healthz", timeout=5)  # cheap on the hall, a quick 404 on the floors
                if len(self.worker_pids()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.spec} did not answer within {within:.0f} s; see {self.log}")

    def drain(self, within: float = 300) -> None:
        """Wait until requests left queued by wrk's closed connections are done: a probe sent now
        is answered only after them (sync workers finish every accepted request)."""
        fetch(self.base + "/healthz", timeout=within)

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == master]

    def worker_rss_mb(self) -> list[float]:
        return [rss for pid in self.worker_pids() if (rss := _rss_mb(pid)) is not None]

    def worker_memory(self) -> list[Memory]:
        return [m for pid in self.worker_pids() if (m := memory(pid)) is not None]


@dataclass(frozen=True)
class Memory:
    """One process's memory in MB, from /proc/PID/smaps_rollup.

    rss counts every page mapped, shared ones too (SQLite's mmap of the database file, the code of
    Python and its libraries); private (USS) only pages no other process maps, file pages included
    (a page of the database only this worker has read is private until the other reads it too);
    anonymous is the process's own heap and stacks, which no other process and no file backs."""

    rss: float
    private: float
    anonymous: float


def memory(pid: int) -> Memory | None:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in text.splitlines()[1:] if ":" in line)}
    return Memory(kb["Rss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, kb["Anonymous"] / 1024)


def _ppid(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
