"""``rkg enrich``: Wikidata identifiers, leaders' terms and memberships, in a graph of their own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regional_kg.commands import store_options
from regional_kg.enrich import DEFAULT_ENDPOINT, enrich
from regional_kg.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "enrich", run)
    parser.add_argument(
        "--endpoint", default=DEFAULT_ENDPOINT, metavar="URL", help="default: %(default)s"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="also write the new graph as TriG to FILE"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, metavar="S", help="per query (default: 60)"
    )


def run(args: argparse.Namespace) -> int:
    store = store_options.store_from_args(args)
    try:
        result = enrich(store, args.endpoint, timeout=args.timeout)
    finally:
        store.close()
    trig = result.dataset.serialize(format="trig", encoding="utf-8")
    if args.output:
        path = Path(args.output)
        try:
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(trig)
            tmp.replace(path)
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"rkg enrich: {result.summary()}", file=sys.stderr)
    for conflict in result.conflicts:
        print(f"  conflict: {conflict}", file=sys.stderr)
    for iri, qids in sorted(result.ambiguous.items()):
        print(f"  ambiguous: {iri} matches {', '.join(qids)} (not linked)", file=sys.stderr)
    if not store.persistent and not args.output:
        # an in-memory store ends with this process: hand the graph over instead of losing it
        sys.stdout.buffer.write(trig)
        print(
            "note: the store lives in this process only; the graph was printed as TriG "
            "(keep it with --output FILE and pass it back with --source)",
            file=sys.stderr,
        )
    return 0
