"""``rkg export``: write the store's content as Turtle, TriG, N-Triples, N-Quads or JSON-LD."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from regional_kg.commands import common, network_options, store_options
from regional_kg.export import EXPORT_FORMATS, export
from regional_kg.network.export import EXPORT_FORMATS as NETWORK_FORMATS
from regional_kg.network.export import export_network
from regional_kg.network.projection import check_view, make_period, project
from regional_kg.network.ranking import split_layers


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "export", run)
    parser.add_argument(
        "--format",
        "-f",
        default="trig",
        choices=[*EXPORT_FORMATS, *NETWORK_FORMATS],
        help="default: trig; graphml/gexf write the projected network (Gephi, Cytoscape)",
    )
    parser.add_argument(
        "--no-inferred", action="store_true", help="leave out the rkgg:inferred graph"
    )
    common.add_text_output(parser)
    add_network_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.format in NETWORK_FORMATS:
        return run_network_export(args)
    store = store_options.store_from_args(args, read_only=True)
    try:
        data = export(store, args.format, inferred=not args.no_inferred, output=args.output)
    finally:
        store.close()
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


# --- network formats (graphml, gexf): the CLI side of regional_kg.network.export


def add_network_options(parser: argparse.ArgumentParser) -> None:
    """The options ``rkg export`` takes for a network format (ignored by the RDF formats)."""
    group = parser.add_argument_group("network formats (graphml, gexf)")
    network_options.add_network_selection(group, layer_default="all")


def run_network_export(args: argparse.Namespace) -> int:
    """Project the store and write it as GraphML/GEXF to ``--output`` (or stdout)."""
    check_view(args.view)
    layers, _ = split_layers(args.layer)
    period = make_period(args.year, args.since, args.until)
    store = store_options.store_from_args(args, read_only=True)
    try:
        graph = project(store, layers, args.view, period=period)
    finally:
        store.close()
    if args.output:
        export_network(graph, args.format, args.output)
        print(
            f"wrote {args.output} ({graph.number_of_nodes()} nodes, "
            f"{graph.number_of_edges()} edges)",
            file=sys.stderr,
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = export_network(graph, args.format, Path(tmp) / f"network.{args.format}")
        sys.stdout.buffer.write(path.read_bytes())
        sys.stdout.flush()
    return 0
