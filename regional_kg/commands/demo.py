"""``rkg demo``: build the curated graph and show what it holds and what it answers.

A first look for a newcomer: the build summary, the graphs and classes (as ``rkg info``), and a
few catalogue queries with their first rows.
"""

from __future__ import annotations

import argparse

from regional_kg.build import build
from regional_kg.catalogue import catalogue, run_query
from regional_kg.commands import store_options
from regional_kg.commands.info import describe
from regional_kg.progress import Phases
from regional_kg.report import validation_text, write_report
from regional_kg.stores.base import term_to_python

#: Catalogue queries the demo runs first when the catalogue has them (no parameters needed).
DEMO_QUERIES = ("visits", "agreements", "trade-turnover", "meetings", "leaders")
MAX_ROWS = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "demo", run)
    parser.add_argument(
        "--queries", type=int, default=3, metavar="N", help="run N catalogue queries (default 3)"
    )
    parser.add_argument(
        "--report",
        default="build/report",
        metavar="DIR",
        help="write the offline HTML report here (default %(default)s; '' to skip)",
    )


def run(args: argparse.Namespace) -> int:
    result = build(args.source, store=args.store, validate=not args.no_validate)
    print("== build")
    print(result.summary())
    print()
    print("== what the graph holds")
    print(describe(result.store))
    if args.queries > 0:
        print()
        print("== a few catalogue queries")
        for block in run_catalogue_queries(result.store, args.queries):
            print(block)
    if args.report:
        print()
        print("== report")
        phases = Phases("report", 5)  # write_report's phases: live on a terminal
        try:
            report = write_report(
                args.report,
                store=result.store,
                validation=validation_text(result),
                progress=phases,
            )
        finally:
            phases.finish()
        print(report.summary())
    result.store.close()
    return 0


def run_catalogue_queries(store, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Text blocks for up to ``count`` catalogue queries that need no parameter."""
    specs = [s for s in catalogue() if not any(p.required for p in s.params)]
    order = {name: i for i, name in enumerate(DEMO_QUERIES)}
    specs.sort(key=lambda s: (order.get(s.name, len(order)), s.name))
    blocks = []
    for spec in specs[:count]:
        result = run_query(store, spec.name, {})
        lines = [f"-- {spec.name}: {spec.title} ({len(result)} rows)"]
        for row in result.rows[:MAX_ROWS]:
            cells = [f"{v}={_cell(term_to_python(row.get(v)))}" for v in result.variables]
            lines.append("   " + "  ".join(c for c in cells if not c.endswith("=")))
        if len(result) > MAX_ROWS:
            lines.append(f"   ... {len(result) - MAX_ROWS} more (rkg query {spec.name})")
        blocks.append("\n".join(lines))
    return blocks


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    for prefix in ("https://w3id.org/regional-kg/id/", "https://w3id.org/regional-kg/concept/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text if len(text) <= 60 else text[:57] + "..."
