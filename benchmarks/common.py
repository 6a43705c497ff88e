"""Shared helpers: timing, memory, percentiles, child processes with a time budget, a server."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from regional_kg.server.backend import free_port, oxigraph_cli

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Reset VmHWM (Linux ≥ 4.0: write 5 to clear_refs), so a phase's peak is its own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    ordered = sorted(samples)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def emit(**record: object) -> None:
    """A worker's result line (read by :func:`run_worker`)."""
    print("RKGBENCH " + json.dumps(record, default=str), flush=True)


def run_worker(task: str, params: dict, budget: float, log: Callable[[str], None]) -> list[dict]:
    """Run ``python -m benchmarks.worker task`` with ``params``; stop it after ``budget`` s.

    Returns the records it emitted; when stopped, a last record ``{"timeout": budget}``.
    """
    cmd = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(params)]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    records: list[dict] = []
    deadline = time.monotonic() + budget
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buffer = ""
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        if not sel.select(timeout=min(left, 1.0)):
            if proc.poll() is not None:
                break
            continue
        chunk = proc.stdout.readline()
        if not chunk:
            break
        buffer = chunk
        if buffer.startswith("RKGBENCH "):
            record = json.loads(buffer[len("RKGBENCH ") :])
            records.append(record)
    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
        records.append({"timeout": budget})
        log(f"  {task}: stopped after its budget of {budget:.0f} s")
    proc.wait()
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, -9) and not timed_out:
        log(f"  {task} failed (exit {proc.returncode}): {err.strip()[-2000:]}")
        records.append({"error": err.strip()[-500:]})
    return records


def run_command(
    cmd: list[str], budget: float, log: Callable[[str], None]
) -> tuple[int | None, str]:
    """Run a benchmark module's own command line (``python -m benchmarks.startup`` ...) in its
    own session, stopped after ``budget`` s: ``(exit code or None when stopped, stdout)``.
    Its stderr (progress lines) passes through to ours."""
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, _ = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        log(f"  {' '.join(cmd[2:4])}: stopped after its budget of {budget:.0f} s")
        return None, out or ""
    return proc.returncode, out


class Server:
    """``oxigraph serve`` on a free loopback port (union default graph), for the remote store."""

    def __init__(self, location: Path) -> None:
        self.location, self.port = location, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def spec(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        return f"sparql:{base}/query#update={base}/update&store={base}/store&union=server"

    def __enter__(self) -> Server:
        cmd = [oxigraph_cli(), "serve", "--location", str(self.location)]
        cmd += ["--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{self.port}/query?query=ASK%7B%7D"
        for _ in range(300):
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("oxigraph serve did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def peak_rss_mb(self) -> float | None:
        if not self.process:
            return None
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


def lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as handle:
        yield from handle
