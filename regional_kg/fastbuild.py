"""An Oxigraph-native build: parse, infer and validate without an rdflib copy of the data.

Why: the rdflib pipeline (:func:`regional_kg.loader.prepare`, still what ``memory`` stores and
``validator="pyshacl"`` use) parses every file with rdflib, materialises in Python over the whole
dataset, validates with pySHACL and then serialises to N-Quads for Oxigraph to parse again.
At 1M triples that is over a minute and several times the memory of the data (see
docs/benchmarks.md). Here:

* **parse**: Oxigraph reads each file straight into the store (Rust parsers), each into the same
  named graph the loader would use (:func:`regional_kg.sources.find_sources`); JSON-LD and RDF/XML
  go through the loader's own checked rdflib parser first (remote contexts stay refused);
* **infer**: the rules of :mod:`regional_kg.inference` (axioms read by its own
  :func:`read_axioms`) as SPARQL updates run by Oxigraph, into ``rkgg:inferred``;
* **validate**: the shapes compiled to SPARQL (:mod:`regional_kg.fastvalidate`), run by Oxigraph.

The result is a :class:`~regional_kg.loader.BuildResult` over an
:class:`~regional_kg.stores.oxigraph.OxigraphStore` (in memory, or in a folder).
:func:`regional_kg.loader.build` routes Oxigraph and remote stores here (:func:`build_native`),
keeping its contract: file:line syntax errors, ``ValidationFailed`` with the report, atomic
on-disk builds, progress on large inputs, the clean-validation cache.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from regional_kg import fastvalidate, vocabulary
from regional_kg.buildresult import BuildResult
from regional_kg.errors import SourceSyntaxError, UserError, ValidationFailed
from regional_kg.inference import read_axioms
from regional_kg.namespaces import INFERRED_GRAPH
from regional_kg.ondisk import StoreUnavailable, building_folder, check_disk_target, swap_in
from regional_kg.sources import (
    BOM,
    PROGRESS_THRESHOLD,
    ParsedSource,
    Progress,
    SourceFile,
    empty_source,
    find_sources,
    select_files,
    too_large,
)
from regional_kg.stores.base import Store, StoreError
from regional_kg.stores.oxigraph import OxigraphStore, to_oxigraph, to_rdflib
from regional_kg.stores.remote import RemoteStore, owned

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
        from regional_kg.sources import _stderr_progress

        progress = _stderr_progress
    parsed = []
    for source in files:
        start = time.perf_counter()
        before = _size(store, [ox.NamedNode(str(source.graph))])
        graphs_before = set(store.named_graphs())
        fmt = _OX_FORMAT.get(source.format)
        graph = ox.NamedNode(str(source.graph))
        if fmt is None:  # JSON-LD, RDF/XML: the loader's checked parser, then N-Quads
            from regional_kg.sources import parse_file

            part = parse_file(source)
            if next(iter(part.quads((None, None, None, None))), None) is None:
                raise empty_source(source)
            data = part.serialize(format="nquads", encoding="utf-8")
            store.load(data, format=ox.RdfFormat.N_QUADS, to_graph=graph)
        else:
            try:
                where = {"path": str(source.path)}
                with open(source.path, "rb") as handle:
                    if handle.read(len(BOM)) == BOM:  # (a BOM is not a subject: drop it)
                        where = {"input": handle.read()}
                store.load(
                    **where,  # type: ignore[arg-type]
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
        seconds = time.perf_counter() - start
        count = _size(store, {graph, *(set(store.named_graphs()) - graphs_before)}) - before
        if count == 0 and _holds_nothing(source, fmt):
            raise empty_source(source)
        written = {g.value for g in set(store.named_graphs()) - graphs_before} | {graph.value}
        parsed.append(ParsedSource(source, count, sorted(map(URIRef, written)), seconds))
        if progress:
            progress(f"read {source.display}: {count:,} triples ({seconds:.2f} s)")
    return parsed


def _size(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> int:
    """The quads in ``graphs``, counted by the engine: what a file added is counted in the
    graphs it wrote, since ``len(store)`` walks the whole store (reading the 209 curated files
    twice each took 0.2 s of a 0.3 s build)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH %s { ?s ?p ?o } }"  # a NamedNode is <…>
    return sum(int(next(iter(store.query(query % g)))["n"].value) for g in graphs)


def _holds_nothing(source: SourceFile, fmt: ox.RdfFormat | None) -> bool:
    """True when the file itself states no triple (not merely triples another file stated)."""
    if fmt is None:
        return False  # JSON-LD, RDF/XML: checked on the rdflib parse
    from regional_kg.sources import _read

    base = source.path.resolve().as_uri()
    return next(iter(ox.parse(_read(source), format=fmt, base_iri=base)), None) is None


