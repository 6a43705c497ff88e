"""``rkg report``: build the graph and write the offline report (index.html and its parts)."""

from __future__ import annotations

import argparse

from regional_kg.commands import common, store_options
from regional_kg.report import build_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "report", run)
    parser.add_argument("-o", "--output", default="build/report", metavar="DIR")
    parser.add_argument(
        "--top", type=int, default=150, help="draw at most N nodes per network page"
    )


def run(args: argparse.Namespace) -> int:
    common.check_at_least_one("--top", args.top)
    result = build_report(
        args.output,
        store=args.store,
        sources=args.source,
        validate=not args.no_validate,
        top=args.top,
    )
    print(result.summary())
    return 0
