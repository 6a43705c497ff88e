"""``rkg sources``: the documents behind the graph as Markdown (``docs/sources.md``), and the
README's "What is in the graph" block, both counted from the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regional_kg import graph_summary
from regional_kg.atomic import write_atomically
from regional_kg.commands import common, store_options
from regional_kg.errors import UserError
from regional_kg.stores.base import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = store_options.add_store_command(subparsers, "sources", run)
    common.add_text_output(parser)
    parser.add_argument(
        "--readme", metavar="FILE", help="update the generated block of this README in place"
    )


def run(args: argparse.Namespace) -> int:
    store = store_options.store_from_args(args, read_only=True)
    if args.readme:
        update_readme(Path(args.readme), store)
        return 0
    page = graph_summary.sources_markdown(store)
    if args.output:
        write_atomically(Path(args.output), page.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(page)
    return 0


def update_readme(path: Path, store: Store) -> None:
    """``--readme FILE``: rewrite the generated block of ``path`` with ``store``'s counts."""
    begin, end = graph_summary.README_BEGIN, graph_summary.README_END
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    if begin not in text or end not in text:
        raise UserError(f"{path} has no generated block ({begin} ... {end})")
    block = graph_summary.summarise(store).markdown()
    updated = graph_summary.replace_readme_block(text, block)
    write_atomically(path, updated.encode("utf-8"))
    print(f"updated the graph summary in {path}", file=sys.stderr)