def materialise_store(store: ox.Store) -> int:
    """Fill ``rkgg:inferred`` with what :mod:`regional_kg.inference` derives; return its size.

    The axioms are read by :func:`regional_kg.inference.read_axioms` (they are few); the rules run
    as SPARQL updates in Oxigraph, the axiom pairs given as ``VALUES``, to a fixpoint. A triple
    already stated in some graph is not repeated in ``rkgg:inferred`` (as in the Python rules).
    """
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    if inferred in set(store.named_graphs()):
        store.remove_graph(inferred)
    axiom_triples = [
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for p in _AXIOM_PREDICATES
        for q in store.quads_for_pattern(None, to_oxigraph(p), None, None)
    ]
    axiom_triples += [  # symmetric declarations
        (to_rdflib(q.subject), RDF.type, OWL.SymmetricProperty)
        for q in store.quads_for_pattern(
            None, to_oxigraph(RDF.type), to_oxigraph(OWL.SymmetricProperty), None
        )
    ]
    axioms = read_axioms(axiom_triples)
    inf = f"<{INFERRED_GRAPH}>"

    def pairs(mapping: dict) -> str:
        return " ".join(f"({a.n3()} {b.n3()})" for a, bs in mapping.items() for b in bs)

    def new(s: str, p: str, o: str) -> str:
        return f"FILTER NOT EXISTS {{ GRAPH ?h {{ {s} {p} {o} }} }}"

    updates = []
    if axioms.superclasses:
        updates.append(
            f"INSERT {{ GRAPH {inf} {{ ?s a ?sup }} }} WHERE {{ "
            f"VALUES (?c ?sup) {{ {pairs(axioms.superclasses)} }} "
            f"GRAPH ?g {{ ?s a ?c }} {new('?s', 'a', '?sup')} }}"
        )
    rules = []
    if axioms.superproperties:
        rules.append(
            f"INSERT {{ GRAPH {inf} {{ ?s ?sup ?o }} }} WHERE {{ "
            f"VALUES (?p ?sup) {{ {pairs(axioms.superproperties)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} {new('?s', '?sup', '?o')} }}"
        )
    if axioms.inverses:
        rules.append(
            f"INSERT {{ GRAPH {inf} {{ ?o ?inv ?s }} }} WHERE {{ "
            f"VALUES (?p ?inv) {{ {pairs(axioms.inverses)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(!isLiteral(?o)) {new('?o', '?inv', '?s')} }}"
        )
    if axioms.symmetric:
        values = " ".join(p.n3() for p in axioms.symmetric)
        rules.append(
            f"INSERT {{ GRAPH {inf} {{ ?o ?p ?s }} }} WHERE {{ VALUES ?p {{ {values} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(!isLiteral(?o)) {new('?o', '?p', '?s')} }}"
        )
    if axioms.chains:
        values = " ".join(f"({a.n3()} {b.n3()} {q.n3()})" for a, b, q in axioms.chains)
        rules.append(
            f"INSERT {{ GRAPH {inf} {{ ?s ?q ?o }} }} WHERE {{ VALUES (?p1 ?p2 ?q) {{ {values} }} "
            f"GRAPH ?g1 {{ ?s ?p1 ?x }} GRAPH ?g2 {{ ?x ?p2 ?o }} {new('?s', '?q', '?o')} }}"
        )
    for update in updates:  # types: one pass (the subclass closure is already transitive)
        store.update(update)
    size, rounds = -1, 0
    while rounds < 20:  # property rules feed each other: repeat until nothing new
        for rule in rules:
            store.update(rule)
        now = sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))
        if now == size:
            break
        size, rounds = now, rounds + 1
    return sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))


