"""``rkg build``: read, infer, validate and load the graph; print what was built."""

from __future__ import annotations

import argparse

from regional_kg.build import build
from regional_kg.commands import store_options


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "build", run)
    parser.add_argument(
        "--validator",
        choices=("sparql", "pyshacl"),
        default=None,
        help=(
            "how SHACL shapes are checked: sparql (compiled to SPARQL, run by Oxigraph; the "
            "default for oxigraph and sparql stores, which then build Oxigraph-natively) or "
            "pyshacl (the default for --store memory; elsewhere it selects the rdflib pipeline, "
            "to cross-check a build)"
        ),
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="terms of the project's namespaces that the ontology does not define are errors in "
        "your sources too (in the curated graph they always are; otherwise warnings)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    result = build(
        args.source,
        store=args.store,
        validate=not args.no_validate,
        validator=args.validator,
        strict=args.strict,
    )
    if not args.quiet:
        print(result.summary())
        if not result.store.persistent:
            print(
                f"note: the {result.store.spec} store lives in this process only; "
                "use --store oxigraph:DIR to keep the build"
            )
    result.store.close()
    return 0
