"""A remote SPARQL 1.1 endpoint as a :class:`~regional_kg.stores.base.Store` (``sparql:URL``).

Queries and updates go through SPARQLWrapper (POST, so long queries and many dataset parameters
fit); loading uses the Graph Store Protocol when a store URL is known (one ``PUT`` per named graph,
N-Triples), else SPARQL Update ``INSERT DATA`` in chunks.

**The union default graph, as a copy.** rkg's queries read the default graph as the
de-duplicated union of the named graphs (a triple ten sources state is one triple). Servers
disagree on what the default graph is (Oxigraph and Fuseki: a graph of its own unless
configured; GraphDB, Virtuoso: everything), and their unions are bags: ``oxigraph serve
--union-default-graph``, or Virtuoso given every graph as ``default-graph-uri``, match a triple
once per graph holding it, so joins over restated facts multiply (past 120 s on the curated
graph). So by default (``union=copy``) a load through this store also has the server make the
union in one graph of rkg's own, :data:`UNION_GRAPH` (each triple once, as the embedded store
keeps it in its default graph; made in the load's final update, see :meth:`RemoteStore._commit`),
and every query names it as ``default-graph-uri``; a query
with a ``GRAPH`` pattern also names every other graph as ``named-graph-uri`` (Virtuoso's
``GRAPH ?g`` would otherwise range over the copy too), so provenance never lists the copy. An
update through the store remakes the copy in the same request. A server without the copy is
read as ``union=explicit`` does, with a warning: every named graph the server holds as both
``default-graph-uri`` and ``named-graph-uri`` (listed once with ``SELECT ?g { GRAPH ?g {} }``
and refreshed after each load or update made through this store). ``union=server`` sends no
dataset, for an endpoint whose default graph already is the union or that ignores those
parameters (QLever). A query with its own ``FROM`` / ``FROM NAMED`` keeps its dataset.

**Only rkg's graphs are replaced.** A server is shared: a replacing load (``rkg build``) replaces
the graphs it loads and drops the other graphs rkg owns (named under
``https://w3id.org/regional-kg/graph/``, :data:`OWNED_NAMESPACE`), never anything else (no
``DROP ALL``): a graph another tool wrote survives every build. With an update URL the new graphs
are first written under staging names and then moved into place by one final update request, so
a load that fails or is interrupted half-way leaves the old graphs as they were (its staging
graphs, rkg's own, are dropped by the next build; readers never see them).

Spec syntax: ``sparql:QUERY_URL[#update=URL&store=URL&union=MODE&user=U&auth=digest]`` (MODE:
``copy``, ``explicit`` or ``server``).
The part after ``#`` never reaches a server (a fragment); options may come from the environment
instead: ``RKG_SPARQL_UPDATE_URL``, ``RKG_SPARQL_STORE_URL``, ``RKG_SPARQL_USER``,
``RKG_SPARQL_PASSWORD``, ``RKG_SPARQL_TOKEN``, ``RKG_SPARQL_UNION``, ``RKG_SPARQL_AUTH`` (``basic``
or ``digest``, Virtuoso's ``/sparql-auth``). Secrets (password, token) are best kept in the
environment: specs show up in messages.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Node
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from regional_kg.sparql_results import UnsupportedTerm, read_bindings, read_term
from regional_kg.stores.base import Bindings, QueryError, SelectResult, Store, StoreError
from regional_kg.stores.spec import BadStoreSpec, StoreSpec

#: Virtuoso echoes the dataset of a query as one ``X-SPARQL-default-graph`` (and ``-named-graph``)
#: response header per graph: with the 215 graphs of the curated build that is 430 headers, and
#: ``http.client`` (under SPARQLWrapper and urllib) refuses an answer with more than 100
#: ("got more than 100 headers"). Raised for the process, never lowered.
http.client._MAXHEADERS = max(getattr(http.client, "_MAXHEADERS", 100), 100_000)  # type: ignore[attr-defined]

#: Seconds the final update of a replacing load may take (at least): it moves every staged graph
#: into place and makes the union copy, work that grows with the data (``oxigraph serve`` needed
#: more than the store's 120 s at 100k triples on a loaded machine; its ``MOVE`` of 100k
#: triples alone took 60 s). Timing out would report a failed build the server then completes.
COMMIT_TIMEOUT = 1800.0

#: Triples per ``INSERT DATA`` request when no Graph Store endpoint is known.
INSERT_CHUNK = 20_000

#: The graphs rkg owns on a server: a replacing load may drop these, and only these.
OWNED_NAMESPACE = "https://w3id.org/regional-kg/graph/"
#: Where a replacing load writes graphs before moving them into place (see the module notes).
STAGING_NAMESPACE = OWNED_NAMESPACE + "x-rkg-staging/"
#: ``union=copy``: the graph holding the de-duplicated union of the server's other graphs (not
#: staging graphs), read as the default graph of every query (``default-graph-uri``); never one
#: of the named graphs.
UNION_GRAPH = URIRef(OWNED_NAMESPACE + "x-rkg-union")
UNION_MODES = ("copy", "explicit", "server")
#: The copy made anew from every named graph on the server (other than itself and staging
#: graphs), after an update through the store: the server de-duplicates, blank nodes stay shared.
REFRESH_COPY = (
    f"DROP SILENT GRAPH <{UNION_GRAPH}> ;\n"
    f"INSERT {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
    f'FILTER (?g != <{UNION_GRAPH}> && !STRSTARTS(STR(?g), "{STAGING_NAMESPACE}")) }}'
)


def owned(name: object) -> bool:
    """True for a graph rkg owns (and so may replace or drop): one under :data:`OWNED_NAMESPACE`."""
    return str(name).startswith(OWNED_NAMESPACE)


def _staging(name: object) -> bool:
    return str(name).startswith(STAGING_NAMESPACE)


def _hidden(name: object) -> bool:
    """A graph that is the store's own machinery, not data: staging graphs and the union copy."""
    return _staging(name) or str(name) == str(UNION_GRAPH)


