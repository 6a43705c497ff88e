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
    n_states = max(12, nodes // 400)
    counts = {
        "State": n_states,
        "Person": int(nodes * 0.15),
        "Organisation": max(5, int(nodes * 0.02)),
        "Visit": int(nodes * 0.30),
        "Meeting": int(nodes * 0.18),
    }
    counts["Agreement"] = nodes - sum(counts.values())
    writer = _ActorGraph(random.Random(seed), n_states)
    for kind in ("Person", "Organisation", "Visit", "Meeting", "Agreement"):
        for i in range(counts[kind]):
            getattr(writer, kind.lower())(i)  # one method per kind, in the order drawn
    writer.trade()
    return "".join(writer.lines).encode(), counts


class _ActorGraph:
    """The quads of :func:`generate`, kind by kind, from one random stream (the order of the
    draws is the data: the same seed gives the same bytes)."""

    def __init__(self, rng: random.Random, n_states: int) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.paragraph = 0
        self.people: list[tuple[str, str]] = []
        self.visits: list[str] = []
        self.states = [_i("state", f"S{i:04d}") for i in range(n_states)]
        self.hub = [1.0 / (i + 1) ** 0.8 for i in range(n_states)]  # Zipf-like: a few hubs
        for i, s in enumerate(self.states):
            self.q(s, TYPE, _k("State"))
            self.q(s, _k("isoCode"), _lit(f"S{i:04d}"))
            self.q(s, PREF, f'"State {i}"@en')

    def q(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {GRAPH} .\n")

    def cite(self, fact: str) -> None:
        self.paragraph += 1
        d = f"_:d{self.paragraph}"
        self.q(fact, f"<{PROV}qualifiedDerivation>", d)
        self.q(d, TYPE, f"<{PROV}Derivation>")
        self.q(d, f"<{PROV}entity>", _i("doc", "bench"))
        self.q(d, _k("paragraph"), _lit(self.paragraph % 5000 + 1, "integer"))

    def pick_state(self, exclude: str | None = None) -> str:
        while True:
            s = self.rng.choices(self.states, self.hub)[0]
            if s != exclude:
                return s

    def year(self) -> str:
        return _lit(self.rng.randint(2010, 2020), "gYear")

    def person(self, i: int) -> None:
        p, home = _i("person", i), self.pick_state()
        self.people.append((p, home))
        self.q(p, TYPE, _k("Person"))
        self.q(p, f"<{SCHEMA}name>", _lit(f"Person {i}"))
        self.q(p, f"<{SCHEMA}nationality>", home)
        t = _i("term", i)
        self.q(t, TYPE, _k("TermOfOffice"))
        self.q(t, f"<{ORG}member>", p)
        self.q(t, f"<{ORG}organization>", home)
        self.q(t, _k("attestedOn"), self.year())
        self.cite(t)

    def organisation(self, i: int) -> None:
        o = _i("org", i)
        self.q(o, TYPE, _k("IntergovernmentalOrganisation"))
        self.q(o, PREF, f'"Organisation {i}"@en')
        members = self.rng.sample(self.states, min(len(self.states), self.rng.randint(2, 8)))
        for j, s in enumerate(members):
            m = _i("membership", f"{i}-{j}")
            self.q(m, TYPE, _k("Membership"))
            self.q(m, f"<{ORG}member>", s)
            self.q(m, f"<{ORG}organization>", o)
            self.q(m, _k("attestedOn"), self.year())
            self.cite(m)

    def visit(self, i: int) -> None:
        v, (person, home) = _i("visit", i), self.rng.choice(self.people)
        self.visits.append(v)
        self.q(v, TYPE, _k("Visit"))
        self.q(v, _k("visitor"), person)
        self.q(v, _k("visitingState"), home)
        self.q(v, _k("hostState"), self.pick_state(home))
        rng = self.rng
        date = f"{rng.randint(2010, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        self.q(v, f"<{SCHEMA}startDate>", _lit(date, "date"))
        self.cite(v)

    def meeting(self, i: int) -> None:
        m = _i("event", f"meeting-{i}")
        self.q(m, TYPE, _k("Meeting"))
        self.q(m, f"<{SCHEMA}startDate>", self.year())
        for s in {self.pick_state() for _ in range(self.rng.randint(2, 5))}:
            self.q(m, _k("participatingState"), s)
        part = f"_:p{i}"
        self.q(m, _k("participation"), part)
        self.q(part, _k("participant"), self.rng.choice(self.people)[0])
        self.cite(m)

    def agreement(self, i: int) -> None:
        a = _i("agreement", i)
        one = self.pick_state()
        self.q(a, TYPE, _k("Agreement"))
        self.q(a, _k("party"), one)
        self.q(a, _k("party"), self.pick_state(one))
        self.q(a, _k("signatory"), self.rng.choice(self.people)[0])
        self.q(a, _k("signedOn"), self.year())
        if self.rng.random() < 0.3:
            self.q(a, _k("occasion"), self.rng.choice(self.visits))
        self.cite(a)

    def trade(self) -> None:
        for r, reporter in enumerate(self.states):
            for partner in self.rng.sample(self.states, min(len(self.states) - 1, 10)):
                if partner != reporter:
                    self.turnover(r, reporter, partner)

    def turnover(self, r: int, reporter: str, partner: str) -> None:
        for year in range(2016, 2021):
            o = _i("obs", f"{r}-{partner[-6:-1]}-{year}")
            self.q(o, TYPE, _k("TradeObservation"))
            self.q(o, _k("reporter"), reporter)
            self.q(o, _k("partner"), partner)
            self.q(o, _k("refPeriod"), _lit(year, "gYear"))
            self.q(o, _k("flow"), f"<{RKGC}flow/turnover>")
            self.q(o, _k("value"), _lit(round(self.rng.lognormvariate(5, 1.5), 1), "decimal"))
            self.cite(o)


def _lit(value: object, dt: str | None = None) -> str:
    return f'"{value}"' + (f"^^<{XSD}{dt}>" if dt else "")


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