def build(
    sources: Iterable[str | Path] = (),
    path: str | Path | None = None,
    validate: bool = True,
    include_curated: bool = True,
):
    """Build the curated graph plus ``sources`` into a new Oxigraph store (``path``: on disk).

    Raises :class:`~regional_kg.errors.ValidationFailed` (with the report) on violations.
    """
    timings: dict[str, float] = {}
    files = select_files(sources, include_curated)
    start = time.perf_counter()
    raw = ox.Store() if path is None else ox.Store(str(path))
    parsed = parse_into(raw, files)
    timings["parse"] = time.perf_counter() - start

    start = time.perf_counter()
    materialise_store(raw)
    timings["infer"] = time.perf_counter() - start

    report = None
    if validate:
        start = time.perf_counter()
        report = fastvalidate.validate_store(raw)
        timings["validate"] = time.perf_counter() - start
        if not report.conforms:
            raise ValidationFailed("SHACL validation failed: " + report.text, report)
    start = time.perf_counter()
    store = OxigraphStore()
    if path is not None:
        store.path, store.spec, store.persistent = Path(path), f"oxigraph:{path}", True
    store._store = raw  # the store we filled: no copy
    refresh = getattr(store, "_refresh_union", None)
    if refresh is not None:  # the store keeps the de-duplicated union as its default graph
        refresh()
    if path is not None:
        raw.flush()
    timings["load"] = time.perf_counter() - start
    counts = {
        URIRef(row["g"]): int(row["n"])
        for row in store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    return BuildResult(store, report, counts, timings, parsed)


def _counts(store: ox.Store) -> dict[URIRef, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {
        URIRef(row["g"].value): int(row["n"].value)
        for row in store.query(query)
        if isinstance(row["g"], ox.NamedNode)
    }


def _to_dataset(store: ox.Store):
    """The named graphs of ``store`` as an rdflib Dataset (to load into a non-Oxigraph store)."""
    from rdflib import Dataset

    dataset = Dataset()
    graphs: dict[object, object] = {}
    cache: dict[object, object] = {}

    def term(value):  # type: ignore[no-untyped-def]
        found = cache.get(value)
        if found is None:
            found = cache[value] = to_rdflib(value)
        return found

    def quads():  # type: ignore[no-untyped-def]
        for q in store:
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue  # the union copy
            graph = graphs.get(q.graph_name)
            if graph is None:
                graph = graphs[q.graph_name] = dataset.graph(term(q.graph_name))
            yield term(q.subject), term(q.predicate), term(q.object), graph

    dataset.addN(quads())
    return dataset


def build_native(
    sources: Iterable[str | Path] = (),
    store: str | Store = "oxigraph",
    *,
    validate: bool = True,
    include_curated: bool = True,
    progress: Progress | None = None,
    use_cache: bool = True,
    strict: bool = False,
):
    """What :func:`regional_kg.loader.build` does for Oxigraph and remote stores, natively.

    ``oxigraph``: the store filled here is the result. ``oxigraph:DIR``: built in a new folder
    beside ``DIR`` that takes its place only once inferred and validated. ``sparql:URL`` (or any
    other :class:`Store`): built in memory, then loaded into it (replacing its content); a
    remote store gets each graph as N-Triples written by Oxigraph (no rdflib copy).
    """
    from regional_kg.stores import kind_of, open_store
    from regional_kg.validation import validate_once, validation_key

    kind = kind_of(store)
    files = select_files(sources, include_curated)
    on_disk = isinstance(store, str) and kind == "oxigraph-disk"
    target_path = check_disk_target(Path(store[len("oxigraph:") :])) if on_disk else None
    building = building_folder(target_path) if target_path is not None else None
    timings: dict[str, float] = {}
    raw: ox.Store | None = None
    try:
        start = time.perf_counter()
        raw = ox.Store()  # in memory even for DIR: RocksDB is 5x slower to infer and query in
        parsed = parse_into(raw, files, progress)
        timings["parse"] = time.perf_counter() - start

        start = time.perf_counter()
        materialise_store(raw)
        timings["infer"] = time.perf_counter() - start

        report = None
        if validate:
            start = time.perf_counter()
            vocabulary.check_oxigraph(raw, parsed, strict=strict, warn=progress or _stderr)
            paths = [p.source.path for p in parsed]
            key = validation_key(paths, "sparql") if use_cache else None
            report = validate_once(key, lambda: fastvalidate.validate_store(raw))
            timings["validate"] = time.perf_counter() - start

        start = time.perf_counter()
        counts = _counts(raw)
        remote = not (building is not None or (isinstance(store, str) and kind == "oxigraph"))
        remote = remote and not (
            isinstance(store, OxigraphStore) and not store.persistent and not store.read_only
        )
        if not remote:
            raw.update(_REFRESH_UNION)  # the store's de-duplicated union default graph
        if building is not None:
            dump = building.parent / f"{building.name}.nq"
            try:
                raw.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
                raw = None  # its memory back before the bulk load
                _write_folder(dump, building)
            except OSError as exc:
                raise StoreUnavailable(f"oxigraph:{target_path}: cannot write: {exc}") from exc
            finally:
                dump.unlink(missing_ok=True)
            target: Store = swap_in(building, target_path)  # type: ignore[arg-type]
            building = None
        elif isinstance(store, str) and kind == "oxigraph":
            target = _wrap(OxigraphStore(), raw)
        elif isinstance(store, OxigraphStore) and not store.persistent and not store.read_only:
            target = _wrap(store, raw)
        else:
            target = open_store(store)
            try:
                if isinstance(target, RemoteStore):  # N-Triples straight from Oxigraph
                    # say which graphs go before any is touched: only rkg's are replaced
                    (progress or _stderr)(target.replace_plan(counts).describe())
                    target.load_from_oxigraph(raw, replace=True)
                else:
                    target.load(_to_dataset(raw), replace=True)
            except StoreError as exc:
                raise StoreUnavailable(str(exc)) from exc
        timings["load"] = time.perf_counter() - start
    finally:
        if building is not None:  # failed: drop the half-built folder, the old store stays
            raw = None
            shutil.rmtree(building, ignore_errors=True)
    return BuildResult(target, report, counts, timings, parsed)


_REFRESH_UNION = "DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _wrap(store: OxigraphStore, raw: ox.Store) -> OxigraphStore:
    """``store`` now serving ``raw`` (no copy; its union default graph is made)."""
    store._store = raw
    store._union_ready = True
    store.generation += 1
    return store


def _write_folder(dump: Path, building: Path) -> None:
    """The N-Quads ``dump`` of a finished build (union graph included) into a RocksDB store in
    ``building``, by Oxigraph's bulk loader: 3x faster than loading into RocksDB in one
    transaction and inserting the union there (70 s → 23 s at 1M triples)."""
    disk = ox.Store(str(building))
    disk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
    disk.flush()
    del disk  # closes RocksDB (its lock) before the folder moves


def overlay(
    base: Store,
    sources: Iterable[str | Path],
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """``base`` plus ``sources``, answered from an in-memory copy: ``base`` is only read.

    Why: ``rkg query --store oxigraph:DIR --source mine.ttl`` used to *build* the curated graph
    and the source into ``DIR``, replacing a store of 396,375 triples with 5,220 (and on a
    remote store it ran ``DROP ALL``). A reading command must leave a persistent store as it
    was, so here the store's named graphs are copied into a fresh in-memory Oxigraph store (one
    N-Quads dump, parsed in Rust: fine for stores of up to a few million triples), each source
    is parsed into the graph it would get in a build (replacing a graph of that name in the
    copy: a source given again wins over the version built earlier), the inferences are made
    again and the result validated (``validate``), over rkg's graphs and the sources -- graphs
    rkg does not own take no part in that (a build never includes them), but are answered
    over. The result is a :class:`~regional_kg.loader.BuildResult` over a non-persistent store.
    """
    from regional_kg.validation import _settle

    timings: dict[str, float] = {}
    start = time.perf_counter()
    raw = ox.Store()
    try:
        raw.load(base.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    except (SyntaxError, ValueError) as exc:
        raise StoreUnavailable(f"{base.spec}: cannot copy the store: {exc}") from exc
    copied = len(raw)
    # Graphs rkg does not own (another tool's, on a shared server) are data to answer over but
    # were never part of a build: set aside while inferring and validating, as `rkg build`
    # leaves them out, so their content cannot fail a query with --source.
    foreign = ox.Store()
    for name in list(raw.named_graphs()):
        if isinstance(name, ox.NamedNode) and not owned(name.value):
            foreign.extend(raw.quads_for_pattern(None, None, None, name))
            raw.remove_graph(name)
    used = {
        str(name.value)[len(_SOURCE_NS) :]
        for name in raw.named_graphs()
        if isinstance(name, ox.NamedNode) and name.value.startswith(_SOURCE_NS)
    }
    files = find_sources(list(sources), kind="user", used_slugs=set())
    replaced = []
    for source in files:
        graph = ox.NamedNode(str(source.graph))
        if source.graph[len(_SOURCE_NS) :] in used:
            raw.remove_graph(graph)
            replaced.append(source.graph)
    timings["copy"] = time.perf_counter() - start
    start = time.perf_counter()
    parsed = parse_into(raw, files, progress)
    timings["parse"] = time.perf_counter() - start
    start = time.perf_counter()
    materialise_store(raw)
    timings["infer"] = time.perf_counter() - start
    report = None
    if validate:
        start = time.perf_counter()
        report = fastvalidate.validate_store(raw)
        _settle(report, None)  # raises ValidationFailed on violations; nothing is cached
        timings["validate"] = time.perf_counter() - start
    raw.extend(foreign)  # (the same blank nodes: sources' blank nodes are fresh per file)
    counts = _counts(raw)
    raw.update(_REFRESH_UNION)
    store = _wrap(OxigraphStore(), raw)
    store.spec = f"oxigraph (in-memory copy of {base.spec} + --source)"
    note = (
        f"rkg: answering over an in-memory copy of {base.spec} ({copied:,} triples) plus "
        f"{len(files)} source file(s); {base.spec} itself is not changed"
    )
    if replaced:
        note += f" (in the copy, the source replaces {', '.join(map(_short, replaced))})"
    (progress or _stderr)(note)
    return BuildResult(store, report, counts, timings, parsed)


_SOURCE_NS = "https://w3id.org/regional-kg/graph/source/"


def _short(iri: URIRef) -> str:
    return "rkgg:" + str(iri)[len("https://w3id.org/regional-kg/graph/") :]


def _stderr(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)
