"""``python -m benchmarks.server_load``: ``rkg serve`` vs ``oxigraph serve``, same store and load.

Bounded by construction: a fixed number of clients each send a fixed number of requests over
one kept-alive loopback connection, then the servers are stopped (every request has a 60 s
socket timeout). Both servers run at once in their own processes, each on its own copy of the
same on-disk store, and take turns: ``--rounds`` rounds, each round loading one server after
the other, so that other work on a shared machine hits both alike (measured one after the
other, the ratio swung from 1.9x to 3.8x with the machine's load); only the loaded server uses
the CPU. The clients run in this process.

Printed side by side: throughput (requests/s), p50/p95 latency and the servers' CPU per
request (``rkg serve`` with its engine process; from ``/proc``, Linux only) for

* a light SPARQL query on ``oxigraph serve``'s ``/query`` and on ``rkg serve``'s ``/sparql``;
* a catalogue query through ``/queries/NAME`` and the same query text (parameters bound)
  through ``/sparql``;

with the ratios the targets are stated in (issue #11: ``/sparql`` within 1.5× of ``oxigraph
serve``, ``/queries/NAME`` within 1.5× of ``/sparql``). Each ratio is the median of the
per-round ratios, with their range: on a shared 2-core machine the pooled figures of 800
requests swung by ±30 % from run to run, while a round's two servers see the same load. CPU
per request is the steadiest of the figures (time waiting for a core does not count).
Figures only, no pass/fail: timings depend on the machine (``--json FILE`` keeps them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, percentile
from regional_kg.server.backend import free_port, oxigraph_cli

LIGHT = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?state ?code ?name WHERE {
  ?state a rkg:State ; rkg:isoCode ?code ; skos:prefLabel ?name
  FILTER(LANG(?name) = "en")
} ORDER BY ?code"""
CATALOGUE = ("leaders", {"organisation": "KZ"})


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_up(port: int, process: subprocess.Popen, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not come up")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU of these processes so far (``None`` where ``/proc`` is missing)."""
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / _TICK


def with_children(pid: int) -> list[int]:
    """``pid`` and its child processes (``rkg serve``'s engine), from ``/proc``."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


@dataclass
class Run:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    #: CPU the server used during the run (its engine included), ``None`` if unknown
    cpu: float | None = None

    @property
    def cpu_ms(self) -> float | None:
        """Server CPU per request, in ms."""
        return None if self.cpu is None else self.cpu * 1000 / max(1, self.requests)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "requests": self.requests,
            "errors": self.errors,
            "req_per_s": round(self.rate, 1),
            "p50_ms": round(self.p(50), 2),
            "p95_ms": round(self.p(95), 2),
            "cpu_ms_per_request": None if self.cpu_ms is None else round(self.cpu_ms, 3),
        }


def load(
    label: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None,
    ctype: str | None,
    clients: int,
    requests: int,
    server_pid: int | None = None,
) -> Run:
    """``clients`` threads × ``requests`` each, one kept-alive connection per thread; the CPU
    of ``server_pid`` and its children is read before and after."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_line = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Accept": "application/sparql-results+json, application/json"}
        if ctype:
            headers["Content-Type"] = ctype
        start_line.wait()
        for _ in range(requests):
            t = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies[i].append(time.perf_counter() - t)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    pids = with_children(server_pid) if server_pid is not None else []
    cpu_before = cpu_seconds(pids)
    start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    cpu_after = cpu_seconds(pids)
    flat = [x for part in latencies for x in part]
    cpu = None if cpu_before is None or cpu_after is None or not pids else cpu_after - cpu_before
    return Run(label, len(flat), sum(errors), seconds, flat, cpu)


def catalogue_text(folder: Path) -> str:
    """The catalogue query with its parameters bound, as the server sends it to its engine."""
    from regional_kg.catalogue import bind_params, get_query
    from regional_kg.stores.base import inject_values
    from regional_kg.stores.oxigraph import OxigraphStore

    name, params = CATALOGUE
    spec = get_query(name)
    store = OxigraphStore(folder, read_only=True)
    try:
        return inject_values(spec.text, bind_params(store, spec, params))
    finally:
        store.close()