@dataclass
class ReplacePlan:
    """What a replacing load does to a server's graphs, worked out before it writes anything."""

    spec: str
    replaced: list[URIRef] = field(default_factory=list)  # on the server, loaded anew
    added: list[URIRef] = field(default_factory=list)  # not on the server yet
    dropped: list[URIRef] = field(default_factory=list)  # rkg's, not in the new build
    kept: list[URIRef] = field(default_factory=list)  # not rkg's: left exactly as they are

    def describe(self) -> str:
        """Lines for people: which graphs are replaced, added, dropped and kept."""

        def names(graphs: list[URIRef]) -> str:
            shown = [_short(g) for g in graphs[:12]]
            more = f", ... ({len(graphs) - 12} more)" if len(graphs) > 12 else ""
            return ", ".join(shown) + more

        lines = [f"rkg: loading into {self.spec}: only the graphs rkg owns ({OWNED_NAMESPACE}*)"]
        for label, graphs in (
            ("replacing", self.replaced),
            ("adding", self.added),
            ("dropping", self.dropped),
            ("keeping (not rkg's)", self.kept),
        ):
            if graphs:
                lines.append(f"  {label} {len(graphs)}: {names(graphs)}")
        return "\n".join(lines)


def _short(name: URIRef) -> str:
    text = str(name)
    return f"rkgg:{text[len(OWNED_NAMESPACE) :]}" if owned(text) else f"<{text}>"


#: a dataset clause (``FROM <g>``, ``FROM NAMED``, ``FROM ex:g``), not a variable like ``?from``
_FROM = re.compile(r"(?<![?$\w])FROM\s+(?:NAMED\b|<|[A-Za-z][\w.-]*:|:)", re.IGNORECASE)
#: a graph pattern naming or ranging over graphs (``GRAPH ?g``, ``GRAPH <g>``)
_GRAPH = re.compile(r"(?<![?$\w:])GRAPH\b", re.IGNORECASE)
_MASK = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)


def _masked(query: str) -> str:
    """``query`` with strings and comments blanked and IRIs emptied to ``<>`` (still an IRI for
    :data:`_FROM`: blanking them hid ``FROM <g>``), so neither regex sees words inside them."""
    return _MASK.sub(lambda m: "<>" if m.group().startswith("<") else " ", query)


