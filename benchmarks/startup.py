"""Issue 11 ("``rkg query`` on the curated graph starts in under 0.2 s"): the whole command, timed.

``rkg query agreements --param state=KZ`` is run as a fresh process (interpreter start, imports,
the store, the query, the output) in three ways and against two **anchors**, bare-pyoxigraph
scripts, also fresh processes, that run the same query text with the same binding over the same
graphs (dumped once before timing from the store ``rkg query`` builds):

* ``anchor (load)``: loads the N-Quads dump into an in-memory store (what building in memory
  can at best come down to), the ratio's base;
* ``anchor (on disk)``: opens the same data as a read-only RocksDB folder (what a cache hit can
  at best come down to);
* ``rkg warm``: the store cache holds this build (the common case: nothing changed);
* ``rkg cold``: the store cache is emptied before each run (the first command after a change:
  build, answer, and write the entry; the validation result stays remembered, as it would);
* ``rkg (DIR)`` with ``--against DIR``: another checkout (e.g. ``/work/main``, before the
  cache), with the same remembered validation.

The runs are interleaved (anchor, anchor, warm, cold, other, anchor, ...) so load from other
work on the machine hits them alike; figures are min and median of ``--runs`` runs of wall time
and of CPU time (user + system, of the child), and the ratio is of wall medians. Before timing,
every way's rows are checked against the anchor's. Each checkout's modules are byte-compiled
first, as an installed package's are (a ``PYTHONDONTWRITEBYTECODE`` environment would otherwise
time the compiler).

``python -m benchmarks.startup [--runs 10] [--against DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.common import ROOT
from regional_kg.build import obtain_store

COMMAND = ["query", "agreements", "--param", "state=KZ"]
KZ = "https://w3id.org/regional-kg/id/state/KZ"

#: The anchors: nothing but pyoxigraph, the data and the query text, the state bound by a VALUES
#: block at the top of the WHERE clause (as the store binds it), over the same default graph.
_QUERY = r"""
text = open(sys.argv[2], encoding="utf-8").read()
text = text.replace("WHERE {", "WHERE {\n  VALUES ?state { <%s> }" % sys.argv[3], 1)
rows = store.query(text)
sys.stdout.buffer.write(rows.serialize(format=ox.QueryResultsFormat.CSV))
"""
ANCHOR_LOAD = (
    "import sys\nimport pyoxigraph as ox\nstore = ox.Store()\n"
    "store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)\n" + _QUERY
)
ANCHOR_DISK = (
    "import sys\nimport pyoxigraph as ox\nstore = ox.Store.read_only(sys.argv[1])\n" + _QUERY
)


def _dump(path: Path, folder: Path) -> None:
    """The curated graph as ``rkg query`` builds it, written once (not timed) as N-Quads and as
    a RocksDB folder: its named graphs and, as the store keeps it, their de-duplicated union as
    the default graph. (Oxigraph's own ``use_default_graph_as_union`` plans ``agreements`` as a
    cartesian join: over a minute.)"""
    store = obtain_store("oxigraph")
    raw = ox.Store()
    raw.load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    store.close()
    raw.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    raw.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
    disk = ox.Store(str(folder))
    disk.bulk_extend(raw)
    disk.flush()
    del disk


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds (user + system) and stdout of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, timeout=120
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{argv[:3]} failed:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _rows(data: bytes) -> list[tuple[str, ...]]:
    """CSV rows comparable across writers: list cells' items sorted, a formula guard dropped."""
    out = []
    for row in list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]:
        cells = []
        for cell in row:
            cell = cell[1:] if cell.startswith("'") else cell
            cells.append("; ".join(sorted(cell.split("; "))))
        out.append(tuple(cells))
    return sorted(out)


def _env(checkout: Path, cache: Path) -> dict[str, str]:
    """The environment of a run of ``checkout``'s rkg with the cache folder ``cache`` (run in
    ``checkout``: ``python -m`` puts the working folder first on ``sys.path``)."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "RKG_CACHE_DIR": str(cache)}
    for switch in ("RKG_NO_CACHE", "RKG_NO_STORE_CACHE"):
        env.pop(switch, None)
    return env


def _compile(checkout: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "regional_kg")],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


class _Way:
    """One way of answering: its command, environment, and what to do before each run."""

    def __init__(self, argv: list[str], env: dict[str, str], cold: Path | None = None) -> None:
        self.argv, self.env, self.cold = argv, env, cold
        self.cwd = Path(env.get("PYTHONPATH", ROOT))
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, *extra: str) -> bytes:
        if self.cold is not None:
            shutil.rmtree(self.cold, ignore_errors=True)  # the store cache, not the validation's
        wall, cpu, out = _run([*self.argv, *extra], self.env, self.cwd)
        self.wall.append(wall)
        self.cpu.append(cpu)
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--against", type=Path, help="a second checkout to time the same way")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        dump, folder = Path(tmp) / "curated.nq", Path(tmp) / "curated-store"
        _dump(dump, folder)
        query = str(ROOT / "queries" / "agreements.rq")
        rkg = [sys.executable, "-m", "regional_kg.cli", *COMMAND]
        warm, cold = Path(tmp) / "warm", Path(tmp) / "cold"
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        ways = {
            "anchor (load)": _Way([sys.executable, "-c", ANCHOR_LOAD, str(dump), query, KZ], plain),
            "anchor (on disk)": _Way(
                [sys.executable, "-c", ANCHOR_DISK, str(folder), query, KZ], plain
            ),
            "rkg warm": _Way(rkg, _env(ROOT, warm)),
            "rkg cold": _Way(rkg, _env(ROOT, cold), cold=cold / "stores"),
        }
        checkouts = [ROOT]
        if args.against:
            other = args.against.resolve()
            checkouts.append(other)
            ways[f"rkg ({other})"] = _Way(rkg, _env(other, Path(tmp) / "other"))
        for checkout in checkouts:
            _compile(checkout)

        expected = _rows(ways["anchor (load)"].run())
        for name, way in ways.items():  # also primes each cache (validation, the warm store)
            got = _rows(way.run() if name.startswith("anchor") else way.run("--format", "csv"))
            print(f"{name}: {len(got)} rows, same as the anchor's: {got == expected}")
        for way in ways.values():
            way.wall.clear()
            way.cpu.clear()

        for _ in range(args.runs):
            for name, way in ways.items():
                way.run()
                print(f"  {name}: {way.wall[-1]:.3f} s", file=sys.stderr, flush=True)

    base = statistics.median(ways["anchor (load)"].wall)
    print(f"\n`rkg {' '.join(COMMAND)}`, {args.runs} runs each, interleaved (seconds)")
    print(f"{'':40} {'wall min':>8} {'median':>7} {'ratio':>6} {'cpu min':>8} {'median':>7}")
    for name, way in ways.items():
        median = statistics.median(way.wall)
        print(
            f"{name:40} {min(way.wall):8.3f} {median:7.3f} {median / base:5.2f}x "
            f"{min(way.cpu):8.3f} {statistics.median(way.cpu):7.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
