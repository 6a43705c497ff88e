"""Issue 11 ("``rkg query`` on the curated graph starts in under 0.2 s"): the whole command, timed.

``rkg query agreements --param state=KZ`` is run as a fresh process (interpreter start, imports,
building the curated graph in memory, the query, the output) against an **anchor**: a
bare-pyoxigraph script, also a fresh process, that loads the same graphs (an N-Quads dump of the
built store, made once before timing) and runs the same query text with the same binding. The
runs are interleaved (anchor, rkg, [other checkout], anchor, ...) so load from other work on the
machine hits them alike; figures are min and median of ``--runs`` runs, and the ratio is of
medians. Before timing, the anchor's rows are checked against ``rkg query --format csv``.

``--against DIR`` adds a second checkout (e.g. ``/work/main``) timed the same way: a
before/after of a change in one run.

``python -m benchmarks.startup [--runs 10] [--against DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT

COMMAND = ["query", "agreements", "--param", "state=KZ"]
KZ = "https://w3id.org/regional-kg/id/state/KZ"

#: The anchor: nothing but pyoxigraph, the dump and the query text, the state bound by a VALUES
#: block at the top of the WHERE clause (as the store binds it), over the same default graph.
ANCHOR = r"""
import sys
import pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
text = open(sys.argv[2], encoding="utf-8").read()
text = text.replace("WHERE {", "WHERE {\n  VALUES ?state { <%s> }" % sys.argv[3], 1)
rows = store.query(text)
sys.stdout.buffer.write(rows.serialize(format=ox.QueryResultsFormat.CSV))
"""


def _dump(path: Path) -> None:
    """The curated graph as ``rkg query`` builds it, dumped once (not timed): its named graphs and,
    as the store keeps it, their de-duplicated union as the default graph. (Oxigraph's own
    ``use_default_graph_as_union`` plans ``agreements`` as a cartesian join: over a minute.)"""
    import pyoxigraph as ox

    from regional_kg.build import obtain_store

    store = obtain_store("oxigraph", read_only=True)
    raw = ox.Store()
    raw.load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    store.close()
    raw.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    raw.dump(output=str(path), format=ox.RdfFormat.N_QUADS)


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    if done.returncode:
        raise SystemExit(f"{argv[:3]} failed:\n{done.stderr.decode(errors='replace')}")
    return time.perf_counter() - start, done.stdout


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


def _env(checkout: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(checkout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--against", type=Path, help="a second checkout to time the same way")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "curated.nq"
        _dump(dump)
        query = ROOT / "queries" / "agreements.rq"
        anchor = [sys.executable, "-c", ANCHOR, str(dump), str(query), KZ]
        rkg = [sys.executable, "-m", "regional_kg.cli", *COMMAND]
        ways = {"anchor": (anchor, _env(ROOT)), "rkg": (rkg, _env(ROOT))}
        if args.against:
            ways[f"rkg ({args.against})"] = (rkg, _env(args.against.resolve()))

        _, expected = _run(anchor, _env(ROOT))
        for name, (command, env) in ways.items():
            if name == "anchor":
                continue
            _, got = _run([*command, "--format", "csv"], env)
            same = _rows(got) == _rows(expected)
            print(f"{name}: {len(_rows(got))} rows, same as the anchor's: {same}")

        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, (command, env) in ways.items():
                times[name].append(_run(command, env)[0])
                print(f"  {name}: {times[name][-1]:.3f} s", file=sys.stderr, flush=True)

    base = statistics.median(times["anchor"])
    print(f"\n`rkg {' '.join(COMMAND)}`, {args.runs} runs each, interleaved (seconds)")
    print(f"{'':32} {'min':>7} {'median':>7} {'ratio':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:32} {min(values):7.3f} {median:7.3f} {median / base:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
