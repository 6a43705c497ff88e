"""The store protocol: the one interface every consumer talks to, in SPARQL only.

Three implementations share it: rdflib in memory (``memory``), Oxigraph in memory or on disk
(``oxigraph``, ``oxigraph:DIR``), and any SPARQL 1.1 endpoint (``sparql:URL``). Consumers never
reach past this protocol, so an analysis written once runs on all three.

Conventions every implementation keeps:

* The default graph of a query is the **union of all named graphs**.
* Results are rdflib terms (``URIRef``, ``Literal``, ``BNode``), whatever the engine; the one
  exception is :meth:`Store.select_native`, which gives pyoxigraph terms, for consumers reading
  hundreds of thousands of rows (building rdflib terms costs more than Oxigraph's query).
* Bindings are RDF terms substituted by the engine (or as a ``VALUES`` block), never pasted as
  text; see :func:`inject_values`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import BNode, Node

from regional_kg.stores.spec import Kind, StoreSpec

Bindings = Mapping[str, Node]
_LANG_STRING = str(RDF.langString)
#: A term of :meth:`Store.select_native`'s rows.
NativeTerm = ox.NamedNode | ox.Literal | ox.BlankNode


class StoreError(Exception):
    """A store could not be opened, loaded or queried; the message says which and why."""


class QueryError(StoreError):
    """A query was rejected by the engine (syntax or evaluation error)."""


@dataclass
class SelectResult:
    """Rows of a SELECT query: variable names in order and one dict per row (unbound omitted)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, variable: str) -> list[Node | None]:
        """The column ``variable``, ``None`` where it is unbound."""
        return [row.get(variable) for row in self.rows]

    def as_python(self) -> list[dict[str, object]]:
        """Rows with literals turned into Python values and IRIs into strings."""
        return [{k: term_to_python(v) for k, v in row.items()} for row in self.rows]


