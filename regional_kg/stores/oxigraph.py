"""Oxigraph through pyoxigraph (``oxigraph`` in memory, ``oxigraph:DIR`` on disk): the fast engine.

Queries go to Oxigraph as strings (so they run in Rust). Bindings go in as a ``VALUES`` block
at the start of the query's first ``WHERE`` group (:meth:`~regional_kg.stores.base.Store.bind`,
the same as the remote store), each term serialised by rdflib, never as raw user text. Not
Oxigraph's *substitutions* (SEP-0007): those take only projected variables, so a parameter used
only in a filter failed and the query had to be parsed a second time (≈ 1–1.5 ms a query), and
they give ``BOUND()`` its own semantics; one ``VALUES`` block is one parse, and the same meaning on
every engine. Results come back as rdflib terms: a plain string comes back without a datatype
(rdflib's spelling of ``xsd:string``), so rows compare equal to the rdflib store's.

**The default graph is a real, de-duplicated union.** Oxigraph's own union mode
(``use_default_graph_as_union``) returns a triple once *per graph* holding it, while SPARQL (and
rdflib) merge the graphs, so ``COUNT`` and ``GROUP_CONCAT`` would differ between engines whenever
two graphs state the same triple (common: a label in the reference graph and in a document's).
So after every load or update the store keeps the set union of its named graphs in Oxigraph's
default graph (``ADD <g> TO DEFAULT`` for each graph, in Rust: :func:`union_update`) and queries
read that. ``GRAPH ?g`` never sees it, ``len()``, ``dump()`` and ``graph_names()`` leave it out.
It costs about one more load's time and the memory of one more copy; a store opened read-only
without it falls back to Oxigraph's union mode.

**Why the copy stays (measured 2026-12-01, issue 11).** Reading Oxigraph's union mode instead
was tried (every catalogue query made immune to repeated rows: ``DISTINCT``, ``COUNT(DISTINCT)``,
tested by ``tests/stores/test_union_duplicates.py``). It does not scale with this data: the curated
graph states each summit, its participants and their names in up to ten web-source graphs, and
the union yields every triple once *per graph*, so a query joining n patterns over such facts
enumerates up to 10^n solutions before ``DISTINCT`` can drop them. On the curated graph plus a
10k synthetic region (bare pyoxigraph, same text, copy vs union mode): ``meetings`` without a
state 13 ms vs out of memory (> 2.5 GB, aborted), ``entities`` 8 ms vs 11.7 s,
``corroboration`` 0.18 s vs 5.6 s, ``conflicts`` 2 vs 24 ms, ``decisions`` 7 vs 42 ms.

Loading serialises the rdflib dataset to N-Quads and hands it to ``Store.load`` in one
transaction: all or nothing. On disk, Oxigraph (RocksDB) admits one writer per folder: opening a
folder for writing while another process has it open raises a :class:`StoreError` saying so.
Read-only opens (``read_only=True``, what the reading commands use) take no lock and may be many.
"""

from __future__ import annotations

import fcntl
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from regional_kg.stores.base import (
    Bindings,
    NativeResult,
    QueryError,
    SelectResult,
    Store,
    StoreError,
    to_native,
)
from regional_kg.stores.memory import named_quads, nquads_bytes
from regional_kg.stores.spec import Kind, StoreSpec

_Row = TypeVar("_Row")

#: The SPARQL update that makes the default graph the set union of the named graphs.
REFRESH_UNION = "DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_XSD_STRING = str(XSD.string)


def union_update(store: ox.Store) -> str:
    """The update that makes ``store``'s default graph the set union of its named graphs, as
    :data:`REFRESH_UNION` does, but by one ``ADD <g> TO DEFAULT`` per graph: Oxigraph copies a
    graph without building the solutions of a ``WHERE`` first, which at 300k triples took the
    peak memory of a build from 396 to about 260 MB for the same CPU time. A graph named by a
    blank node cannot be written in ``ADD``: then the ``INSERT`` form."""
    graphs = list(store.named_graphs())
    if any(not isinstance(g, ox.NamedNode) for g in graphs):
        return REFRESH_UNION
    return " ; ".join(["DROP SILENT DEFAULT", *(f"ADD SILENT {g} TO DEFAULT" for g in graphs)])


def is_locked_error(exc: BaseException) -> bool:
    """RocksDB's "lock hold by ..." / "LOCK: Resource temporarily unavailable" errors."""
    return "lock" in str(exc).lower()


