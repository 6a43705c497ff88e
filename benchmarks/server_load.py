"""``python -m benchmarks.server_load``: ``rkg serve`` vs ``oxigraph serve``, same store and load.

Bounded by construction: a fixed number of clients each send a fixed number of requests over
one kept-alive loopback connection, then the servers are stopped (every request has a 60 s
socket timeout). Both servers run at once in their own processes, each on its own copy of the
same on-disk store, and take turns: ``--rounds`` rounds, each round loading one server after
the other, so that other work on a shared machine hits both alike (measured one after the
other, the ratio swung from 1.9x to 3.8x with the machine's load); only the loaded server uses
the CPU. The clients run in this process.

Printed side by side: throughput (requests/s) and p50/p95 latency for

* a light SPARQL query on ``oxigraph serve``'s ``/query`` and on ``rkg serve``'s ``/sparql``;
* a catalogue query through ``/queries/NAME`` and the same query text (parameters bound)
  through ``/sparql``;

with the ratios the targets are stated in (issue #11: ``/sparql`` within 1.5× of ``oxigraph
serve``, ``/queries/NAME`` within 1.5× of ``/sparql``). Figures only, no pass/fail: timings
depend on the machine (``--json FILE`` keeps them).
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
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, percentile

LIGHT = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?state ?code ?name WHERE {
  ?state a rkg:State ; rkg:isoCode ?code ; skos:prefLabel ?name
  FILTER(LANG(?name) = "en")
} ORDER BY ?code"""
CATALOGUE = ("leaders", {"organisation": "KZ"})


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@dataclass
class Run:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

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
) -> Run:
    """``clients`` threads × ``requests`` each, one kept-alive connection per thread."""
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
    start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    flat = [x for part in latencies for x in part]
    return Run(label, len(flat), sum(errors), seconds, flat)


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
    return Run(
        label,
        sum(p.requests for p in parts),
        sum(p.errors for p in parts),
        sum(p.seconds for p in parts),
        [x for p in parts for x in p.latencies],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100, help="per client")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (see above)")
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
        n, m = args.clients, args.requests
        light = LIGHT.encode()
        name, params = CATALOGUE
        route = f"/queries/{name}?" + urllib.parse.urlencode(params)
        sparql = ("POST", "/sparql")
        query = ("POST", "/query")
        qtype = "application/sparql-query"

        ox_port, rkg_port = free_port(), free_port()
        oxigraph = subprocess.Popen(
            [_oxigraph(), "serve-read-only", "--location", str(folder), "--bind",
             f"127.0.0.1:{ox_port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env = dict(os.environ)
        if args.rkg_path:
            env["PYTHONPATH"] = args.rkg_path
        rkg = subprocess.Popen(
            [sys.executable, "-m", "regional_kg.cli", "serve", "--store", f"oxigraph:{copy}",
             "--port", str(rkg_port), "--quiet", "--workers", str(max(n, 4))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=args.rkg_path or ROOT,
        )
        #: key -> (label, port, method, path, body, content type)
        plan = {
            "ox_light": ("oxigraph serve /query, light", ox_port, *query, light, qtype),
            "rkg_light": ("rkg serve /sparql, light", rkg_port, *sparql, light, qtype),
            "ox_catalogue": ("oxigraph serve /query, catalogue text", ox_port, *query,
                             text.encode(), qtype),
            "rkg_catalogue_sparql": ("rkg serve /sparql, catalogue text", rkg_port, *sparql,
                                     text.encode(), qtype),
            "rkg_catalogue": (f"rkg serve /queries/{name}", rkg_port, "GET", route, None, None),
        }
        parts: dict[str, list[Run]] = {key: [] for key in plan}
        try:
            wait_up(ox_port, oxigraph)
            wait_up(rkg_port, rkg)
            log("warming up ...")
            for _label, port, method, path, body, ctype in plan.values():
                load("warm-up", port, method, path, body, ctype, 2, 10)
            per_round = max(1, m // args.rounds)
            for i in range(args.rounds):
                log(f"round {i + 1} of {args.rounds} ...")
                for key, (label, port, method, path, body, ctype) in plan.items():
                    parts[key].append(load(label, port, method, path, body, ctype, n, per_round))
        finally:
            stop(oxigraph)
            stop(rkg)
        runs = {key: merge(plan[key][0], found) for key, found in parts.items()}

    print(f"\n{n} clients x {runs['ox_light'].requests // n} requests each, kept-alive, loopback;"
          f" {args.rounds} rounds, the servers taking turns in each")
    print(f"{'':42} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for run in runs.values():
        print(f"{run.label:42} {run.rate:8.1f} {run.p(50):8.2f} {run.p(95):8.2f} {run.errors:7d}")

    def ratio(a: str, b: str) -> str:
        ra, rb = runs[a], runs[b]
        rounds = sorted(x.rate / y.rate for x, y in zip(parts[a], parts[b], strict=True))
        return (
            f"throughput {ra.rate / rb.rate:5.2f}x lower, p95 {rb.p(95) / ra.p(95):5.2f}x"
            f" higher (p50 {rb.p(50) / ra.p(50):5.2f}x; throughput per round: median"
            f" {statistics.median(rounds):.2f}x)"
        )

    print("\nratios (target: at most 1.5)")
    print(f"  rkg /sparql vs oxigraph serve, light:     {ratio('ox_light', 'rkg_light')}")
    print(
        "  rkg /sparql vs oxigraph serve, catalogue: "
        f"{ratio('ox_catalogue', 'rkg_catalogue_sparql')}"
    )
    print(
        f"  /queries/NAME vs /sparql, same text:      "
        f"{ratio('rkg_catalogue_sparql', 'rkg_catalogue')}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({k: r.as_dict() for k, r in runs.items()}, indent=2) + "\n"
        )
    return 0


def _oxigraph() -> str:
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else "oxigraph"


if __name__ == "__main__":
    sys.exit(main())
