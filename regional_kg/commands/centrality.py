"""``rkg centrality``: who is central, on which layer, in which year, and why.

Thin: parses options, calls :func:`regional_kg.network.centrality`, prints the rows (with their
evidence) as a table, CSV, JSON or Markdown, and optionally draws a bar chart.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regional_kg.commands import common, network_options, store_options
from regional_kg.errors import ParameterError
from regional_kg.formatting import csv_safe, printable, text_table
from regional_kg.network import BACKENDS, LAYERS, MEASURES, Rows, centrality, centrality_by_year
from regional_kg.network.chart import write_chart, write_year_chart
from regional_kg.network.evidence import format_relations
from regional_kg.network.measures import check_measures, parse_layer_weights
from regional_kg.network.projection import check_view, make_period
from regional_kg.network.ranking import parse_compare, split_layers
from regional_kg.network.timeseries import COLUMNS

#: How a chart of the rows is written (:mod:`regional_kg.network.chart`).
_Chart = Callable[["Rows", str], Path]

FORMATS = ("table", "csv", "json", "md")
_EVIDENCE = ("relations", "trade_usd_million", "documents", "facts", "sources", "publishers")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = common.add_command(subparsers, "centrality", run, layers=", ".join(LAYERS))
    network_options.add_network_selection(parser, layer_default="the four, aggregated")
    parser.add_argument(
        "--measure",
        action="append",
        metavar="M",
        help=f"measure: {', '.join(MEASURES)} (repeatable; the first ranks)",
    )
    parser.add_argument(
        "--compare",
        metavar="A:B",
        help="score two periods (e.g. 2016:2017 or 2015-2016:2017) and show the change",
    )
    parser.add_argument(
        "--layer-weight",
        action="append",
        metavar="LAYER=W",
        help="weight of a layer in the aggregate, e.g. trade=2 (repeatable; default 1)",
    )
    parser.add_argument(
        "--by-year",
        action="store_true",
        help="score every year of the span (with --since/--until): one row per year, node and "
        "measure (default measure: strength); --chart draws one line per node",
    )
    parser.add_argument(
        "--cumulative",
        action="store_true",
        help="with --by-year: score the relations up to and including each year",
    )
    parser.add_argument("--ego", metavar="STATE", help="rank the partners of this state")
    parser.add_argument("--top", type=int, default=None, metavar="N", help="show the first N")
    parser.add_argument("--format", default="table", choices=FORMATS)
    parser.add_argument("--chart", metavar="FILE.png", help="also write a bar chart (matplotlib)")
    parser.add_argument(
        "--backend",
        default="auto",
        choices=BACKENDS,
        help="graph library: auto (default) is igraph when installed (the 'fast' extra), "
        "else networkx",
    )
    parser.add_argument(
        "--sample",
        type=int,
        metavar="K",
        help="estimate betweenness and closeness from K sampled sources (default: 500 "
        "above 2,000 nodes; docs/centrality.md)",
    )
    parser.add_argument(
        "--exact", action="store_true", help="exact betweenness and closeness on any size"
    )
    store_options.add_store_options(parser)


def run(args: argparse.Namespace) -> int:
    # Check every option before the (possibly slow) store is built.
    check_view(args.view)
    split_layers(args.layer)
    check_measures(args.measure)
    parse_layer_weights(args.layer_weight)
    make_period(args.year, args.since, args.until)
    if args.compare:
        parse_compare(args.compare)
    common.check_at_least_one("--top", args.top)
    common.check_at_least_one("--sample", args.sample)
    if args.sample is not None and args.exact:
        raise ParameterError("give either --sample or --exact, not both")
    if args.chart and not args.chart.lower().endswith(".png"):
        raise ParameterError(f"--chart {args.chart}: the chart is a PNG file (name it *.png)")
    if args.by_year or args.cumulative:
        return _run_by_year(args)
    store = store_options.store_from_args(args, read_only=True)
    rows = centrality(store, year=args.year, ego=args.ego, compare=args.compare, **_selection(args))
    return _show(rows, "relations", render(rows, args.format), args.chart, write_chart)


def _run_by_year(args: argparse.Namespace) -> int:
    """``--by-year``: the tidy time series of :func:`regional_kg.centrality_by_year`."""
    if not args.by_year:
        raise ParameterError("--cumulative goes with --by-year")
    for flag, value in (("--year", args.year), ("--compare", args.compare), ("--ego", args.ego)):
        if value is not None:
            raise ParameterError(
                f"--by-year scores every year; {flag} does not go with it (use --since/--until)"
            )
    store = store_options.store_from_args(args, read_only=True)
    rows = centrality_by_year(store, cumulative=args.cumulative, **_selection(args))
    text = render_by_year(rows, args.format)
    return _show(rows, "dated relations", text, args.chart, write_year_chart)


def _selection(args: argparse.Namespace) -> dict[str, Any]:
    """The options ``centrality`` and ``centrality_by_year`` both take, as their keywords."""
    return common.passed_on(
        args,
        "view",
        "since",
        "until",
        "top",
        "backend",
        "exact",
        layers="layer",
        measures="measure",
        layer_weights="layer_weight",
        k="sample",
    )


def _show(rows: Rows, what: str, text: str, chart: str | None, draw: _Chart) -> int:
    """Print ``text`` (``rows`` rendered), say when there were no ``what``, draw ``chart``."""
    if not rows:
        print(f"no {what} in {_scope(rows)}", file=sys.stderr)
    sys.stdout.write(text)
    if chart:
        draw(rows, chart)
        print(f"chart written to {chart}", file=sys.stderr)
    return 0


def render_by_year(rows, fmt: str) -> str:
    """The tidy rows of ``--by-year`` as ``table``, ``csv``, ``json`` or ``md`` text."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(rows, list(COLUMNS))
    if not rows:
        return "(no rows)\n"
    meta = rows.meta
    ident = "iso" if meta["view"] == "partners" else "kind"
    columns = ["year", "label", ident, "measure", "score", "rank", "edges", *_EVIDENCE]
    headings = [c.replace("trade_usd_million", "trade $m") for c in columns]
    cells = [[printable(_cell(row.get(c))) for c in columns] for row in rows]
    title = (
        f"{', '.join(meta['measures'])} by year — layers: {', '.join(meta['layers'])}; "
        f"view: {meta['view']}; {meta['period']}"
        + ("; cumulative" if meta.get("cumulative") else "")
    )
    return _emit(title, headings, cells, fmt)