def to_rdflib(term: object) -> Node:
    """An Oxigraph term as the equal rdflib term (datatype and language kept exactly)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"oxigraph: unsupported term in a result: {term!r}")


class RdflibTerms(dict[object, Node]):
    """Oxigraph terms to the equal rdflib terms, each distinct term built once (``terms[t]``):
    results and stores repeat the same IRIs and literals thousands of times, building rdflib
    terms is the costly part, and a hit is a plain dict lookup, with no Python call."""

    def __missing__(self, term: object) -> Node:
        converted = self[term] = to_rdflib(term)
        return converted


def solutions(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """The rows of a SELECT ``query`` on a bare pyoxigraph store (another form is an error)."""
    result = store.query(query, **options)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"oxigraph: expected a SELECT query: {query[:60]!r}")
    return result


#: An rdflib term as an Oxigraph term (kept under this name for the callers that import it).
to_oxigraph = to_native


class OxigraphStore(Store):
    """A pyoxigraph ``Store`` in memory (``path=None``) or in the folder ``path``."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = False
        self._union_ready = True  # the default graph holds the union of the named graphs
        #: bumped on every write: caches of query results (parameter resolution) key on it
        self.generation = 0
        if self.path is None:
            self._store = ox.Store()
            self.spec, self.persistent = "oxigraph", False
            return
        self.spec, self.persistent = StoreSpec.on_disk(self.path).text, True
        if read_only:
            self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
            _OPEN.add(self)
        except OSError as exc:
            if is_locked_error(exc):
                raise StoreError(
                    f"{self.spec}: another process is using this store (it holds the lock), "
                    "e.g. `rkg serve` or a Python session; stop it, or open the store "
                    "read-only (commands that only read, like `rkg query`, do)"
                ) from exc
            raise StoreError(f"{self.spec}: cannot open the store: {exc}") from exc
        self._check_union()

    # --- what the build and the server use (public: nothing outside stores/ reaches in) ----

    @property
    def kind(self) -> Kind:
        return "oxigraph" if self.path is None else "oxigraph-disk"

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself, for callers that must speak to Oxigraph directly (the
        server's fast path serialises results in Rust; the sheet resolver fills a lookup store
        without rdflib). Read it freely; after writing named graphs to it call
        :meth:`refresh_union`."""
        return self._store

    @property
    def union_ready(self) -> bool:
        """True when the default graph holds the de-duplicated union (see the module notes);
        false only for a store written by another tool and opened read-only: query it in
        Oxigraph's union mode then."""
        return self._union_ready

    def adopt(self, staged: ox.Store, *, union_ready: bool = False) -> OxigraphStore:
        """Serve ``staged`` from now on, without a copy: how a build hands over the in-memory
        store it parsed, inferred and validated. ``union_ready``: the caller already made the
        default graph the union (:func:`union_update`); otherwise it is made here. A store
        in a folder adopts nothing (its data is the folder's)."""
        self._check_writable()
        if self.path is not None:
            raise StoreError(f"{self.spec}: an on-disk store cannot adopt an in-memory store")
        self._store = staged
        self.generation += 1
        if union_ready:
            self._union_ready = True
        else:
            self.refresh_union()
        return self

    def _check_union(self) -> None:
        """A store written by another tool may lack the union default graph: add or do without."""
        has_default = bool(self._store.query("ASK { ?s ?p ?o }"))
        has_named = bool(self._store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
        if has_named and not has_default:
            if self.read_only:
                self._union_ready = False
            else:
                self.refresh_union()

    def _open_read_only(self) -> None:
        assert self.path is not None
        if not (self.path / "CURRENT").is_file():
            raise StoreError(f"{self.spec}: no Oxigraph store in {self.path}")
        if in_use(self.path):
            # RocksDB: a read-only open while another process writes is undefined behaviour
            raise StoreError(
                f"{self.spec}: another process has this store open for writing (e.g. "
                "`rkg serve --update-token`), so it cannot be read safely meanwhile; query that "
                "server instead (rkg query --store sparql:http://127.0.0.1:8000/sparql) or stop it"
            )
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.spec}: cannot open the store read-only: {exc}") from exc
        self.read_only = True

    # --- reading ---------------------------------------------------------------------------

    def _query(self, query: str, bindings: Bindings | None):
        if bindings:
            query = self.bind(query, bindings)  # one parse; see the module notes
        union = not self._union_ready
        try:
            return self._store.query(query, use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise QueryError(f"{self.spec}: query syntax error: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{self.spec}: query failed: {exc}") from exc

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        result, names = self._solutions(query, bindings)
        terms = RdflibTerms()
        # a solution iterates its values in the order of ``names`` (None where unbound): one
        # pass, not a lookup by name per variable (5-8 % of a select of 11k rows at 1M)
        rows = self._drain(
            {name: terms[v] for name, v in zip(names, solution, strict=True) if v is not None}
            for solution in result
        )
        return SelectResult(names, rows)

    def select_native(self, query: str, bindings: Bindings | None = None) -> NativeResult:
        """Oxigraph's own terms, no rdflib term built: see :meth:`Store.select_native`."""
        result, names = self._solutions(query, bindings)
        return NativeResult(names, self._drain(tuple(solution) for solution in result))

    def _solutions(
        self, query: str, bindings: Bindings | None
    ) -> tuple[ox.QuerySolutions, list[str]]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"{self.spec}: expected a SELECT query")
        return result, [v.value for v in result.variables]

    def _drain(self, rows: Iterable[_Row]) -> list[_Row]:
        """The rows, read now: Oxigraph evaluates lazily, so a failure shows while reading."""
        try:
            return list(rows)
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{self.spec}: query failed: {exc}") from exc

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError(f"{self.spec}: expected an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError(f"{self.spec}: expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        try:
            for triple in result:
                graph.add(
                    (
                        to_rdflib(triple.subject),
                        to_rdflib(triple.predicate),
                        to_rdflib(triple.object),
                    )
                )
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{self.spec}: query failed: {exc}") from exc
        return graph

    def graph_names(self) -> list[URIRef]:
        names = []
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode) and self._has_quads(graph):
                names.append(URIRef(graph.value))
        return sorted(names)

    def _has_quads(self, graph: ox.NamedNode) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, graph)), None) is not None

    def __len__(self) -> int:
        default = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        if not default:
            return len(self._store)
        result = solutions(self._store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def dump(self, format: str = "nquads") -> bytes:
        """The named graphs (not the union copy in the default graph), graph by graph."""
        if format not in ("nquads", "trig"):
            raise StoreError(f"cannot dump as {format!r}: use nquads or trig")
        parts = []
        for graph in sorted(self._store.named_graphs(), key=str):
            triples = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            if not triples:
                continue
            if format == "trig":
                parts.append(b"%s {\n%s}\n" % (str(graph).encode(), triples))
            else:
                suffix = b" " + str(graph).encode() + b" .\n"
                parts.append(b"".join(line[:-2] + suffix for line in triples.splitlines()))
        return b"".join(parts)

    # --- writing ---------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.spec} is open read-only; cannot write to it")

    def load(self, dataset: Dataset, *, replace: bool = False) -> None:
        self._check_writable()
        # refuses triples outside named graphs, before any change
        data = nquads_bytes(named_quads(dataset))
        try:
            if replace and self.path is None:
                fresh = ox.Store()  # swapped in only once fully loaded
                fresh.load(data, format=ox.RdfFormat.N_QUADS)
                self._store = fresh
            elif replace:
                # Parse into a scratch store first: input Oxigraph rejects never half-replaces
                # ours (clear and load are two transactions on disk).
                ox.Store().load(data, format=ox.RdfFormat.N_QUADS)
                self._store.clear()
                self._store.load(data, format=ox.RdfFormat.N_QUADS)
            else:
                self._store.load(data, format=ox.RdfFormat.N_QUADS)  # one transaction
            self.refresh_union()  # (durable through RocksDB's write-ahead log; no flush needed)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.spec}: the data cannot be loaded: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.spec}: loading failed: {exc}") from exc

    def update(self, update: str) -> None:
        self._check_writable()
        self.generation += 1
        try:
            self._store.update(update)
            self.refresh_union()
        except SyntaxError as exc:
            raise QueryError(f"{self.spec}: update syntax error: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{self.spec}: update failed: {exc}") from exc

    def refresh_union(self) -> None:
        """Make the default graph the set union of the named graphs (see the module notes):
        after every write, which :meth:`load` and :meth:`update` do themselves."""
        self.generation += 1
        self._store.update(union_update(self._store))
        self._union_ready = True

    def close(self) -> None:
        """Release the folder (and its lock): dropping the last reference closes RocksDB."""
        self._store = None  # type: ignore[assignment]
        _OPEN.discard(self)

    def holds_lock_on(self, path: Path) -> bool:
        return (
            self._store is not None
            and not self.read_only
            and self.path is not None
            and self.path.resolve() == path.resolve()
        )


#: Stores of this process open for writing (RocksDB's lock does not show them to fcntl).
_OPEN: weakref.WeakSet[OxigraphStore] = weakref.WeakSet()


def in_use(path: Path) -> bool:
    """True when a store is open for writing in ``path``, by this or another process."""
    if any(store.holds_lock_on(path) for store in list(_OPEN)):
        return True
    lock = path / "LOCK"
    if not lock.is_file():
        return False
    try:
        with open(lock, "rb+") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False
