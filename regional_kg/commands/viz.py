"""``rkg viz``: draw the relation network as one self-contained, offline HTML page."""

from __future__ import annotations

import argparse

from regional_kg.commands import common, store_options
from regional_kg.errors import ParameterError
from regional_kg.network.measures import check_measures
from regional_kg.network.projection import check_layers
from regional_kg.page import write_page
from regional_kg.page.from_store import network_page


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "viz", run)
    layers = "only this layer of relations (treaty, diplomatic, institutional, trade); repeatable"
    common.add_repeatable(parser, "--layer", metavar="LAYER", help=layers)
    parser.add_argument("--view", choices=("partners", "actors"), default="partners")
    parser.add_argument("--year", type=int, default=None, help="only relations of this year")
    parser.add_argument(
        "--by-year",
        action="store_true",
        help="open the page on the first year (the year slider is there whenever the relations "
        "span several years; node sizes follow the year shown)",
    )
    collapse = parser.add_mutually_exclusive_group()
    collapse.add_argument(
        "--collapse",
        dest="collapse",
        action="store_true",
        default=None,
        help="draw the relations of a layer between one pair as one edge with a count "
        "(default for the partners view); click it to expand",
    )
    collapse.add_argument(
        "--expand",
        dest="collapse",
        action="store_false",
        help="draw every relation as its own edge (default for the actors view)",
    )
    parser.add_argument(
        "--size-by", default=None, metavar="MEASURE", help="centrality measure for node size"
    )
    parser.add_argument(
        "--top", type=int, default=150, help="draw at most N nodes, the most central (default 150)"
    )
    common.add_page_options(parser)


def run(args: argparse.Namespace) -> int:
    out = common.page_path(args)
    if args.by_year and args.year is not None:
        raise ParameterError("--by-year shows every year; it does not go with --year")
    common.check_at_least_one("--top", args.top)
    # bad options fail before the (slower) build

    check_layers(args.layer or None)
    if args.size_by:
        check_measures([args.size_by])
    store = store_options.store_from_args(args, read_only=True)
    drawn = network_page(
        store,
        layers=args.layer or None,
        **common.passed_on(args, "view", "year", "size_by", "top", "title", "by_year", "collapse"),
    )
    write_page(drawn.rendered.html, out)
    r = drawn.rendered
    print(f"Wrote {out}: {len(r.nodes)} nodes and {len(r.edges)} relations drawn", end="")
    print(f" (projection: {r.total_nodes} nodes, {r.total_edges} relations).")
    if r.note:
        print(r.note)
    return 0
