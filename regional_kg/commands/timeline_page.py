"""``rkg timeline-page``: the dated events on a time axis, one lane per kind, with sources."""

from __future__ import annotations

import argparse
from pathlib import Path

from regional_kg.commands.common import add_store_options, store_from_args
from regional_kg.errors import ParameterError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "timeline-page",
        help="draw the events (visits, meetings, agreements, terms, elections) on a time axis",
        description="Write an offline HTML page of the catalogue's timeline: one lane per kind "
        "of event, each event's sources (document and paragraph) on hover or click.",
    )
    add_store_options(parser)
    parser.add_argument(
        "--state",
        action="append",
        default=[],
        metavar="S",
        help="only this state's events (ISO code, label or IRI; repeatable; default: the five)",
    )
    parser.add_argument("--since", type=int, metavar="Y", help="only events from year Y on")
    parser.add_argument("--until", type=int, metavar="Y", help="only events up to year Y")
    parser.add_argument("--title", default=None, help="heading of the page")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from regional_kg.network.projection import make_period
    from regional_kg.timeline import write_timeline_page

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ParameterError(f"-o {out}: the page must be written to a .html file")
    make_period(since=args.since, until=args.until)
    store = store_from_args(args, read_only=True)
    path, events = write_timeline_page(
        store,
        out,
        states=args.state or None,
        since=args.since,
        until=args.until,
        title=args.title,
    )
    years = sorted({e.year for e in events})
    span = f", {years[0]}–{years[-1]}" if years else ""
    kinds: dict[str, int] = {}
    for event in events:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1
    detail = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(f"Wrote {path}: {len(events)} events{span}" + (f" ({detail})" if detail else "") + ".")
    return 0