def parse_spec(spec: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``sparql:URL#opts`` → keyword arguments of :class:`RemoteStore`."""
    env = os.environ if env is None else env
    try:
        parsed: StoreSpec | None = StoreSpec.parse(spec)
    except BadStoreSpec:
        parsed = None
    if parsed is None or parsed.kind != "sparql":
        raise StoreError(f"not a sparql: store spec: {spec!r}")
    url, _, fragment = parsed.location.partition("#")
    options = dict(urllib.parse.parse_qsl(fragment, keep_blank_values=True)) if fragment else {}
    known = {"update", "store", "union", "user", "token", "auth"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise StoreError(
            f"unknown option(s) {', '.join(unknown)} in store spec {spec!r}; "
            f"known: {', '.join(sorted(known))}"
        )
    return {
        "query_url": url,
        "update_url": options.get("update") or env.get("RKG_SPARQL_UPDATE_URL") or None,
        "store_url": options.get("store") or env.get("RKG_SPARQL_STORE_URL") or None,
        "user": options.get("user") or env.get("RKG_SPARQL_USER") or None,
        "password": env.get("RKG_SPARQL_PASSWORD") or None,
        "token": options.get("token") or env.get("RKG_SPARQL_TOKEN") or None,
        "union": options.get("union") or env.get("RKG_SPARQL_UNION") or "copy",
        "auth": options.get("auth") or env.get("RKG_SPARQL_AUTH") or "basic",
    }


def open_remote(spec: str) -> RemoteStore:
    """The store for a ``sparql:`` spec (used by :func:`regional_kg.stores.open_store`)."""
    return RemoteStore(**parse_spec(spec))


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint, read through the Protocol and written through Update or GSP."""

    persistent = True

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        union: str = "copy",
        auth: str = "basic",
        timeout: float = 120.0,
    ) -> None:
        parsed = urllib.parse.urlsplit(query_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise StoreError(f"sparql: store needs an http(s) query URL, got {query_url!r}")
        if union not in UNION_MODES:
            raise StoreError(f"union must be one of {', '.join(UNION_MODES)}, got {union!r}")
        if auth not in ("basic", "digest"):
            raise StoreError(f"auth must be 'basic' or 'digest', got {auth!r}")
        self.query_url, self.update_url, self.store_url = query_url, update_url, store_url
        self.user, self.password, self.token = user, password, token
        self.union, self.auth, self.timeout = union, auth, timeout
        self.spec = f"sparql:{query_url}"
        self._graphs: list[URIRef] | None = None
        self._copy_ready: bool | None = None  # union=copy: the server holds the copy
        self._warned_no_copy = False

    # --- reading ---------------------------------------------------------------------------

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        data = self._query_json(self.bind(query, bindings))
        if "boolean" in data:
            raise QueryError(f"{self.spec}: expected a SELECT query, got an ASK query")
        try:
            variables, rows = read_bindings(data)
        except UnsupportedTerm as exc:
            raise StoreError(f"{self.spec}: {exc}") from None
        return SelectResult(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        data = self._query_json(self.bind(query, bindings))
        if "boolean" not in data:
            raise QueryError(f"{self.spec}: expected an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        body = self._query(self.bind(query, bindings), TURTLE)
        graph = Graph()
        try:
            graph.parse(data=body.decode("utf-8"), format="turtle")
        except Exception as exc:  # rdflib raises many kinds
            raise StoreError(f"{self.spec}: could not read the CONSTRUCT result: {exc}") from exc
        return graph

    def graph_names(self) -> list[URIRef]:
        """The server's named graphs, without a replacing load's staging graphs and without the
        union copy (:data:`UNION_GRAPH`): both are the store's machinery, not data."""
        return [g for g in self._all_graph_names() if not _hidden(g)]

    def _all_graph_names(self) -> list[URIRef]:
        names: set = set()
        # ``GRAPH ?g { }`` is the cheap form on Oxigraph and Fuseki; Virtuoso answers it with no
        # graph (one empty row), so an answer without names is asked again with a triple
        # pattern. That one is grouped, not DISTINCT: the same set of graphs on every engine,
        # but Virtuoso 7.2 answers the GROUP BY from its graph index in 20 ms at 170k quads,
        # and ``SELECT DISTINCT ?g`` ran past 100 s (rkg build timed out listing graphs).
        for listing in (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        ):
            data = self._request_query(listing, dataset=False)
            names = {_term(b["g"]) for b in data.get("results", {}).get("bindings", []) if "g" in b}
            if names:
                break
        return sorted(n for n in names if isinstance(n, URIRef))

    def replace_plan(self, incoming: Iterable[URIRef]) -> ReplacePlan:
        """What a replacing load of the graphs ``incoming`` will do (nothing is written)."""
        new = {URIRef(str(g)) for g in incoming}
        if self.union == "copy":  # the load writes the copy anew (any other mode drops it)
            new.add(UNION_GRAPH)
        present = self._all_graph_names()
        plan = ReplacePlan(self.spec)
        plan.replaced = sorted(g for g in new if g in present)
        plan.added = sorted(g for g in new if g not in present)
        plan.dropped = [g for g in present if owned(g) and g not in new and not _staging(g)]
        plan.kept = [g for g in present if not owned(g) and g not in new]
        return plan

    def dump(self, format: str = "nquads") -> bytes:
        if format not in ("nquads", "trig"):
            raise StoreError(f"cannot dump as {format!r}: use nquads or trig")
        data = self._query_json("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        ds = Dataset()
        for b in data.get("results", {}).get("bindings", []):
            ds.graph(cast(URIRef, _term(b["g"]))).add((_term(b["s"]), _term(b["p"]), _term(b["o"])))
        return ds.serialize(format=format, encoding="utf-8")

    # --- writing ---------------------------------------------------------------------------

    def update(self, update: str) -> None:
        """Run a SPARQL update; with ``union=copy`` the copy is made anew in the same request
        (:data:`REFRESH_COPY`), so no reader sees the update without it."""
        if self.union == "copy" and self._has_copy():
            self._send_update(f"{update} ;\n{REFRESH_COPY}", max(self.timeout, COMMIT_TIMEOUT))
        else:
            self._send_update(update)

    def _send_update(self, update: str, timeout: float | None = None) -> None:
        """One update request as given (the loads' own steps: no copy refresh); ``timeout``
        instead of the store's for a request whose work grows with the data."""
        if not self.update_url:
            raise StoreError(
                f"{self.spec} is read-only here: give an update URL "
                "(spec '#update=URL' or RKG_SPARQL_UPDATE_URL)"
            )
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery(update)
        if timeout is not None:
            wrapper.setTimeout(int(timeout))
        self._run(wrapper, self.update_url, timeout)
        self._forget_listing()
        self.generation += 1

    def _forget_listing(self) -> None:
        self._graphs = None
        self._copy_ready = None

    def load(self, dataset: Dataset, *, replace: bool = False) -> None:
        graphs = [g for g in dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)]
        graphs = [g for g in graphs if not _is_default(g.identifier) and not _hidden(g.identifier)]
        default = [g for g in dataset.graphs() if _is_default(g.identifier) and len(g)]
        if default:
            raise StoreError(
                f"{self.spec}: {sum(len(g) for g in default)} triple(s) are outside any named "
                "graph; the store keeps data in named graphs only"
            )
        self._check_writable()
        copy = self._copy_wanted(replace)
        if self.store_url:
            bodies: list[tuple[URIRef, Callable[[], bytes]]] = [
                (cast(URIRef, g.identifier), partial(g.serialize, format="nt", encoding="utf-8"))
                for g in graphs
            ]
            self._load_gsp(bodies, replace, copy)
        else:
            names = [cast(URIRef, g.identifier) for g in graphs]
            self._load_update(_chunks(graphs, INSERT_CHUNK), replace, names, copy)
        self._forget_listing()
        self.generation += 1

    def load_nquads(self, data: bytes, *, replace: bool = False) -> None:
        """Load N-Quads bytes (parsed by Oxigraph, no rdflib copy): :meth:`load_from_oxigraph`."""
        store = ox.Store()
        try:
            store.load(data, format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.spec}: cannot read the N-Quads to load: {exc}") from exc
        self.load_from_oxigraph(store, replace=replace)

    def load_from_oxigraph(
        self, store: Any, *, replace: bool = False, ignore_default: bool = False
    ) -> None:
        """Load the named graphs of a ``pyoxigraph.Store``, as :meth:`load` does a Dataset.

        Each graph is serialised by Oxigraph as N-Triples: the body of one Graph Store Protocol
        request, or the lines of ``INSERT DATA`` chunks. Triples in the default graph are an
        error (as in :meth:`load`) unless ``ignore_default`` (e.g. a union copy of the graphs).
        """
        outside = 0
        names: list[Any] = []
        for name in store.named_graphs():
            if isinstance(name, ox.NamedNode) and not _is_default(URIRef(name.value)):
                if not _hidden(name.value):
                    names.append(name)
            else:
                outside += sum(1 for _ in store.quads_for_pattern(None, None, None, name))
        if not ignore_default:
            outside += sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if outside:
            raise StoreError(
                f"{self.spec}: {outside} triple(s) are outside any named "
                "graph; the store keeps data in named graphs only"
            )
        names.sort(key=lambda n: n.value)
        self._check_writable()
        copy = self._copy_wanted(replace)

        def dump(name: Any) -> bytes:
            return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)

        if self.store_url:
            bodies: list[tuple[URIRef, Callable[[], bytes]]] = []
            for name in names:
                body = dump(name)
                if body.strip():
                    bodies.append((URIRef(name.value), partial(bytes, body)))
            self._load_gsp(bodies, replace, copy)
        else:
            lines = (
                (URIRef(name.value), dump(name).decode("utf-8").splitlines()) for name in names
            )
            targets = [URIRef(name.value) for name in names]
            self._load_update(_nt_chunks(lines, INSERT_CHUNK), replace, targets, copy)
        self._forget_listing()
        self.generation += 1

    def _copy_wanted(self, replace: bool) -> bool:
        """Whether a load writes the union copy: with ``union=copy``, on a replacing load (the
        copy is then made anew), or when adding to a server that has the copy or no graph yet.
        Adding to graphs loaded without a copy makes none: a partial copy would hide them."""
        if self.union != "copy":
            return False
        return replace or self._has_copy() or not self.graph_names()

    def _has_copy(self) -> bool:
        """True when the server holds the union copy (asked once per listing of its graphs)."""
        if self._copy_ready is None:
            self._copy_ready = UNION_GRAPH in self._all_graph_names()
        return self._copy_ready

    def _check_writable(self) -> None:
        if not self.store_url and not self.update_url:
            raise StoreError(
                f"{self.spec} is read-only here: give an update URL (spec '#update=URL' or "
                "RKG_SPARQL_UPDATE_URL) or a Graph Store URL ('#store=URL')"
            )

    def _load_gsp(
        self, graphs: list[tuple[URIRef, Callable[[], bytes]]], replace: bool, copy: bool = False
    ) -> None:
        """One ``PUT`` (``POST`` to add) per graph.

        ``graphs``: each graph's name and a function giving its N-Triples (made one at a time).
        Replacing with an update URL: each graph is ``PUT`` under a staging name, then one update
        moves them all into place (:meth:`_commit`); without one, each graph is ``PUT`` in place
        (each graph atomic, the set not) and rkg's graphs not in the load are deleted.
        ``copy``: the union copy is made too (:meth:`_make_copy`).
        """
        if not self.update_url and copy:  # no update to make it on the server: sent as a graph
            graphs = _with_copy_body(graphs)
        if not replace:
            for name, body in graphs:
                self._http(
                    "POST", self._gsp_url(name), body(), {"Content-Type": "application/n-triples"}
                )
            self._make_copy(copy)
            return
        if not self.update_url:
            self._put_in_place(graphs)
            return
        stage = _stage_names([name for name, _ in graphs])
        try:
            for name, body in graphs:
                self._http(
                    "PUT",
                    self._gsp_url(stage[name]),
                    body(),
                    {"Content-Type": "application/n-triples"},
                )
        except BaseException:
            self._drop_staging(stage.values())
            raise
        self._commit(stage, copy)

    def _put_in_place(self, graphs: list[tuple[URIRef, Callable[[], bytes]]]) -> None:
        """A replacing load with the Graph Store alone: each graph ``PUT`` onto its name, then
        rkg's graphs that are not in the load deleted."""
        plan = self.replace_plan(name for name, _ in graphs)
        for name, body in graphs:
            self._http(
                "PUT", self._gsp_url(name), body(), {"Content-Type": "application/n-triples"}
            )
        for name in plan.dropped:
            self._http("DELETE", self._gsp_url(name), None, {})

    def _make_copy(self, copy: bool) -> None:
        """After graphs were added with an update URL at hand: the copy made anew on the server
        (:data:`REFRESH_COPY`; without an update URL the load sent it as a graph)."""
        if copy and self.update_url:
            self._send_update(REFRESH_COPY, max(self.timeout, COMMIT_TIMEOUT))

    def _gsp_url(self, name: URIRef) -> str:
        assert self.store_url is not None  # (only called when a store URL is known)
        sep = "&" if "?" in self.store_url else "?"
        return f"{self.store_url}{sep}{urllib.parse.urlencode({'graph': str(name)})}"

    def _load_update(
        self,
        chunks: Iterable[dict[URIRef, list[str]]],
        replace: bool,
        names: Iterable[URIRef] = (),
        copy: bool = False,
    ) -> None:
        """``INSERT DATA`` in chunks; with ``replace`` into staging graphs, then :meth:`_commit`.

        ``chunks``: N-Triples lines by graph. A blank node and every triple that mentions it go
        into the same chunk (a blank node label means one node only inside one request).
        ``names``: every graph the chunks fill (the graphs that replace the server's).
        ``copy``: the union copy is made anew after them (in the final update when replacing).
        """
        stage = _stage_names(list(names)) if replace else {}
        try:
            for chunk in chunks:
                parts = []
                for name, lines in chunk.items():
                    body = "\n".join(lines)
                    target = stage.setdefault(name, _stage_name(name)) if replace else name
                    parts.append(f"GRAPH {target.n3()} {{\n{body}\n}}")
                self._send_update("INSERT DATA {\n" + "\n".join(parts) + "\n}")
        except BaseException:
            if replace:
                self._drop_staging(stage.values())
            raise
        if replace:
            self._commit(stage, copy)
        else:
            self._make_copy(copy)

    def _commit(self, stage: dict[URIRef, URIRef], copy: bool = False) -> None:
        """One update request (one transaction on a conforming server): every staged graph
        moved onto its name (``MOVE`` replaces the old graph), then rkg's graphs that are not in
        the load dropped, leftover staging graphs of interrupted loads included, then (``copy``)
        the union copy made anew from the graphs now in place (:data:`REFRESH_COPY`: made by the
        server, 8 s for 100k triples on ``oxigraph serve`` where moving a staged copy into
        place took 60 s). Graphs rkg does not own are never named."""
        plan = self.replace_plan(stage)
        operations = [
            f"MOVE SILENT GRAPH {staged.n3()} TO GRAPH {name.n3()}"
            for name, staged in sorted(stage.items())
        ]
        leftovers = [g for g in self._all_graph_names() if _staging(g) and g not in stage.values()]
        operations += [f"DROP SILENT GRAPH {g.n3()}" for g in [*plan.dropped, *leftovers]]
        if copy:
            operations.append(REFRESH_COPY)
        if operations:
            self._send_update(" ;\n".join(operations), max(self.timeout, COMMIT_TIMEOUT))

    def _drop_staging(self, staged: Iterable[URIRef]) -> None:
        """Best effort after a failed load: its staging graphs gone (else the next build)."""
        names = list(staged)
        if not names:
            return
        try:
            self._send_update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()}" for g in names))
        except StoreError:
            pass

    # --- transport -------------------------------------------------------------------------

    def _dataset(self, query: str) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for ``query`` (see the module notes)."""
        masked = _masked(query)
        if self.union == "server" or _FROM.search(masked):
            return []
        if self._graphs is None:
            self._graphs = self.graph_names()
        named = [("named-graph-uri", str(g)) for g in self._graphs]
        if self.union == "copy" and self._reads_copy():
            # The named graphs only when the query can reach them: a query without ``GRAPH``
            # reads the default graph alone, and each parameter costs (Virtuoso echoes every
            # one back as a response header).
            copy = [("default-graph-uri", str(UNION_GRAPH))]
            return copy + named if _GRAPH.search(masked) else copy
        if not self._graphs:  # an empty store: an empty dataset, not the server's default
            return [("default-graph-uri", "urn:x-rkg:empty")]
        return [("default-graph-uri", str(g)) for g in self._graphs] + named

    def _reads_copy(self) -> bool:
        """``union=copy`` on a server without the copy (loaded by another tool, or by rkg with
        another mode) reads the named graphs as ``union=explicit`` does, and says so once."""
        if self._has_copy() or not self._graphs:
            return self._has_copy()
        if not self._warned_no_copy:
            self._warned_no_copy = True
            warnings.warn(
                f"{self.spec}: no union copy ({_short(UNION_GRAPH)}) on the server: every query "
                "names all its graphs instead (slower; a triple in several graphs can repeat "
                "in joins on some servers). Rebuild with 'rkg build --store' to make the copy.",
                stacklevel=4,
            )
        return False

    def _query_json(self, query: str) -> dict[str, Any]:
        return self._request_query(query, dataset=True)

    def _request_query(self, query: str, *, dataset: bool) -> dict[str, Any]:
        body = self._query(query, JSON, dataset=dataset)
        try:
            return json.loads(body)
        except ValueError as exc:
            raise StoreError(f"{self.spec}: the answer is not SPARQL JSON results: {exc}") from exc

    def _query(self, query: str, return_format: str, *, dataset: bool = True) -> bytes:
        wrapper = self._wrapper(self.query_url)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(return_format)
        for name, value in self._dataset(query) if dataset else []:
            wrapper.addParameter(name, value)
        return self._run(wrapper, self.query_url)

    def _wrapper(self, url: str) -> SPARQLWrapper:
        """A fresh SPARQLWrapper per request (it keeps per-query state, not thread-safe)."""
        wrapper = SPARQLWrapper(url, updateEndpoint=self.update_url or url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: strict servers refuse them
        wrapper.setTimeout(int(self.timeout))
        if self.token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        elif self.user:
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            wrapper.setCredentials(self.user, self.password or "")
        return wrapper

    def _run(self, wrapper: SPARQLWrapper, url: str, timeout: float | None = None) -> bytes:
        try:
            with warnings.catch_warnings():
                # SPARQLWrapper warns on query forms its regex does not know; the server decides.
                warnings.simplefilter("ignore", RuntimeWarning)
                result = wrapper.query()
            with result.response as response:
                return response.read()
        except QueryBadFormed as exc:
            raise QueryError(f"{url} rejected the query: {_wrapper_message(exc)}") from None
        except SPARQLWrapperException as exc:
            name = type(exc).__name__
            message = _wrapper_message(exc)
            raise StoreError(
                f"{url} answered with an error ({name}): {message}{_server_hint(message)}"
            ) from None
        except urllib.error.HTTPError as exc:
            raise StoreError(
                f"{url} answered HTTP {exc.code} {exc.reason}: {_server_message(exc)}"
            ) from None
        except OSError as exc:  # unreachable, timed out, connection reset (HTTP errors above)
            raise _network_failure(url, exc, timeout or self.timeout) from None

    def _digest(self, method: str, url: str) -> str:
        """Digest credentials for one request, from a fresh challenge (an empty ``GET``)."""
        probe = urllib.request.Request(url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout):
                return ""  # no challenge: the server does not ask for credentials here
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "")
            if exc.code != 401 or not challenge.lower().startswith("digest"):
                return ""
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None
        return _digest_header(challenge, method, url, self.user or "", self.password or "")

    def _http(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method)
        for key, value in headers.items():
            request.add_header(key, value)
        opener = urllib.request.urlopen
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        elif self.user and self.auth == "digest":
            # Virtuoso's /sparql-graph-crud-auth. The challenge is fetched with an empty request
            # first: sending a large body unauthenticated makes Virtuoso answer 401 and reset
            # the connection while the body is still being written.
            credentials = self._digest(method, url)
            if credentials:
                request.add_header("Authorization", credentials)
        elif self.user:
            cred = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {cred}")
        try:
            with opener(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            message = _server_message(exc)
            cls = QueryError if exc.code == 400 else StoreError
            raise cls(f"{url} answered HTTP {exc.code} {exc.reason}: {message}") from None
        except OSError as exc:  # unreachable, timed out, connection reset (HTTP errors above)
            raise _network_failure(url, exc, self.timeout) from None


def _network_failure(url: str, exc: OSError, timeout: float) -> StoreError:
    """The message for a request that got no HTTP answer, naming the endpoint and the cause."""
    if isinstance(exc, urllib.error.URLError):
        return StoreError(f"cannot reach the SPARQL endpoint {url}: {exc.reason}")
    if isinstance(exc, TimeoutError):
        return StoreError(f"{url} did not answer within {timeout:g}s")
    return StoreError(f"connection to {url} failed: {exc}")


def _digest_header(challenge: str, method: str, url: str, user: str, password: str) -> str:
    """The ``Authorization: Digest …`` value answering ``challenge`` (RFC 7616, MD5, qop=auth)."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    path = urllib.parse.urlsplit(url)
    uri = path.path + (f"?{path.query}" if path.query else "")

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the protocol's hash

    ha1, ha2 = md5(f"{user}:{realm}:{password}"), md5(f"{method}:{uri}")
    cnonce = uuid.uuid4().hex[:16]
    parts = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
    if "auth" in fields.get("qop", "").split(","):
        response = md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        parts += ["qop=auth", "nc=00000001", f'cnonce="{cnonce}"']
    else:
        response = md5(f"{ha1}:{nonce}:{ha2}")
    parts.append(f'response="{response}"')
    if "opaque" in fields:
        parts.append(f'opaque="{fields["opaque"]}"')
    return "Digest " + ", ".join(parts)