def _scope(rows) -> str:
    meta = rows.meta
    return f"layers {', '.join(meta['layers'])}, view {meta['view']}, {meta['period']}"


def _columns(rows, full: bool) -> list[str]:
    """Identity, score columns (all in csv/json, the main ones in tables), then evidence."""
    meta = rows.meta
    first = rows[0]
    scores = [c for c in first if c not in ("rank", "node", "label", "iso", "kind", "score")]
    scores = [c for c in scores if c not in ("edges", "sample", *_EVIDENCE)]
    if not full:  # tables: every measure, and the ranking one per layer / before / change
        main = str(meta["score"])
        scores = [
            c for c in scores if ":" not in c or (c.split(":")[0] == main and c.count(":") == 1)
        ]
    ident = ["rank", "label", "iso"] if meta["view"] == "partners" else ["rank", "label", "kind"]
    if full:
        ident = ["rank", "node", "label", "iso", "kind"]
    sample = ["sample"] if "sample" in first else []
    return ident + scores + ["edges", *_EVIDENCE] + sample


def _cell(value: object, machine: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        if machine:
            return ";".join(f"{k}={v}" for k, v in value.items())
        return format_relations(value)
    if isinstance(value, float):
        return repr(value) if machine else f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.1f}"
    return str(value)


def render(rows, fmt: str) -> str:
    """The rows as ``table``, ``csv``, ``json`` or ``md`` text."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return "" if fmt == "csv" else "(no rows)\n"
    if fmt == "csv":
        return _csv(rows, _columns(rows, full=True))
    columns = _columns(rows, full=False)
    cells = [[printable(_cell(row.get(c))) for c in columns] for row in rows]
    headings = [c.replace("trade_usd_million", "trade $m") for c in columns]
    meta = rows.meta
    title = (
        f"{meta['score']} — layers: {', '.join(meta['layers'])}; view: {meta['view']}; "
        f"{meta['period']}" + (f"; partners of {meta['ego_label']}" if meta["ego"] else "")
    )
    if meta.get("samples"):
        sampled = ", ".join(f"{name}={size}" for name, size in meta["samples"].items())
        title += f"; sampled sources: {sampled} (--exact for exact values)"
    return _emit(title, headings, cells, fmt)


def _csv(rows, columns: list[str]) -> str:
    """The ``columns`` of ``rows`` as CSV, cells in their machine form."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(_cell(row.get(c), machine=True)) for c in columns])
    return out.getvalue()


def _emit(title: str, headings: list[str], cells: list[list[str]], fmt: str) -> str:
    """A Markdown or aligned text table (fitted to the terminal when stdout is one)."""
    if fmt == "md":
        escape = lambda s: printable(s).replace("|", "\\|")  # noqa: E731
        lines = [f"**{escape(title)}**", ""]
        lines.append("| " + " | ".join(headings) + " |")
        lines.append("|" + "|".join("---" for _ in headings) + "|")
        lines += ["| " + " | ".join(escape(c) for c in line) + " |" for line in cells]
        return "\n".join(lines) + "\n"
    numeric = [all(_is_number(line[i]) for line in cells if line[i]) for i in range(len(headings))]
    return text_table(headings, cells, numeric, title=printable(title))


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
