"""``rkg synth``: write a synthetic region (N-Quads or TriG) for tests and benchmarks.

Examples::

    rkg synth --states 40 --years 10 --seed 1 -o region.nq       # about 100k triples
    rkg synth --triples 1000000 -o big.nq                          # picks states and years
    rkg build --source region.nq --store oxigraph:/tmp/kg
"""

from __future__ import annotations

import argparse
import sys
import time

from regional_kg import synth
from regional_kg.commands import common
from regional_kg.errors import ParameterError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = common.add_command(subparsers, "synth", run)
    parser.add_argument("--states", type=int, default=None, metavar="N", help="number of states")
    parser.add_argument("--years", type=int, default=None, metavar="Y", help="number of years")
    parser.add_argument(
        "--triples",
        type=int,
        default=None,
        metavar="T",
        help="pick --states/--years to reach about T triples (instead of giving them)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    parser.add_argument(
        "--format",
        choices=("nq", "trig"),
        default=None,
        help="nq (N-Quads, default) or trig; default from the file extension",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    if args.triples is not None:
        if args.states is not None or args.years is not None:
            raise ParameterError("give either --triples or --states/--years, not both")
        states, years = synth.size_for(args.triples)
    else:
        states = args.states if args.states is not None else 10
        years = args.years if args.years is not None else 5
    fmt = args.format
    if fmt is None:
        fmt = "trig" if args.output.lower().endswith(".trig") else "nq"
    start = time.perf_counter()
    try:
        stats = synth.write_file(args.output, states, years, args.seed, fmt)
    except OSError as exc:
        raise ParameterError(f"{args.output}: cannot write: {exc.strerror or exc}") from exc
    if not args.quiet:
        seconds = time.perf_counter() - start
        print(
            f"wrote {args.output}: {stats.triples:,} triples in {stats.graphs} graphs, "
            f"{stats.states} states x {stats.years} years, {stats.facts:,} cited facts "
            f"({seconds:.1f} s)",
            file=sys.stderr,
        )
    return 0