def build_store(folder: Path, triples: int | None) -> None:
    cmd = [sys.executable, "-m", "regional_kg.cli", "build", "-q", "--no-validate"]
    cmd += ["--store", f"oxigraph:{folder}"]
    if triples:
        data = folder.parent / "synth.nq"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "regional_kg.cli",
                "synth",
                "--triples",
                str(triples),
                "-o",
                str(data),
                "--quiet",
            ],
            check=True,
        )
        cmd += ["--source", str(data)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def merge(label: str, parts: list[Run]) -> Run:
    """One run from the rounds of an interleaved measurement: requests and time summed."""
    cpus = [p.cpu for p in parts]
    return Run(
        label,
        sum(p.requests for p in parts),
        sum(p.errors for p in parts),
        sum(p.seconds for p in parts),
        [x for p in parts for x in p.latencies],
        None if any(c is None for c in cpus) else sum(c for c in cpus if c is not None),
    )


#: figure -> how one run's is read, and whether higher is better (the ratio is then inverted
#: so that every ratio reads "how many times worse")
FIGURES: dict[str, tuple[Callable[[Run], float | None], bool]] = {
    "throughput": (lambda r: r.rate, True),
    "p50": (lambda r: r.p(50), False),
    "p95": (lambda r: r.p(95), False),
    "cpu/request": (lambda r: r.cpu_ms, False),
}


def round_ratios(base: list[Run], other: list[Run], figure: str) -> list[float]:
    """Per round, how many times worse ``other`` is than ``base`` on ``figure``."""
    read, higher_better = FIGURES[figure]
    ratios = []
    for a, b in zip(base, other, strict=True):
        x, y = read(a), read(b)
        if x is None or y is None or not x or not y:
            continue
        ratios.append(x / y if higher_better else y / x)
    return ratios


def ratio_summary(base: list[Run], other: list[Run]) -> dict[str, dict[str, float]]:
    """Median and range of the per-round ratios, per figure."""
    summary = {}
    for figure in FIGURES:
        found = round_ratios(base, other, figure)
        if found:
            summary[figure] = {
                "median": round(statistics.median(found), 3),
                "min": round(min(found), 3),
                "max": round(max(found), 3),
            }
    return summary


#: (label, base, other): the ratios the targets are stated in
RATIOS = (
    ("rkg /sparql vs oxigraph serve, light", "ox_light", "rkg_light"),
    ("rkg /sparql vs oxigraph serve, catalogue", "ox_catalogue", "rkg_catalogue_sparql"),
    ("/queries/NAME vs /sparql, same text", "rkg_catalogue_sparql", "rkg_catalogue"),
)


def plan(ox: tuple[int, int], rkg: tuple[int, int], text: str) -> dict[str, tuple]:
    """key -> (label, port, method, path, body, content type, server pid) of each load."""
    qtype = "application/sparql-query"
    name, params = CATALOGUE
    route = f"/queries/{name}?" + urllib.parse.urlencode(params)
    return {
        "ox_light": (
            "oxigraph serve /query, light",
            ox[0],
            "POST",
            "/query",
            LIGHT.encode(),
            qtype,
            ox[1],
        ),
        "rkg_light": (
            "rkg serve /sparql, light",
            rkg[0],
            "POST",
            "/sparql",
            LIGHT.encode(),
            qtype,
            rkg[1],
        ),
        "ox_catalogue": (
            "oxigraph serve /query, catalogue text",
            ox[0],
            "POST",
            "/query",
            text.encode(),
            qtype,
            ox[1],
        ),
        "rkg_catalogue_sparql": (
            "rkg serve /sparql, catalogue text",
            rkg[0],
            "POST",
            "/sparql",
            text.encode(),
            qtype,
            rkg[1],
        ),
        "rkg_catalogue": (f"rkg serve /queries/{name}", rkg[0], "GET", route, None, None, rkg[1]),
    }


def start_servers(folder: Path, copy: Path, workers: int, rkg_path: str | None):
    """``oxigraph serve`` on ``folder`` and ``rkg serve`` on ``copy``: (process, port) each."""
    ox_port, rkg_port = free_port(), free_port()
    oxigraph = subprocess.Popen(
        [
            oxigraph_cli(),
            "serve-read-only",
            "--location",
            str(folder),
            "--bind",
            f"127.0.0.1:{ox_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = dict(os.environ)
    if rkg_path:
        env["PYTHONPATH"] = rkg_path
    rkg = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "regional_kg.cli",
            "serve",
            "--store",
            f"oxigraph:{copy}",
            "--port",
            str(rkg_port),
            "--quiet",
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=rkg_path or ROOT,
    )
    return (oxigraph, ox_port), (rkg, rkg_port)


def measure(loads: dict[str, tuple], clients: int, per_round: int, rounds: int):
    """The interleaved rounds (see the module's docstring): key -> one Run per round."""
    log("warming up ...")
    for label, port, method, path, body, ctype, _pid in loads.values():
        load(label, port, method, path, body, ctype, 2, 20)
    parts: dict[str, list[Run]] = {key: [] for key in loads}
    for i in range(rounds):
        log(f"round {i + 1} of {rounds} ...")
        for key, (label, port, method, path, body, ctype, pid) in loads.items():
            parts[key].append(load(label, port, method, path, body, ctype, clients, per_round, pid))
    return parts


def report(parts: dict[str, list[Run]], clients: int, rounds: int) -> dict:
    """Print the figures and the ratios; return them for ``--json``."""
    runs = {key: merge(found[0].label, found) for key, found in parts.items()}
    print(
        f"\n{clients} clients x {runs['ox_light'].requests // clients} requests each,"
        f" kept-alive, loopback; {rounds} rounds, the servers taking turns in each"
    )
    print(f"{'':42} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms/req':>11} {'errors':>7}")
    for run in runs.values():
        cpu = f"{run.cpu_ms:11.3f}" if run.cpu_ms is not None else f"{'-':>11}"
        print(
            f"{run.label:42} {run.rate:8.1f} {run.p(50):8.2f} {run.p(95):8.2f} {cpu}"
            f" {run.errors:7d}"
        )
    print("\nratios, times worse: median of the rounds [min-max] (target: at most 1.5)")
    ratios = {}
    for label, base, other in RATIOS:
        summary = ratio_summary(parts[base], parts[other])
        ratios[label] = summary
        cells = [
            f"{fig} {v['median']:.2f} [{v['min']:.2f}-{v['max']:.2f}]" for fig, v in summary.items()
        ]
        print(f"  {label}:\n    " + "; ".join(cells))
    return {"runs": {k: r.as_dict() for k, r in runs.items()}, "ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600, help="per client, all rounds")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (see above)")
    parser.add_argument("--triples", type=int, help="add a synthetic region of about T triples")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--rkg-path", metavar="DIR", help="run rkg serve from this source tree (a before/after)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rkg-bench-serve-") as tmp:
        folder = Path(tmp) / "kg"
        log("building the store ...")
        build_store(folder, args.triples)
        text = catalogue_text(folder)
        # each server reads its own copy of the same store (two engines on one RocksDB folder
        # would share nothing but a risk)
        copy = Path(tmp) / "kg-rkg"
        shutil.copytree(folder, copy)
        n = args.clients
        (oxigraph, ox_port), (rkg, rkg_port) = start_servers(folder, copy, max(n, 4), args.rkg_path)
        try:
            wait_up(ox_port, oxigraph)
            wait_up(rkg_port, rkg)
            loads = plan((ox_port, oxigraph.pid), (rkg_port, rkg.pid), text)
            parts = measure(loads, n, max(1, args.requests // args.rounds), args.rounds)
        finally:
            stop(oxigraph)
            stop(rkg)
    figures = report(parts, n, args.rounds)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
