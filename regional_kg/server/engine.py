"""Run one SPARQL request against a store and write the answer in the negotiated format.

Two paths:

* **Oxigraph fast path** — when the store wraps a ``pyoxigraph.Store``, the query string goes
  straight to Oxigraph's engine (union default graph as an option of the query). SELECT rows are
  then written by the writers of :mod:`regional_kg.sparql_results` (the CLI's too), one row at a
  time, because that is where the deadline and the row cap are checked: pyoxigraph's own
  ``QuerySolutions.serialize`` consumes the whole iterator in one call with no way to stop it.
  CONSTRUCT triples are collected under the same checks and written by ``pyoxigraph.serialize``;
  ASK by ``QueryBoolean.serialize``.
* **Store protocol** — any other store (rdflib in memory, a remote endpoint): ``select`` /
  ``ask`` / ``construct``, results written by the same writers (rdflib for graphs).

The writers take pyoxigraph's terms as they come (rdflib's from the store protocol); their
bytes are those of Oxigraph's own writers, which the ``oxigraph serve`` engine of
:mod:`regional_kg.server.app` uses, so an answer does not depend on the path that made it.
"""

from __future__ import annotations

import functools
import io
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from regional_kg import sparql_results
from regional_kg.namespaces import PREFIXES
from regional_kg.stores.base import QueryError, Store

#: media type → short name, for SELECT / ASK results
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media type → short name, for CONSTRUCT / DESCRIBE results
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
#: ``?format=`` shortcuts (handy in a browser address bar)
FORMAT_ALIASES = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "n3": "turtle",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
}


