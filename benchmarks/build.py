"""Build figures: the plain-rdflib baseline, and each store built by the real loader.

Each runs in its own process; after building it times every catalogue query there too (the data
is already in memory), so one process per store gives build time, peak memory and latencies.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import Server, emit, peak_rss_mb, reset_peak
from benchmarks.queries import time_baseline_queries, time_store_queries


def curated_files() -> list[Path]:
    """The files the loader always reads (ontology, curated graph), as it finds them."""
    from regional_kg.build.sources import curated_sources

    return [s.path for s in curated_sources(set())]


def baseline_task(params: dict) -> None:
    """rdflib parse of the same files into a Dataset, then rdflib SPARQL on it."""
    from rdflib import Dataset

    files = [*curated_files(), Path(params["file"])]
    reset_peak()
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    for path in files:
        fmt = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads"}[path.suffix]
        ds.parse(str(path), format=fmt)
    seconds = time.perf_counter() - start
    emit(kind="build", store="rdflib-baseline", phase="parse", seconds=seconds)
    emit(kind="memory", store="rdflib-baseline", mb=peak_rss_mb(), triples=len(ds))
    gc.collect()
    time_baseline_queries(ds, params["queries"], params["repeats"], params.get("limit"))


def store_task(params: dict) -> None:
    """Build ``params['store']`` with the loader (validation off: timed separately), then query.

    ``oxigraph-fast`` is :func:`regional_kg.build.native.build` with validation on (no queries: the
    engine and data are those of ``oxigraph``).
    """
    import regional_kg as rkg

    kind = params["store"]
    tmp = Path(tempfile.mkdtemp(prefix="rkg-bench-"))
    server = None
    try:
        if kind == "memory":
            spec = "memory"
        elif kind in ("oxigraph", "oxigraph-fast"):
            spec = "oxigraph"
        elif kind == "oxigraph-disk":
            spec = f"oxigraph:{tmp / 'store'}"
        elif kind == "remote":
            server = Server(tmp / "server").__enter__()
            spec = server.spec
        else:
            raise SystemExit(f"unknown store {kind}")
        reset_peak()
        start = time.perf_counter()
        if kind == "oxigraph-fast":  # parse, infer, validate all in Oxigraph (with validation)
            result = rkg.build([params["file"]], store="oxigraph", use_cache=False)
        else:
            result = rkg.build([params["file"]], store=spec, validate=False)
        total = time.perf_counter() - start
        for phase, seconds in result.timings.items():
            emit(kind="build", store=kind, phase=phase, seconds=seconds)
        emit(kind="build", store=kind, phase="total", seconds=total)
        memory = {"kind": "memory", "store": kind, "mb": peak_rss_mb(), "triples": result.triples}
        if server is not None:
            memory["server_mb"] = server.peak_rss_mb()
        emit(**memory)
        limit = params.get("limit") if kind == "memory" else None
        if params["repeats"]:
            time_store_queries(result.store, kind, params.get("queries"), params["repeats"], limit)
    finally:
        if server is not None:
            server.__exit__()
        shutil.rmtree(tmp, ignore_errors=True)