#: Server errors whose fix is a setting of the server, by a code in the message: what to set.
_SERVER_HINTS = {
    "SR325": (
        "Virtuoso refuses a transaction whose roll-forward log outgrows "
        "TransactionAfterImageLimit ([Parameters] in virtuoso.ini, 50,000,000 bytes by default; "
        "a replacing load is one transaction, and a region of 1M triples outgrew it): raise it, "
        "e.g. to 2000000000, and restart Virtuoso (docs/server.md, Virtuoso)"
    ),
}


def _server_hint(message: str) -> str:
    """`` -- what to change on the server`` when ``message`` is an error a setting fixes."""
    return "".join(f" -- {hint}" for code, hint in _SERVER_HINTS.items() if code in message)


def _wrapper_message(exc: SPARQLWrapperException) -> str:
    """The server's own message out of SPARQLWrapper's ``...Response:\nb'...'`` text."""
    text = str(exc)
    head, sep, raw = text.partition("Response:\n")
    if sep:
        try:
            value = ast.literal_eval(raw.strip())
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        except (ValueError, SyntaxError):
            text = raw
    return " ".join(text.split())[:500] or "(no message)"


def _server_message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace").strip()
    except OSError:
        text = ""
    text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text
    text = " ".join(text.split())
    return text[:500] or "(no message)"


