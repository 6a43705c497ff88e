"""Running the tasks of :mod:`benchmarks.plan`: each measurement in its own child process with
a time budget, every record tagged with its size, task and sub-run.

A worker stopped at its budget leaves the records it emitted plus ``{"timeout": s}``; a task
the run's total budget leaves no time for gets ``{"kind": "not-run"}``; so the table can say
per task what happened instead of leaving a hole.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import ROOT, run_command, run_worker
from benchmarks.plan import MIN_SLICE, Task, settings
from benchmarks.servers import server_specs
from regional_kg import synth

Log = Callable[[str], None]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def synth_file(size: int) -> Path:
    """The synthetic region of about ``size`` triples (seed 1), written once and reused."""
    folder = ROOT / "bench-results" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synth-{size}.nq"
    if not path.exists():
        states, years = synth.size_for(size)
        stats = synth.write_file(path, states, years, seed=1)
        log(f"wrote {path.name}: {stats.triples:,} triples ({states} states x {years} years)")
    return path


class Clock:
    """The run's deadline and the current task's: a sub-run gets what is left of both."""

    def __init__(self, total: float) -> None:
        self.end = time.monotonic() + total
        self.task_end = self.end

    def start_task(self, budget: float) -> float:
        self.task_end = min(self.end, time.monotonic() + budget)
        return self.left()

    def left(self) -> float:
        return max(0.0, self.task_end - time.monotonic())


class Runner:
    """Runs one task at one size and collects its tagged records."""

    def __init__(self, clock: Clock, size: int | None, task: Task, quick: bool) -> None:
        self.clock, self.size, self.task = clock, size, task
        self.cfg = settings(size, quick)
        self.file = str(synth_file(size)) if size else ""
        self.records: list[dict] = []

    def add(self, sub: str, found: list[dict]) -> list[dict]:
        for r in found:
            r.update(size=self.size, task=self.task.name, sub=sub)
        self.records.extend(found)
        return found

    def worker(self, sub: str, worker_task: str, params: dict,
               cap: float | None = None) -> list[dict]:
        left = min(self.clock.left(), cap or float("inf"))
        if left < MIN_SLICE:
            return self.add(sub, [{"kind": "not-run", "reason": "task budget spent"}])
        log(f"[{self.size or '-'}] {self.task.name}: {sub} (budget {left:.0f} s)")
        start = time.monotonic()
        found = run_worker(worker_task, {"file": self.file, **params}, left, log)
        log(f"  done in {time.monotonic() - start:.0f} s")
        return self.add(sub, found)

    def command(self, sub: str, argv: list[str]) -> tuple[int | None, str]:
        left = self.clock.left()
        if left < MIN_SLICE:
            self.add(sub, [{"kind": "not-run", "reason": "task budget spent"}])
            return None, ""
        log(f"[-] {self.task.name}: {sub} (budget {left:.0f} s)")
        code, out = run_command([sys.executable, "-m", *argv], left, log)
        if code is None:
            self.add(sub, [{"timeout": round(left)}])
        elif code:
            self.add(sub, [{"error": f"exit {code}: {out.strip()[-300:]}"}])
        return code, out


# --- the tasks ---------------------------------------------------------------------------------


def build(run: Runner) -> None:
    for disk in (False, True):
        where = "on disk" if disk else "in memory"
        run.worker(f"raw load {where}", "anchor-raw-load", {"disk": disk})
        for validate in (False, True):
            sub = f"rkg build {where}, validation {'on' if validate else 'off'}"
            run.worker(sub, "anchor-build", {"disk": disk, "validate": validate})


def queries(run: Runner) -> None:
    run.worker("in-process oxigraph", "anchor-queries", {"repeats": run.cfg["query_repeats"]})


def centrality(run: Runner) -> None:
    run.worker("actor view", "anchor-centrality",
               {"repeats": run.cfg["centrality_repeats"], "exact": run.cfg["exact"]})


SERVERS = ("oxigraph-server", "virtuoso")


def remote(run: Runner) -> None:
    servers = server_specs(log)
    seen: list[str] = []
    exhausted = False
    while run.clock.left() >= MIN_SLICE and len(seen) < len(SERVERS):
        share = run.clock.left() / (len(SERVERS) - len(seen))  # each server its part
        try:
            name, spec, stop = next(servers)
        except StopIteration:
            exhausted = True
            break
        seen.append(name)
        try:
            run.worker(name, "anchor-queries", {"repeats": 3, "server": name, "server_spec": spec},
                       cap=max(share, MIN_SLICE))
        finally:
            stop()
    servers.close()
    for name in SERVERS:
        if name not in seen:  # not installed here, or no time left to start it
            reason = "not installed" if exhausted else "task budget spent"
            run.add(name, [{"kind": "not-run", "reason": reason}])


def rdflib(run: Runner, bindings: dict) -> None:
    run.worker("parse and queries", "baseline",
               {"queries": bindings, "repeats": 1, "limit": 5.0})


def server(run: Runner) -> None:
    with tempfile.TemporaryDirectory(prefix="rkg-bench-") as tmp:
        out = Path(tmp) / "server.json"
        code, _ = run.command("8 clients", ["benchmarks.server_load", "--json", str(out),
                                            *run.cfg["server_args"]])
        if code == 0 and out.exists():
            run.add("8 clients", [server_record(json.loads(out.read_text()))])


def server_record(figures: dict) -> dict:
    """The record of a ``benchmarks.server_load --json`` file, which holds
    ``{"runs": {name: figures}, "ratios": per-round medians}``."""
    return {"kind": "server", "runs": figures["runs"], "ratios": figures.get("ratios", {})}


#: ``name  wall-min  wall-median  ratio x  [cpu-min  cpu-median]`` (the CPU columns are optional)
_STARTUP_LINE = re.compile(r"^(\S.*?)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)x(?:\s+[\d.]+)*\s*$")


def parse_startup(text: str) -> list[dict]:
    """The figures ``benchmarks.startup`` prints: ``name  min  median  ratio x`` per way, and
    whether rkg's rows were the anchor's."""
    out: list[dict] = []
    for line in text.splitlines():
        m = _STARTUP_LINE.match(line)
        if m:
            out.append({"kind": "startup", "way": m[1].strip(), "min": float(m[2]),
                        "median": float(m[3]), "ratio": float(m[4])})
        elif "same as the anchor's:" in line:
            out.append({"kind": "startup-check", "same": line.rstrip().endswith("True"),
                        "line": line.strip()})
    return out


def startup(run: Runner) -> None:
    code, out = run.command("curated graph", ["benchmarks.startup", "--runs",
                                              str(run.cfg["startup_runs"])])
    if code == 0:
        run.add("curated graph", parse_startup(out))
