"""``python -m benchmarks.run [--quick] [--sizes 100000,1000000] [--json FILE]``.

For each size: a synthetic region (``rkg synth --triples``), then in separate processes the
plain-rdflib baseline (parse into a Dataset, rdflib SPARQL), each store built by the loader
(rdflib memory, Oxigraph in memory, on disk, a remote ``oxigraph serve``) with its catalogue
latencies, validation and inference, centrality, and page rendering/settling in Chromium. Prints
one table (every figure with its ratio to the rdflib baseline of the same run) and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, run_worker

STORES = ("oxigraph", "oxigraph-disk", "remote", "memory", "oxigraph-fast")


def settings(size: int, quick: bool) -> dict:
    big = size >= 500_000
    return {
        "repeats": 2 if quick else (3 if big else 5),
        "memory_repeats": 1 if quick or big else 3,
        "rdflib_repeats": 1 if big or quick else 3,
        "rdflib_limit": 10.0 if big else (5.0 if quick else 30.0),
        "memory_limit": 5.0 if big or quick else 15.0,
        "budget_baseline": 300 if big else 200,
        "budget_store": 300 if big else 200,
        "budget_validate": 180 if big else (60 if quick else 300),
        "budget_network": 240 if big else 120,
        "budget_page": 200 if big else 120,
        "pyshacl": True,
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def synth_file(size: int) -> Path:
    from regional_kg import synth

    folder = ROOT / "bench-results" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synth-{size}.nq"
    if not path.exists():
        states, years = synth.size_for(size)
        stats = synth.write_file(path, states, years, seed=1)
        log(f"wrote {path.name}: {stats.triples:,} triples ({states} states x {years} years)")
    return path


def bench_size(size: int, quick: bool, skip: set[str], scale: float = 1.0) -> list[dict]:
    cfg = settings(size, quick)
    cfg.update({k: v * scale for k, v in cfg.items() if k.startswith("budget_")})
    path = synth_file(size)
    records: list[dict] = []

    def run(task: str, params: dict, budget: float, **tags: object) -> list[dict]:
        log(f"[{size:,}] {task} {tags.get('store', '')}".rstrip())
        start = time.monotonic()
        found = run_worker(task, {"file": str(path), **params}, budget, log)
        for r in found:
            r["size"], r["task"] = size, task
            for key, value in tags.items():
                r.setdefault(key, value)  # a record's own store (e.g. pyoxigraph-raw) stays
        records.extend(found)
        log(f"  done in {time.monotonic() - start:.0f} s")
        return found

    got = run(
        "store",
        {"store": "oxigraph", "repeats": cfg["repeats"]},
        cfg["budget_store"],
        store="oxigraph",
    )
    params = next((r["params"] for r in got if r.get("kind") == "bindings"), None)
    bindings = next((r["bindings"] for r in got if r.get("kind") == "bindings"), {})
    if "baseline" not in skip:
        run(
            "baseline",
            {"queries": bindings, "repeats": cfg["rdflib_repeats"], "limit": cfg["rdflib_limit"]},
            cfg["budget_baseline"],
            store="rdflib-baseline",
        )
    for store in STORES[1:]:
        if store in skip:
            continue
        run(
            "store",
            {
                "store": store,
                "queries": params,
                "repeats": {"oxigraph-fast": 0, "memory": cfg["memory_repeats"]}.get(
                    store, cfg["repeats"]
                ),
                "limit": cfg["memory_limit"],
            },
            cfg["budget_store"],
            store=store,
        )
    if "validate" not in skip:
        run("validate", {"pyshacl": cfg["pyshacl"]}, cfg["budget_validate"], store="validation")
    if "network" not in skip:
        run("network", {}, cfg["budget_network"], store="network")
    if "page" not in skip:
        run("page", {"nodes": [500, 2000]}, cfg["budget_page"], store="page")
    return records


# --- the table ---------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.0f} MB"


def _ratio(value: float | None, base: float | None, base_timeout: float | None = None) -> str:
    if value is None or value <= 0:
        return "—"
    if base is None:
        if base_timeout:
            return f"> {base_timeout / value:,.0f}× faster"
        return "—"
    r = base / value
    return f"{r:,.1f}× faster" if r >= 1 else f"{1 / r:,.1f}× slower"


def table(records: list[dict]) -> list[list[str]]:
    """One row per figure: size, area, item, store, value, p95, ratio to rdflib, note."""
    rows: list[list[str]] = []
    for size in sorted({r["size"] for r in records if "size" in r}):
        rs = [r for r in records if r.get("size") == size]
        base_parse = next(
            (
                r["seconds"]
                for r in rs
                if r.get("store") == "rdflib-baseline" and r.get("kind") == "build"
            ),
            None,
        )
        base_mb = next(
            (
                r["mb"]
                for r in rs
                if r.get("store") == "rdflib-baseline" and r.get("kind") == "memory"
            ),
            None,
        )
        triples = next((r.get("triples") for r in rs if r.get("kind") == "memory"), None)
        label = f"{size:,}" + (f" ({triples:,})" if triples else "")
        rows.append(
            [
                label,
                "build",
                "rdflib parse (baseline)",
                "rdflib",
                _fmt(base_parse, "s"),
                "",
                "1.0×",
                "plain Dataset.parse of the same files",
            ]
        )
        rows.append(
            [label, "memory", "peak RSS (baseline)", "rdflib", _fmt(base_mb, "MB"), "", "1.0×", ""]
        )
        for store in STORES:
            phases = {
                r["phase"]: r["seconds"]
                for r in rs
                if r.get("kind") == "build" and r.get("store") == store
            }
            if not phases:
                timeout = any(r.get("timeout") for r in rs if r.get("store") == store)
                if timeout:
                    rows.append([label, "build", "total", store, "timeout", "", "—", ""])
                continue
            parts = ", ".join(f"{k} {_fmt(v, 's')}" for k, v in phases.items() if k != "total")
            rows.append(
                [
                    label,
                    "build",
                    "total (no validation)",
                    store,
                    _fmt(phases.get("total"), "s"),
                    "",
                    _ratio(phases.get("total"), base_parse),
                    parts,
                ]
            )
            mem = next(
                (r for r in rs if r.get("kind") == "memory" and r.get("store") == store), None
            )
            if mem:
                note = f"server {mem['server_mb']:,.0f} MB" if mem.get("server_mb") else ""
                share = f"{mem['mb'] / base_mb:.2f}× of rdflib" if base_mb else "—"
                rows.append(
                    [
                        label,
                        "memory",
                        "peak RSS of build",
                        store,
                        _fmt(mem["mb"], "MB"),
                        "",
                        share,
                        note,
                    ]
                )
        for r in rs:
            if r.get("store") == "validation" and r.get("kind") == "build":
                note = f"{r['violations']} violations" if "violations" in r else ""
                rows.append(
                    [
                        label,
                        "build",
                        r["phase"],
                        "rdflib dataset" if r["phase"] != "fastvalidate" else "oxigraph",
                        _fmt(r["seconds"], "s"),
                        "",
                        _ratio(r["seconds"], base_parse),
                        note,
                    ]
                )
            if r.get("store") == "validation" and r.get("timeout"):
                rows.append(
                    [
                        label,
                        "build",
                        "pyshacl",
                        "rdflib dataset",
                        f"> {r['timeout']:.0f} s (stopped)",
                        "",
                        "—",
                        "budget exceeded",
                    ]
                )
        queries = sorted({r["query"] for r in rs if r.get("kind") == "query"})
        for q in queries:

            def get(store: str, mode: str = "select", q: str = q, rs: list = rs) -> dict | None:
                return next(
                    (
                        r
                        for r in rs
                        if r.get("kind") == "query"
                        and r.get("query") == q
                        and r.get("store") == store
                        and r.get("mode") == mode
                    ),
                    None,
                )

            base = get("rdflib-baseline")
            base_p50 = base.get("p50") if base else None
            base_to = base.get("timeout") if base else None
            raw = get("pyoxigraph-raw")
            rows.append(
                [
                    label,
                    "query",
                    q,
                    "rdflib (baseline)",
                    f"> {base_to:.0f} s" if base_to else _fmt(base_p50, "s"),
                    _fmt(base.get("p95"), "s") if base and base_p50 else "",
                    "1.0×",
                    f"{base['rows']} rows" if base and "rows" in base else "",
                ]
            )
            if raw:
                rows.append(
                    [
                        label,
                        "query",
                        q,
                        "pyoxigraph raw",
                        _fmt(raw["p50"], "s"),
                        _fmt(raw["p95"], "s"),
                        _ratio(raw["p50"], base_p50, base_to),
                        f"{raw['rows']} rows",
                    ]
                )
            for store in STORES:
                for mode in ("select", "api"):
                    r = get(store, mode)
                    if not r:
                        continue
                    if r.get("timeout"):
                        rows.append(
                            [
                                label,
                                "query",
                                q,
                                f"{store} {mode}",
                                f"> {r['timeout']:.0f} s",
                                "",
                                "—",
                                "",
                            ]
                        )
                        continue
                    note = f"{r['rows']} rows"
                    if raw and store == "oxigraph":
                        note += f"; {r['p50'] / raw['p50']:.2f}× raw pyoxigraph"
                    rows.append(
                        [
                            label,
                            "query",
                            q,
                            f"{store} {mode}",
                            _fmt(r["p50"], "s"),
                            _fmt(r["p95"], "s"),
                            _ratio(r["p50"], base_p50, base_to),
                            note,
                        ]
                    )
        for r in rs:
            if r.get("kind") == "network":
                if "error" in r:
                    rows.append(
                        [
                            label,
                            "centrality",
                            f"{r['view']} {r['phase']}",
                            "oxigraph",
                            "error",
                            "",
                            "—",
                            r["error"][:80],
                        ]
                    )
                    continue
                note = (
                    f"{r['nodes']:,} nodes, {r['edges']:,} edges"
                    if "nodes" in r
                    else f"{r.get('ranked', 0):,} ranked"
                )
                rows.append(
                    [
                        label,
                        "centrality",
                        f"{r['view']} {r['phase']}",
                        "oxigraph",
                        _fmt(r["seconds"], "s"),
                        "",
                        _ratio(r["seconds"], base_parse),
                        note,
                    ]
                )
            if r.get("store") == "network" and r.get("timeout"):
                rows.append(
                    [
                        label,
                        "centrality",
                        "(rest)",
                        "oxigraph",
                        f"> {r['timeout']:.0f} s (stopped)",
                        "",
                        "—",
                        "budget exceeded",
                    ]
                )
            if r.get("kind") == "page":
                if "error" in r:
                    rows.append(
                        [label, "page", r["phase"], "chromium", "error", "", "—", r["error"]]
                    )
                    continue
                what = "render (build_page)" if r["phase"] == "render" else "settle in Chromium"
                rows.append(
                    [
                        label,
                        "page",
                        f"{r['nodes']:,} nodes: {what}",
                        "chromium" if r["phase"] == "settle" else "python",
                        _fmt(r["seconds"], "s"),
                        "",
                        _ratio(r["seconds"], base_parse),
                        "",
                    ]
                )
            if r.get("store") == "page" and r.get("timeout"):
                rows.append(
                    [
                        label,
                        "page",
                        "(rest)",
                        "chromium",
                        f"> {r['timeout']:.0f} s (stopped)",
                        "",
                        "—",
                        "budget exceeded",
                    ]
                )
    return rows


HEADER = ["size (triples)", "area", "item", "store", "p50 / value", "p95", "vs rdflib", "note"]


def markdown(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def plain(rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [HEADER, *rows])


def _relabel_raw(records: list[dict]) -> list[dict]:
    """Files written before the tag fix labelled raw-pyoxigraph rows as ``oxigraph``/``select``:
    in those, the second such row of a query (the worker emits ours first) is the raw one."""
    if any(r.get("store") == "pyoxigraph-raw" for r in records):
        return records
    seen: set[tuple] = set()
    for r in records:
        if r.get("kind") == "query" and r.get("store") == "oxigraph" and r.get("mode") == "select":
            key = (r.get("size"), r.get("query"))
            if key in seen:
                r["store"] = "pyoxigraph-raw"
            seen.add(key)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one small size, few repeats (~1 min)")
    parser.add_argument("--sizes", default=None, help="comma-separated triple counts")
    parser.add_argument("--json", default=None, metavar="FILE", help="write results here")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated: baseline, memory, oxigraph-disk, remote, oxigraph-fast, validate, "
        "network, page",
    )
    parser.add_argument(
        "--budget-scale", type=float, default=1.0, help="multiply every time budget by this"
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="JSON",
        help="print one table from earlier result files (later files replace earlier figures "
        "of the same size and store) and write it with --json",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = [10_000] if args.quick else [100_000, 1_000_000]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.time()
    records: list[dict] = []
    if args.merge:
        for name in args.merge:
            later = _relabel_raw(json.loads(Path(name).read_text(encoding="utf-8"))["records"])
            groups = {(r.get("size"), r.get("task"), r.get("store")) for r in later}
            records = [
                r for r in records if (r.get("size"), r.get("task"), r.get("store")) not in groups
            ]
            records.extend(later)
        sizes = sorted({r["size"] for r in records if "size" in r})
    for size in [] if args.merge else sizes:
        records.extend(bench_size(size, args.quick, skip, args.budget_scale))
    rows = table(records)
    print(plain(rows))
    out = (
        Path(args.json)
        if args.json
        else (
            ROOT / "bench-results" / f"bench-{'quick-' if args.quick else ''}"
            f"{'-'.join(str(s) for s in sizes)}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "sizes": sizes,
                "quick": args.quick,
                "seconds": time.time() - started,
                "machine": {
                    "python": platform.python_version(),
                    "cpus": __import__("os").cpu_count(),
                },
                "records": records,
                "table": [HEADER, *rows],
                "markdown": markdown(rows),
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    log(f"wrote {out} ({time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
