"""The Oxigraph steps of a build: parse, infer and count without an rdflib copy of the data.

Why: the rdflib steps (:class:`~regional_kg.build.stages.RdflibStage`, still what ``memory``
stores and ``validator="pyshacl"`` use) parse every file with rdflib, materialise in Python over
the whole dataset and validate with pySHACL. At 1M triples that is over a minute and several
times the memory of the data (see docs/benchmarks.md). Here:

* **parse**: Oxigraph reads each file straight into the store (Rust parsers), each into the same
  named graph the rdflib steps would use (:func:`regional_kg.build.sources.find_sources`);
  JSON-LD and RDF/XML go through the checked rdflib parser first (remote contexts stay refused);
* **infer**: the rules of :mod:`regional_kg.build.inference` (axioms read by its own
  :func:`read_axioms`) as SPARQL updates run by Oxigraph, into ``rkgg:inferred``;
* **validate**: the shapes compiled to SPARQL (:mod:`regional_kg.build.fastvalidate`).

The phases are run by :mod:`regional_kg.build.pipeline`, the same for every engine; these are
only the steps that speak to Oxigraph.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import IdentifiedNode, Node

from regional_kg.build.inference import Axioms, read_axioms
from regional_kg.build.sources import (
    BOM,
    PROGRESS_THRESHOLD,
    ParsedSource,
    Progress,
    SourceFile,
    empty_source,
    parse_file,
    read_bytes,
    stderr_progress,
    too_large,
)
from regional_kg.errors import SourceSyntaxError, UserError
from regional_kg.namespaces import INFERRED_GRAPH
from regional_kg.stores.oxigraph import RdflibTerms, solutions, to_rdflib

_OX_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
}
_AXIOM_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    RDF.first,
    RDF.rest,
)


def parse_into(
    store: ox.Store, files: list[SourceFile], progress: Progress | None = None
) -> list[ParsedSource]:
    """Each file into ``store`` (default-graph triples into the file's graph), one transaction
    per file; blank nodes are fresh per file (Oxigraph renames them on every load)."""
    if progress is None and sum(s.path.stat().st_size for s in files) > PROGRESS_THRESHOLD:
        progress = stderr_progress
    parsed = []
    for source in files:
        start = time.perf_counter()
        before = _size(store, [ox.NamedNode(str(source.graph))])
        graphs_before = set(store.named_graphs())
        fmt = _OX_FORMAT.get(source.format)
        graph = ox.NamedNode(str(source.graph))
        if fmt is None:  # JSON-LD, RDF/XML: the loader's checked parser, then N-Quads
            _load_converted(store, source, graph)
        else:
            _load_native(store, source, fmt, graph)
        seconds = time.perf_counter() - start
        count = _size(store, {graph, *(set(store.named_graphs()) - graphs_before)}) - before
        if count == 0 and _holds_nothing(source, fmt):
            raise empty_source(source)
        written = {g.value for g in set(store.named_graphs()) - graphs_before} | {graph.value}
        parsed.append(ParsedSource(source, count, sorted(map(URIRef, written)), seconds))
        if progress:
            progress(f"read {source.display}: {count:,} triples ({seconds:.2f} s)")
    return parsed


def _load_converted(store: ox.Store, source: SourceFile, graph: ox.NamedNode) -> None:
    """A file Oxigraph does not parse (JSON-LD, RDF/XML): rdflib's parse with the loader's
    checks (no remote contexts), handed to Oxigraph as N-Quads."""
    part = parse_file(source)
    if next(iter(part.quads((None, None, None, None))), None) is None:
        raise empty_source(source)
    data = part.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS, to_graph=graph)


def _load_native(
    store: ox.Store, source: SourceFile, fmt: ox.RdfFormat, graph: ox.NamedNode
) -> None:
    """A file Oxigraph parses itself, straight from disk; its failures as the loader's errors
    (file, line, message)."""
    try:
        where: dict[str, Any] = {"path": str(source.path)}
        with open(source.path, "rb") as handle:
            if handle.read(len(BOM)) == BOM:  # (a BOM is not a subject: drop it)
                where = {"input": handle.read()}
        store.load(
            **where,
            format=fmt,
            base_iri=source.path.resolve().as_uri(),
            to_graph=graph,
        )
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        message = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(exc.msg))
        raise SourceSyntaxError(source.display, line, message) from exc
    except MemoryError as exc:  # a term above the parser's 16 MB buffer
        raise too_large(source, exc) from None
    except ValueError as exc:  # e.g. bytes that are not UTF-8
        raise SourceSyntaxError(source.display, None, str(exc)) from exc
    except OSError as exc:
        raise UserError(f"{source.display}: cannot read: {exc.strerror or exc}") from exc


def _size(store: ox.Store, graphs: Iterable[ox.NamedNode | ox.BlankNode]) -> int:
    """The quads in ``graphs``, counted by the engine: what a file added is counted in the
    graphs it wrote, since ``len(store)`` walks the whole store (reading the 209 curated files
    twice each took 0.2 s of a 0.3 s build)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH %s { ?s ?p ?o } }"  # a NamedNode is <…>
    total = 0
    for graph in graphs:
        solutions = cast(ox.QuerySolutions, store.query(query % graph))
        total += int(cast(ox.Literal, next(solutions)["n"]).value)
    return total