@dataclass
class NativeResult:
    """Rows of a SELECT query as tuples of pyoxigraph terms, one slot per variable in order
    (``None`` where unbound): what :meth:`Store.select_native` returns."""

    variables: list[str]
    rows: list[tuple[NativeTerm | None, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def index(self, variable: str) -> int | None:
        """The slot of ``variable`` in each row, ``None`` when the query does not project it."""
        return self.variables.index(variable) if variable in self.variables else None


def to_native(term: Node) -> NativeTerm:
    """An rdflib term as the equal pyoxigraph term (datatype and language kept)."""
    if isinstance(term, URIRef):
        try:
            return ox.NamedNode(str(term))
        except ValueError as exc:
            raise QueryError(f"invalid IRI {str(term)!r}: {exc}") from exc
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _LANG_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise QueryError(f"not an RDF term: {term!r}")


def term_to_python(term: Node | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


class Store(ABC):
    """A place holding the dataset, answering SPARQL."""

    #: A short description for messages, e.g. ``"oxigraph:/data/kg"``.
    spec: str = "store"
    #: True when the data outlives the process (``rkg build`` then other commands).
    persistent: bool = False
    #: Bumped by every write through this object: caches of answers (parameter resolution)
    #: are valid for one generation.
    generation: int = 0

    @property
    def kind(self) -> Kind:
        """``memory``, ``oxigraph``, ``oxigraph-disk`` or ``sparql``: what the build targets."""
        return StoreSpec.parse(self.spec).kind

    @property
    def native(self) -> ox.Store | None:
        """The pyoxigraph store behind this one, if there is one (``None`` here): for callers
        that must speak to Oxigraph itself, like the server's fast path."""
        return None

    @property
    def union_ready(self) -> bool:
        """True when a query's default graph already is the union of the named graphs; false
        when :attr:`native` must be queried in Oxigraph's union mode instead."""
        return True

    @staticmethod
    def bind(query: str, bindings: Bindings | None) -> str:
        """``query`` with ``bindings`` as a ``VALUES`` block (:func:`inject_values`): how every
        engine here substitutes parameters, so that a parameter means the same on each."""
        return inject_values(query, bindings)

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        """Run a SELECT query."""

    def select_native(self, query: str, bindings: Bindings | None = None) -> NativeResult:
        """Run a SELECT query; rows as tuples of pyoxigraph terms (:class:`NativeResult`).

        The same rows as :meth:`select`, term for term (:func:`to_native` of each). Oxigraph
        hands its own terms over without building rdflib terms, which is most of the time of a
        large result in Python (the centrality projection reads ~240k rows at 1M triples); other
        stores convert their :meth:`select` rows, so a consumer written against this method runs
        on every store.
        """
        result = self.select(query, bindings)
        names = result.variables
        rows = [
            tuple(to_native(row[name]) if name in row else None for name in names)
            for row in result.rows
        ]
        return NativeResult(list(names), rows)

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def load(self, dataset: Dataset, *, replace: bool = False) -> None:
        """Add every named graph of ``dataset`` (``replace`` empties the store first).

        Loading is all-or-nothing: on error the store holds what it held before.
        """

    @abstractmethod
    def dump(self, format: str = "nquads") -> bytes:
        """Serialise every named graph (``nquads`` or ``trig``)."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL Update."""

    def graph_names(self) -> list[URIRef]:
        """The named graphs the store holds, sorted."""
        result = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(g for row in result.rows if isinstance(g := row.get("g"), URIRef))

    def __len__(self) -> int:
        result = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(str(result.rows[0]["n"])) if result.rows else 0

    def is_empty(self) -> bool:
        return not self.ask("ASK { GRAPH ?g { ?s ?p ?o } }")

    def to_dataset(self) -> Dataset:
        """The store's content as an rdflib Dataset (for exports and validation)."""
        ds = Dataset()
        ds.parse(data=self.dump("nquads"), format="nquads")
        return ds

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- bindings as a VALUES block, for engines without their own substitution -----------------

_WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_STRINGS_AND_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def values_block(bindings: Bindings) -> str:
    """``VALUES (?a ?b) { (<iri> "lit") }`` for ``bindings``, every term serialised by rdflib."""
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid variable name for a binding: {name!r}")
    terms = []
    for name in names:
        term = bindings[name]
        if isinstance(term, BNode):
            raise QueryError(f"cannot bind ?{name} to a blank node")
        if not isinstance(term, URIRef | Literal):
            raise QueryError(f"binding ?{name} is not an RDF term: {term!r}")
        terms.append(term.n3())
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


def inject_values(query: str, bindings: Bindings | None) -> str:
    """Put a VALUES block for ``bindings`` at the start of the query's first WHERE group.

    Placing it inside the group (not after the query) keeps aggregates and sub-selects seeing the
    bound values, which is what rdflib's ``initBindings`` and Oxigraph's substitutions do.
    """
    if not bindings:
        return query
    masked = _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group(0)), query)
    match = _WHERE_BRACE.search(masked)
    if match is None:
        # ASK { ... } / CONSTRUCT { } { } without WHERE: bind in the first top-level group after the
        # query form keyword's template.
        brace = masked.find("{")
        if brace < 0:
            raise QueryError("cannot bind parameters: the query has no group pattern")
        if re.match(r"\s*(PREFIX|BASE|\s)*.*?\bCONSTRUCT\b", masked, re.IGNORECASE | re.DOTALL):
            depth = 0
            for i in range(brace, len(masked)):
                if masked[i] == "{":
                    depth += 1
                elif masked[i] == "}":
                    depth -= 1
                    if depth == 0:
                        brace = masked.find("{", i + 1)
                        break
        insert_at = brace + 1
    else:
        insert_at = match.end()
    return f"{query[:insert_at]} {values_block(bindings)} {query[insert_at:]}"


def check_variables(bindings: Bindings | None, allowed: Sequence[str] | None = None) -> None:
    if bindings and allowed is not None:
        unknown = sorted(set(bindings) - set(allowed))
        if unknown:
            raise QueryError(f"unknown parameter(s): {', '.join(unknown)}")
