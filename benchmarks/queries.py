"""Catalogue latencies: through the API (``run_query``), the store (``select``), bare pyoxigraph
(same text, same bindings) and plain rdflib (same text, ``initBindings``)."""

from __future__ import annotations

import signal
import time

import pyoxigraph as ox
from rdflib.util import from_n3

from benchmarks.common import emit, median, percentile
from regional_kg import synth
from regional_kg.catalogue import bind_params, catalogue, run_query
from regional_kg.stores.base import inject_values


class QueryTimeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001
    raise QueryTimeout


def _samples(fn, repeats: int, limit: float | None = None) -> tuple[list[float], int]:
    """``repeats`` timings of ``fn``; with ``limit``, stop (raise QueryTimeout) past it.

    The limit is a SIGALRM in this (worker) process: rdflib evaluates in Python, so the signal
    interrupts it between bytecodes; later repeats are skipped once one run is slower than a
    third of the limit.
    """
    samples, rows = [], 0
    for _ in range(repeats):
        if limit:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, limit)
        start = time.perf_counter()
        try:
            rows = fn()
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        samples.append(time.perf_counter() - start)
        if limit and samples[-1] > limit / 3:
            break
    return samples, rows


def _emit(store: str, mode: str, name: str, samples: list[float], rows: int) -> None:
    emit(
        kind="query",
        store=store,
        mode=mode,
        query=name,
        p50=median(samples),
        p95=percentile(samples, 95),
        n=len(samples),
        rows=rows,
    )


def time_store_queries(
    store, kind: str, params: dict | None, repeats: int, limit: float | None = None
) -> None:
    chosen = params or synth.catalogue_params(store)
    specs = catalogue()
    bound = {spec.name: bind_params(store, spec, chosen.get(spec.name, {})) for spec in specs}
    if kind == "oxigraph":  # hand the exact bindings to the rdflib baseline
        emit(
            kind="bindings",
            params=chosen,
            bindings={n: {k: v.n3() for k, v in b.items()} for n, b in bound.items()},
        )
    raw_store = None
    if kind == "oxigraph":
        # a bare pyoxigraph Store holding the same named graphs, queried as a user of pyoxigraph
        # would: the query text, bindings as substitutions, the union of graphs as default graph
        raw_store = ox.Store()
        raw_store.load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
        # the same de-duplicated default graph our store queries (Oxigraph's union mode yields a
        # triple once per graph holding it and multiplies joins: docs/benchmarks.md)
        raw_store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for spec in specs:
        args = chosen.get(spec.name, {})
        b = bound[spec.name]
        try:
            if kind != "memory":
                run_query(store, spec.name, args)  # warm-up (and the catalogue's file cache)
            samples, rows = _samples(
                lambda n=spec.name, a=args: len(run_query(store, n, a)), repeats, limit
            )
            _emit(kind, "api", spec.name, samples, rows)
            samples, rows = _samples(
                lambda t=spec.text, b=b: len(store.select(t, b)), repeats, limit
            )
            _emit(kind, "select", spec.name, samples, rows)
        except Exception as exc:  # the store wraps the timeout in its QueryError
            if not isinstance(exc, QueryTimeout) and not isinstance(exc.__cause__, QueryTimeout):
                raise
            emit(kind="query", store=kind, mode="select", query=spec.name, timeout=limit)
            continue
        if kind == "oxigraph":
            raw = _raw_pyoxigraph(raw_store, spec.text, b)
            raw()
            samples, rows = _samples(raw, repeats)
            _emit("pyoxigraph-raw", "select", spec.name, samples, rows)


def _raw_pyoxigraph(raw, text: str, bindings: dict):
    """The same query on a bare pyoxigraph Store holding the same graphs and the same
    de-duplicated default graph, bound as our stores bind (one ``VALUES`` block)."""
    query = inject_values(text, bindings)

    def run() -> int:
        return sum(1 for _ in raw.query(query))

    return run


def time_baseline_queries(ds, queries: dict, repeats: int, limit: float | None = None) -> None:
    for spec in catalogue():
        bindings = {k: from_n3(v) for k, v in queries.get(spec.name, {}).items()}

        def run(text: str = spec.text, bindings: dict = bindings) -> int:
            return len(list(ds.query(text, initBindings=bindings)))

        try:
            samples, rows = _samples(run, repeats, limit)
        except QueryTimeout:
            emit(
                kind="query", store="rdflib-baseline", mode="select", query=spec.name, timeout=limit
            )
            continue
        _emit("rdflib-baseline", "select", spec.name, samples, rows)