def _holds_nothing(source: SourceFile, fmt: ox.RdfFormat | None) -> bool:
    """True when the file itself states no triple (not merely triples another file stated)."""
    if fmt is None:
        return False  # JSON-LD, RDF/XML: checked on the rdflib parse
    base = source.path.resolve().as_uri()
    return next(iter(ox.parse(read_bytes(source), format=fmt, base_iri=base)), None) is None


_INFERRED = f"<{INFERRED_GRAPH}>"
#: One rule as a SPARQL update built from the axioms (None: no axiom for it to apply).
_Rule = Callable[[Axioms], str | None]


def _store_axioms(store: ox.Store) -> Axioms:
    """The axioms of every graph of ``store``: only the quads of the axiom predicates and the
    symmetric declarations are read out of Oxigraph (they are few)."""
    axiom_triples = [
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for p in _AXIOM_PREDICATES
        for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None, None)
    ]
    axiom_triples += [  # symmetric declarations
        (to_rdflib(q.subject), RDF.type, OWL.SymmetricProperty)
        for q in store.quads_for_pattern(
            None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.SymmetricProperty)), None
        )
    ]
    return read_axioms(axiom_triples)


def _pairs(mapping: dict[Node, set[Node]]) -> str:
    """``VALUES`` rows ``(a b)`` for each ``b`` of each ``a``."""
    return " ".join(f"({a.n3()} {b.n3()})" for a, bs in mapping.items() for b in bs)


def _new(s: str, p: str, o: str) -> str:
    """The filter that keeps a derived triple out when some graph already states it."""
    return f"FILTER NOT EXISTS {{ GRAPH ?h {{ {s} {p} {o} }} }}"


def _insert(values: str, head: str, body: str) -> str:
    """The update that writes ``head`` into the inferred graph for each match of ``body``
    under the ``VALUES`` block ``values``, and only where no graph states it yet."""
    s, p, o = head.split()
    return (
        f"INSERT {{ GRAPH {_INFERRED} {{ {head} }} }} WHERE {{ {values} "
        f"{body} {_new(s, p, o)} }}"
    )


def _pair_rule(axiom: str, variables: str, head: str, body: str) -> _Rule:
    """The rule for the pairs of ``Axioms.<axiom>``, bound to ``variables`` (none: no rule)."""

    def rule(axioms: Axioms) -> str | None:
        pairs = getattr(axioms, axiom)
        if not pairs:
            return None
        return _insert(f"VALUES ({variables}) {{ {_pairs(pairs)} }}", head, body)

    return rule


_type_rule = _pair_rule("superclasses", "?c ?sup", "?s a ?sup", "GRAPH ?g { ?s a ?c }")
_subproperty_rule = _pair_rule(
    "superproperties", "?p ?sup", "?s ?sup ?o", "GRAPH ?g { ?s ?p ?o }"
)
_inverse_rule = _pair_rule(
    "inverses", "?p ?inv", "?o ?inv ?s", "GRAPH ?g { ?s ?p ?o } FILTER(!isLiteral(?o))"
)


def _symmetric_rule(axioms: Axioms) -> str | None:
    if not axioms.symmetric:
        return None
    values = f"VALUES ?p {{ {' '.join(p.n3() for p in axioms.symmetric)} }}"
    return _insert(values, "?o ?p ?s", "GRAPH ?g { ?s ?p ?o } FILTER(!isLiteral(?o))")


def _chain_rule(axioms: Axioms) -> str | None:
    if not axioms.chains:
        return None
    values = " ".join(f"({a.n3()} {b.n3()} {q.n3()})" for a, b, q in axioms.chains)
    return _insert(
        f"VALUES (?p1 ?p2 ?q) {{ {values} }}",
        "?s ?q ?o",
        "GRAPH ?g1 { ?s ?p1 ?x } GRAPH ?g2 { ?x ?p2 ?o }",
    )