class RequestFailed(Exception):
    """An answer other than 200: HTTP status, a short code and a message for the client."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class QueryTimeout(RequestFailed):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            503,
            "timeout",
            f"the query ran longer than {seconds:g} s and was stopped; "
            "narrow it (LIMIT, more specific patterns) or ask for a larger --timeout",
        )


class TooManyRows(RequestFailed):
    def __init__(self, cap: int, what: str) -> None:
        super().__init__(
            413,
            "result-too-large",
            f"the result has more than {cap} {what}, the server's cap "
            "(--max-rows); add LIMIT/OFFSET to page through it",
        )


@dataclass
class Limits:
    """Per-request deadline (monotonic clock) and row cap."""

    deadline: float
    timeout: float
    max_rows: int

    def check(self, count: int, what: str = "rows") -> None:
        if time.monotonic() > self.deadline:
            raise QueryTimeout(self.timeout)
        if count > self.max_rows:
            raise TooManyRows(self.max_rows, what)


# --- content negotiation -----------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def negotiate(accept: str | None, form: str, explicit: str | None = None) -> str:
    """The short format name for a query of ``form`` (``select``/``ask``/``graph``).

    Cached: a client sends the same Accept header with every request, and parsing it was a
    measurable part of a light query's time in the front (a refusal raises, so is not cached).
    """
    table = GRAPH_TYPES if form == "graph" else RESULT_TYPES
    default = "turtle" if form == "graph" else "json"
    if explicit:
        named = _explicit_format(explicit, accept, form, table)
        if named is not None:
            return named
    if not accept:
        return default
    for media in _by_preference(accept):
        if media in table:
            return table[media]
        if media.endswith("/*"):  # */*, application/*, text/*, ...
            return default
    raise RequestFailed(
        406,
        "not-acceptable",
        f"none of the accepted types ({accept}) fits a {form} query; "
        "the server offers " + ", ".join(k for k in table),
    )


def _explicit_format(
    explicit: str, accept: str | None, form: str, table: dict[str, str]
) -> str | None:
    """``?format=`` when it fits the query form; ``None`` to fall back on the Accept header.

    SPARQLWrapper also sends ``format=json`` for every form, with a fitting Accept header: a
    value that does not fit falls back to a specific Accept type, else it is refused (never a
    silent JSON for ``turtle``).
    """
    name = FORMAT_ALIASES.get(explicit.lower())
    if name is not None and name in table.values():
        return name
    if any(m.split(";")[0].strip().lower() in table for m in (accept or "").split(",")):
        return None
    offered = sorted({k for k, v in FORMAT_ALIASES.items() if v in table.values()})
    raise RequestFailed(
        406,
        "not-acceptable",
        f"format={explicit!r} does not fit a {form} query; use one of: {', '.join(offered)}",
    )


def _by_preference(accept: str) -> list[str]:
    """The media types of an Accept header with q > 0, highest q first, then in order."""
    choices = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        choices.append((-_quality(pieces[1:]), position, pieces[0].lower()))
    return [media for negative_q, _, media in sorted(choices) if negative_q < 0]


def _quality(parameters: list[str]) -> float:
    q = 1.0
    for p in parameters:
        if p.startswith("q="):
            try:
                q = float(p[2:])
            except ValueError:
                q = 0.0
    return q


# --- query form --------------------------------------------------------------------------------

_MASK = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT / DESCRIBE), from the first form keyword."""
    match = _FORM.search(_MASK.sub(" ", query))
    if not match:
        raise RequestFailed(
            400, "syntax", "not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    word = match.group(1).upper()
    return {"SELECT": "select", "ASK": "ask"}.get(word, "graph")


# --- running -----------------------------------------------------------------------------------


def pyoxigraph_store(store: Store | ox.Store) -> ox.Store | None:
    """The ``pyoxigraph.Store`` inside ``store``, if it has one (the fast path)."""
    if isinstance(store, ox.Store):
        return store
    return store.native


@dataclass
class Answer:
    body: bytes
    content_type: str
    rows: int | None = None


def run_query(
    store: Store,
    query: str,
    accept: str | None,
    limits: Limits,
    *,
    explicit_format: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> Answer:
    """Evaluate ``query`` and serialise it for ``accept`` within ``limits``.

    Runs in a worker thread. Failures are re-raised as fresh exceptions without the worker's
    frames: pyoxigraph result iterators must be dropped on the thread that made them, and a
    traceback handed to the request thread would carry them along.
    """
    failure: RequestFailed | None = None
    try:
        return _run(store, query, accept, limits, explicit_format, default_graphs, named_graphs)
    except RequestFailed as exc:
        failure = type(exc).__new__(type(exc))
        RequestFailed.__init__(failure, exc.status, exc.code, exc.message)
    raise failure


def _run(
    store: Store,
    query: str,
    accept: str | None,
    limits: Limits,
    explicit_format: str | None,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
) -> Answer:
    native = pyoxigraph_store(store)
    try:
        form = query_form(query)
    except RequestFailed:
        if native is not None:  # let Oxigraph's parser say where the query goes wrong
            try:
                native.query(query)
            except SyntaxError as exc:
                raise RequestFailed(400, "syntax", f"query syntax error: {exc}") from None
        raise
    fmt = negotiate(accept, form, explicit_format)
    if native is not None:
        # OxigraphStore keeps a de-duplicated copy of the union in the default graph (see
        # regional_kg.stores.oxigraph); read that when present, else Oxigraph's union mode.
        union = isinstance(store, ox.Store) or not store.union_ready
        return _run_oxigraph(native, query, fmt, limits, default_graphs, named_graphs, union)
    if default_graphs or named_graphs:
        raise RequestFailed(
            400, "unsupported", "default-graph-uri / named-graph-uri need an Oxigraph store"
        )
    return _run_protocol(store, query, form, fmt, limits)


def _run_oxigraph(
    native: ox.Store,
    query: str,
    fmt: str,
    limits: Limits,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
    union: bool = True,
) -> Answer:
    options: dict[str, Any] = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif union:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = native.query(query, **options)
    except SyntaxError as exc:
        raise RequestFailed(400, "syntax", f"query syntax error: {exc}") from None
    except (ValueError, OSError) as exc:
        raise RequestFailed(400, "query-error", str(exc)) from None
    limits.check(0)
    try:
        if isinstance(result, ox.QueryBoolean):
            return _ask_answer(bool(result), fmt, native_result=result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = ({name: solution[name] for name in variables} for solution in result)
            return _select_answer(variables, rows, fmt, limits)
        triples = []
        for triple in result:
            triples.append(triple)
            limits.check(len(triples), "triples")
        body = ox.serialize(triples, format=OX_FORMATS[fmt], prefixes=prefixes_for(fmt))
        assert body is not None  # serialize() without an output returns the bytes
        return Answer(body, CONTENT_TYPES[fmt], len(triples))
    except (ValueError, OSError) as exc:  # evaluation errors surface while iterating
        raise RequestFailed(400, "query-error", str(exc)) from None


def _run_protocol(store: Store, query: str, form: str, fmt: str, limits: Limits) -> Answer:
    try:
        if form == "ask":
            return _ask_answer(store.ask(query), fmt)
        if form == "select":
            result = store.select(query)
            limits.check(len(result.rows))
            return _select_answer(list(result.variables), result.rows, fmt, limits)
        graph = store.construct(query)
    except QueryError as exc:
        raise RequestFailed(400, "syntax", str(exc)) from None
    limits.check(len(graph), "triples")
    return Answer(_graph_bytes(graph, fmt), CONTENT_TYPES[fmt], len(graph))


OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def prefixes_for(fmt: str) -> dict[str, str] | None:
    return {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "turtle" else None


def _graph_bytes(graph: Graph, fmt: str) -> bytes:
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
    return graph.serialize(format=rdflib_format, encoding="utf-8")


# --- writers -----------------------------------------------------------------------------------

#: result format -> pyoxigraph's, for answers pyoxigraph writes itself
_NATIVE_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _ask_answer(value: bool, fmt: str, native_result: Any = None) -> Answer:
    if native_result is not None:
        return Answer(native_result.serialize(format=_NATIVE_FORMATS[fmt]), CONTENT_TYPES[fmt])
    return Answer(sparql_results.boolean_text(value, fmt).encode("utf-8"), CONTENT_TYPES[fmt])


def _select_answer(
    variables: list[str], rows: Iterable[sparql_results.Row], fmt: str, limits: Limits
) -> Answer:
    """Rows written one at a time by the shared writers, the deadline and the row cap checked
    before each (pyoxigraph's ``QuerySolutions.serialize`` could not be stopped)."""
    out = io.StringIO()
    count = 0

    def checked() -> Iterator[sparql_results.Row]:
        nonlocal count
        for row in rows:
            count += 1
            limits.check(count)
            yield row

    sparql_results.WRITERS[fmt](variables, checked(), out)
    return Answer(out.getvalue().encode("utf-8"), CONTENT_TYPES[fmt], count)
