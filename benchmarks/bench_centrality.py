"""Benchmark: projection + every centrality measure on synthetic actor graphs (10k, 100k nodes).

    .venv/bin/python -m benchmarks.bench_centrality                 # 10k and 100k nodes
    .venv/bin/python -m benchmarks.bench_centrality --nodes 10000 --k 200

A small generator below writes an actor graph as N-Quads following docs/model.md (states, people,
organisations with memberships, terms of office, visits, meetings with participations,
agreements with parties and signatories, yearly trade observations, each fact with a qualified
derivation); hosts, partners and parties are drawn with Zipf-like weights, so some states are
hubs, as in a real region. The quads go straight into an in-memory Oxigraph store (its bulk
loader; loading is not what is measured here). Then, for both backends:

* ``project``: the eight layer queries plus the node and provenance queries, and the MultiGraph;
* ``collapse``: the ``all`` graph (per-pair sums of layer-normalised weights);
* each measure on it. Betweenness is approximated from ``k`` sampled sources (exact betweenness
  is O(n·m): at 10k nodes networkx takes minutes, at 100k hours). Closeness needs one Dijkstra per
  node as well, so on graphs above ``--closeness-limit`` nodes it is timed on 200 nodes and
  extrapolated to all of them, marked ``est.``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable

import networkx as nx

from regional_kg.network import collapse, compute, project
from regional_kg.network.projection import LAYERS
from regional_kg.stores.oxigraph import OxigraphStore

RKG = "https://w3id.org/regional-kg/ontology#"
RKGD = "https://w3id.org/regional-kg/id/"
RKGC = "https://w3id.org/regional-kg/concept/"
GRAPH = "<https://w3id.org/regional-kg/graph/bench>"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


def _i(kind: str, local: object) -> str:
    return f"<{RKGD}{kind}/{local}>"


def _k(local: str) -> str:
    return f"<{RKG}{local}>"


def generate(nodes: int, seed: int = 7) -> tuple[bytes, dict[str, int]]:
    """N-Quads of an actor graph with about ``nodes`` actor nodes, and the count per kind."""
    rng = random.Random(seed)
    n_states = max(12, nodes // 400)
    counts = {
        "State": n_states,
        "Person": int(nodes * 0.15),
        "Organisation": max(5, int(nodes * 0.02)),
        "Visit": int(nodes * 0.30),
        "Meeting": int(nodes * 0.18),
    }
    counts["Agreement"] = nodes - sum(counts.values())
    lines: list[str] = []
    para = [0]

    def q(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} {GRAPH} .\n")

    def lit(value: object, dt: str | None = None) -> str:
        return f'"{value}"' + (f"^^<{XSD}{dt}>" if dt else "")

    def cite(fact: str) -> None:
        para[0] += 1
        d = f"_:d{para[0]}"
        q(fact, f"<{PROV}qualifiedDerivation>", d)
        q(d, TYPE, f"<{PROV}Derivation>")
        q(d, f"<{PROV}entity>", _i("doc", "bench"))
        q(d, _k("paragraph"), lit(para[0] % 5000 + 1, "integer"))

    states = [_i("state", f"S{i:04d}") for i in range(n_states)]
    hub = [1.0 / (i + 1) ** 0.8 for i in range(n_states)]  # Zipf-like: a few hub states
    for i, s in enumerate(states):
        q(s, TYPE, _k("State"))
        q(s, _k("isoCode"), lit(f"S{i:04d}"))
        q(s, PREF, f'"State {i}"@en')

    def pick_state(exclude: str | None = None) -> str:
        while True:
            s = rng.choices(states, hub)[0]
            if s != exclude:
                return s

    people = []
    for i in range(counts["Person"]):
        p, home = _i("person", i), pick_state()
        people.append((p, home))
        q(p, TYPE, _k("Person"))
        q(p, f"<{SCHEMA}name>", lit(f"Person {i}"))
        q(p, f"<{SCHEMA}nationality>", home)
        t = _i("term", i)
        q(t, TYPE, _k("TermOfOffice"))
        q(t, f"<{ORG}member>", p)
        q(t, f"<{ORG}organization>", home)
        q(t, _k("attestedOn"), lit(rng.randint(2010, 2020), "gYear"))
        cite(t)
    for i in range(counts["Organisation"]):
        o = _i("org", i)
        q(o, TYPE, _k("IntergovernmentalOrganisation"))
        q(o, PREF, f'"Organisation {i}"@en')
        for j, s in enumerate(rng.sample(states, min(len(states), rng.randint(2, 8)))):
            m = _i("membership", f"{i}-{j}")
            q(m, TYPE, _k("Membership"))
            q(m, f"<{ORG}member>", s)
            q(m, f"<{ORG}organization>", o)
            q(m, _k("attestedOn"), lit(rng.randint(2010, 2020), "gYear"))
            cite(m)
    visits = []
    for i in range(counts["Visit"]):
        v, (person, home) = _i("visit", i), rng.choice(people)
        visits.append(v)
        q(v, TYPE, _k("Visit"))
        q(v, _k("visitor"), person)
        q(v, _k("visitingState"), home)
        q(v, _k("hostState"), pick_state(home))
        q(
            v,
            f"<{SCHEMA}startDate>",
            lit(f"{rng.randint(2010, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "date"),
        )
        cite(v)
    for i in range(counts["Meeting"]):
        m = _i("event", f"meeting-{i}")
        q(m, TYPE, _k("Meeting"))
        q(m, f"<{SCHEMA}startDate>", lit(rng.randint(2010, 2020), "gYear"))
        for s in {pick_state() for _ in range(rng.randint(2, 5))}:
            q(m, _k("participatingState"), s)
        part = f"_:p{i}"
        q(m, _k("participation"), part)
        q(part, _k("participant"), rng.choice(people)[0])
        cite(m)
    for i in range(counts["Agreement"]):
        a = _i("agreement", i)
        one = pick_state()
        q(a, TYPE, _k("Agreement"))
        q(a, _k("party"), one)
        q(a, _k("party"), pick_state(one))
        q(a, _k("signatory"), rng.choice(people)[0])
        q(a, _k("signedOn"), lit(rng.randint(2010, 2020), "gYear"))
        if rng.random() < 0.3:
            q(a, _k("occasion"), rng.choice(visits))
        cite(a)
    flow = f"<{RKGC}flow/turnover>"
    for r, reporter in enumerate(states):
        for partner in rng.sample(states, min(len(states) - 1, 10)):
            if partner == reporter:
                continue
            for year in range(2016, 2021):
                o = _i("obs", f"{r}-{partner[-6:-1]}-{year}")
                q(o, TYPE, _k("TradeObservation"))
                q(o, _k("reporter"), reporter)
                q(o, _k("partner"), partner)
                q(o, _k("refPeriod"), lit(year, "gYear"))
                q(o, _k("flow"), flow)
                q(o, _k("value"), lit(round(rng.lognormvariate(5, 1.5), 1), "decimal"))
                cite(o)
    return "".join(lines).encode(), counts


def load(data: bytes) -> OxigraphStore:
    import pyoxigraph as ox

    store = OxigraphStore()
    # Benchmark only: Oxigraph's bulk loader straight from N-Quads (no rdflib parse), then the
    # store's own step that fills its union default graph.
    store.native.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    store.refresh_union()
    return store


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def closeness_estimate(graph: nx.Graph, backend: str, sample: int = 200) -> float:
    """Seconds for closeness on every node, extrapolated from ``sample`` nodes."""
    nodes = random.Random(0).sample(list(graph.nodes), sample)
    if backend == "networkx":
        start = time.perf_counter()
        for node in nodes:
            nx.closeness_centrality(graph, u=node, distance="distance")
        return (time.perf_counter() - start) * graph.number_of_nodes() / sample
    from regional_kg.network.measures import _to_igraph

    ig, names = _to_igraph(graph)
    index = {n: i for i, n in enumerate(names)}
    start = time.perf_counter()
    ig.closeness(vertices=[index[n] for n in nodes], weights="distance")
    return (time.perf_counter() - start) * graph.number_of_nodes() / sample


def bench(nodes: int, k: int, closeness_limit: int, backends: list[str]) -> list[tuple]:
    gen_s, (data, counts) = timed(lambda: generate(nodes))
    load_s, store = timed(lambda: load(data))
    quads = data.count(b"\n")
    print(
        f"\n# {nodes:,} actor nodes: {quads:,} quads; generate {gen_s:.1f} s, load {load_s:.1f} s"
    )
    proj_s, graph = timed(lambda: project(store, None, "actors"))
    coll_s, simple = timed(lambda: collapse(graph, LAYERS))
    print(
        f"  projection: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"
        f" (multigraph) in {proj_s:.1f} s; collapsed to {simple.number_of_edges():,} pairs"
        f" in {coll_s:.1f} s"
    )
    rows = [(nodes, "(both)", "project", proj_s, ""), (nodes, "(both)", "collapse", coll_s, "")]
    for backend in backends:
        for measure in (
            "degree",
            "strength",
            "eigenvector",
            "pagerank",
            "betweenness",
            "closeness",
        ):
            note = ""
            if measure == "closeness" and simple.number_of_nodes() > closeness_limit:
                seconds, note = closeness_estimate(simple, backend), "est. from 200 nodes"
            else:
                kk = k if measure == "betweenness" else None
                seconds, _ = timed(
                    lambda m=measure, kk=kk, b=backend: compute(simple, [m], backend=b, k=kk)
                )
                if measure == "betweenness":
                    note = f"k={k} sampled sources"
            rows.append((nodes, backend, measure, seconds, note))
            print(f"  {backend:8} {measure:12} {seconds:9.2f} s  {note}", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--k", type=int, default=200, help="sampled sources for betweenness")
    parser.add_argument("--closeness-limit", type=int, default=5000)
    parser.add_argument("--backend", action="append", help="networkx and/or igraph")
    args = parser.parse_args(argv)
    backends = args.backend or ["networkx", "igraph"]
    try:
        import igraph  # noqa: F401
    except ImportError:
        if "igraph" in backends:
            print(
                "igraph missing (pip install 'regional-kg[fast]'): networkx only", file=sys.stderr
            )
            backends = [b for b in backends if b != "igraph"]
    rows: list[tuple] = []
    for size in (int(s) for s in args.nodes.split(",")):
        rows += bench(size, args.k, args.closeness_limit, backends)
    print("\n| nodes | backend | step | seconds | note |\n|---|---|---|---|---|")
    for nodes, backend, step, seconds, note in rows:
        print(f"| {nodes:,} | {backend} | {step} | {seconds:.2f} | {note} |")
    times = {(n, b, s): t for n, b, s, t, _ in rows}
    if "igraph" in backends and "networkx" in backends:
        print("\nnetworkx / igraph time ratio:")
        for n, b, s, t, _ in rows:
            if b == "networkx" and (n, "igraph", s) in times and times[(n, "igraph", s)] > 0:
                print(f"  {n:>7,} {s:12} {t / times[(n, 'igraph', s)]:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