#: The rules that run once: the subclass closure is already transitive, and no other rule
#: derives a type.
_ONCE_RULES: tuple[_Rule, ...] = (_type_rule,)
#: The rules that feed each other, repeated to a fixpoint.
_PROPERTY_RULES: tuple[_Rule, ...] = (
    _subproperty_rule,
    _inverse_rule,
    _symmetric_rule,
    _chain_rule,
)


def _updates(rules: tuple[_Rule, ...], axioms: Axioms) -> list[str]:
    """The SPARQL updates of ``rules`` (a rule with no axioms to apply gives none)."""
    return [update for rule in rules if (update := rule(axioms)) is not None]


def _inferred_size(store: ox.Store, inferred: ox.NamedNode) -> int:
    """Counted by the engine: walking the quads in Python took 0.75 s of a 300k build's 1 s."""
    return _size(store, [inferred])


def materialise_store(store: ox.Store) -> int:
    """Fill ``rkgg:inferred`` with what :mod:`regional_kg.build.inference` derives; return its
    size.

    The axioms are read by :func:`regional_kg.build.inference.read_axioms` (they are few); the
    rules run as SPARQL updates in Oxigraph, the axiom pairs given as ``VALUES``, to a fixpoint.
    A triple already stated in some graph is not repeated in ``rkgg:inferred`` (as in the Python
    rules).
    """
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    if inferred in set(store.named_graphs()):
        store.remove_graph(inferred)
    axioms = _store_axioms(store)
    for update in _updates(_ONCE_RULES, axioms):
        store.update(update)
    rules = _updates(_PROPERTY_RULES, axioms)
    size, rounds = -1, 0
    while rounds < 20:  # property rules feed each other: repeat until nothing new
        for rule in rules:
            store.update(rule)
        now = _inferred_size(store, inferred)
        if now == size:
            break
        size, rounds = now, rounds + 1
    return _inferred_size(store, inferred)


def counts(store: ox.Store) -> dict[URIRef, int]:
    """Triples per named graph (the union copy in the default graph left out)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {
        URIRef(row["g"].value): int(row["n"].value)
        for row in solutions(store, query)
        if isinstance(row["g"], ox.NamedNode)
    }


def to_dataset(store: ox.Store) -> Dataset:
    """The named graphs of ``store`` as an rdflib Dataset (to load into a non-Oxigraph store)."""
    dataset = Dataset()
    graphs: dict[object, Graph] = {}
    term = RdflibTerms().__getitem__

    def quads() -> Iterator[tuple[Node, Node, Node, Graph]]:
        for q in store:
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue  # the union copy
            graph = graphs.get(q.graph_name)
            if graph is None:
                name = cast(IdentifiedNode, term(q.graph_name))
                graph = graphs[q.graph_name] = dataset.graph(name)
            yield term(q.subject), term(q.predicate), term(q.object), graph

    dataset.addN(quads())
    return dataset


#: Quads per call of the bulk loader: it holds a whole call's batch in memory (up to a million
#: quads), so one call for everything took the peak of a 300k build on disk to 1 GB; in calls
#: of 100k quads the process peaked at 224 MB (the staged store alone: 133), same CPU time.
_BULK_BATCH = 100_000


def write_folder(store: ox.Store, building: Path) -> None:
    """The named graphs of a finished build, and the union default graph, into a RocksDB store
    in ``building`` by Oxigraph's bulk loader (3x faster than one transaction into RocksDB).

    Each named quad goes in with its copy in the default graph, the same term objects (so the
    blank nodes stay the same nodes in both): no union is built in memory first, no N-Quads
    dump written and parsed again. A triple several graphs state is handed over once per graph
    and stored once (a quad is a key in RocksDB). At 300k triples: 4.9 s CPU, against 7.0 s for
    the union made in memory, dumped and bulk-loaded from the file.
    """
    default = ox.DefaultGraph()

    def quads() -> Iterator[ox.Quad]:
        for quad in store:
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue  # (a union made earlier: written again below, once per graph)
            yield quad
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)

    disk = ox.Store(str(building))
    stream = quads()
    while (first := next(stream, None)) is not None:  # in batches: see _BULK_BATCH
        disk.bulk_extend(chain((first,), islice(stream, _BULK_BATCH - 1)))
    disk.flush()
    del disk  # closes RocksDB (its lock) before the folder moves