def _term(value: Mapping[str, str]) -> Node:
    try:
        return read_term(value)
    except UnsupportedTerm as exc:
        raise StoreError(str(exc)) from None


def _stage_name(name: URIRef, token: str | None = None) -> URIRef:
    """A fresh staging graph for ``name``: rkg's (so a leftover is dropped by the next build)."""
    token = token or uuid.uuid4().hex
    return URIRef(f"{STAGING_NAMESPACE}{token}/{urllib.parse.quote(str(name), safe='')}")


def _stage_names(names: Iterable[URIRef]) -> dict[URIRef, URIRef]:
    token = uuid.uuid4().hex
    return {URIRef(str(n)): _stage_name(URIRef(str(n)), token) for n in names}


def _is_default(name: Node) -> bool:
    return str(name) in ("urn:x-rdflib:default", "") or isinstance(name, BNode)


def _chunks(graphs: Iterable[Graph], size: int) -> Iterable[dict[URIRef, list[str]]]:
    """Groups of about ``size`` triples of rdflib graphs, keeping triples connected by blank
    nodes together: :func:`_nt_chunks` over :func:`_graph_lines`."""
    yield from _nt_chunks(_graph_lines(graphs), size)


def _graph_lines(graphs: Iterable[Graph]) -> Iterable[tuple[URIRef, list[str]]]:
    """Each rdflib graph's name and triples, one N-Triples-like line per triple (rdflib's
    ``n3()`` spelling, which SPARQL Update accepts)."""
    for graph in graphs:
        yield cast(URIRef, graph.identifier), [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph]


