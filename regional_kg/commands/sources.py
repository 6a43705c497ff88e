"""``rkg sources``: the documents behind the graph as Markdown (``docs/sources.md``), and the
README's "What is in the graph" block, both counted from the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regional_kg.atomic import write_atomically
from regional_kg.commands import common, store_options
from regional_kg.errors import UserError
from regional_kg.graph_summary import (
    README_BEGIN,
    README_END,
    replace_readme_block,
    sources_markdown,
    summarise,
)

DESCRIPTION = (
    "Write every source document with its publisher, kind, date and number of "
    "facts as a Markdown page, counted from the graph. With --readme FILE, rewrite the "
    "generated 'What is in the graph' block of that README instead."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "sources", run, DESCRIPTION)
    common.add_text_output(parser)
    parser.add_argument(
        "--readme", metavar="FILE", help="update the generated block of this README in place"
    )


def run(args: argparse.Namespace) -> int:
    store = store_options.store_from_args(args, read_only=True)
    if args.readme:
        path = Path(args.readme)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot read {path}: {exc.strerror}") from exc
        if README_BEGIN not in text or README_END not in text:
            raise UserError(f"{path} has no generated block ({README_BEGIN} ... {README_END})")
        updated = replace_readme_block(text, summarise(store).markdown())
        write_atomically(path, updated.encode("utf-8"))
        print(f"updated the graph summary in {path}", file=sys.stderr)
        return 0
    page = sources_markdown(store)
    if args.output:
        write_atomically(Path(args.output), page.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(page)
    return 0
