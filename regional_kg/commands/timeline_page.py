"""``rkg timeline-page``: the dated events on a time axis, one lane per kind, with sources."""

from __future__ import annotations

import argparse

from regional_kg.commands import common, store_options
from regional_kg.network.projection import make_period
from regional_kg.timeline import write_timeline_page


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "timeline-page", run)
    states = "only this state's events (ISO code, label or IRI; repeatable; default: the five)"
    common.add_repeatable(parser, "--state", metavar="S", help=states)
    common.add_period(parser, "events")
    common.add_page_options(parser)


def run(args: argparse.Namespace) -> int:
    out = common.page_path(args)
    make_period(since=args.since, until=args.until)
    store = store_options.store_from_args(args, read_only=True)
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