def _with_copy_body(
    bodies: list[tuple[URIRef, Callable[[], bytes]]],
) -> list[tuple[URIRef, Callable[[], bytes]]]:
    """The Graph Store bodies plus one for :data:`UNION_GRAPH`: every graph's N-Triples, one
    after the other (the server keeps each triple once). Blank nodes in the copy are the
    copy's own: one request per graph means one set of nodes per graph."""

    def union() -> bytes:
        return b"\n".join(body() for _, body in bodies)

    return [*bodies, (UNION_GRAPH, union)] if bodies else bodies


def _group(
    batches: Iterable[list[tuple[URIRef, str]]], size: int
) -> Iterable[dict[URIRef, list[str]]]:
    """Batches (kept whole) packed into chunks of about ``size`` lines."""
    chunk: dict[URIRef, list[str]] = {}
    count = 0
    for batch in batches:
        if count and count + len(batch) > size:
            yield chunk
            chunk, count = {}, 0
        for name, line in batch:
            chunk.setdefault(name, []).append(line)
        count += len(batch)
    if chunk:
        yield chunk


_NT_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_NT_BNODE = re.compile(r"_:[^\s<>\"]+")


def _nt_chunks(
    graphs: Iterable[tuple[URIRef, list[str]]], size: int
) -> Iterable[dict[URIRef, list[str]]]:
    """:func:`_chunks` for N-Triples lines (as Oxigraph writes them), graph by graph.

    Lines that mention no blank node (outside literals) stream straight into chunks; those that
    do are grouped by the blank nodes they share and sent after them, each group whole.
    """
    groups = _BlankNodeGroups()

    def batches() -> Iterable[list[tuple[URIRef, str]]]:
        for name, lines in graphs:
            for line in lines:
                if line and not line.startswith("#") and not groups.add(name, line):
                    yield [(name, line)]
        yield from groups.groups()  # only once every line has been seen

    yield from _group(batches(), size)


class _BlankNodeGroups:
    """N-Triples lines that share blank nodes, joined into groups (union-find over lines)."""

    def __init__(self) -> None:
        self.units: list[list[tuple[URIRef, str]]] = []
        self.by_bnode: dict[str, int] = {}
        self.parent: list[int] = []

    def add(self, name: URIRef, line: str) -> bool:
        """Keep ``line`` if it mentions a blank node (outside literals); False if it does not."""
        labels = _NT_BNODE.findall(_NT_LITERAL.sub('""', line)) if "_:" in line else []
        if not labels:
            return False
        idx = len(self.units)
        self.units.append([(name, line)])
        self.parent.append(idx)
        for label in labels:
            if label in self.by_bnode:
                a, c = self._find(self.by_bnode[label]), self._find(idx)
                if a != c:
                    self.parent[c] = a
            else:
                self.by_bnode[label] = idx
        return True

    def _find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def groups(self) -> Iterable[list[tuple[URIRef, str]]]:
        """The lines kept, one list per connected group, in the order of their first line."""
        joined: dict[int, list[tuple[URIRef, str]]] = {}
        for i, unit in enumerate(self.units):
            joined.setdefault(self._find(i), []).extend(unit)
        yield from joined.values()
