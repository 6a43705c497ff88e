"""``rkg sheet``: check sheets, print the RDF they compile to, write a sheet from the graph.

Examples::

    rkg sheet check graph/sheets/*.yaml
    rkg sheet to-rdf my-press-release.yaml > my-press-release.trig
    rkg sheet from-rdf nca-2023-09-15-fifth-consultative-meeting -o nca.yaml

Building with sheets needs no command of its own: ``rkg build --source my.yaml`` (or a folder of
sheets) compiles them as it reads them, then validates the result as any source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regional_kg.build import read_dataset
from regional_kg.commands import COMMANDS, common
from regional_kg.errors import UserError
from regional_kg.sheets import SHEET_EXTENSIONS, SheetError, compile_sheet
from regional_kg.sheets.draft import draft_file
from regional_kg.sheets.fromrdf import sheet_for_document


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sheet", help=COMMANDS["sheet"].help, description=COMMANDS["sheet"].description
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    check = actions.add_parser("check", help="check sheets without building the graph")
    check.add_argument("files", nargs="+", metavar="FILE", help="sheets or folders of sheets")
    check.add_argument(
        "--allow-drafts", action="store_true", help="accept facts marked status: draft"
    )
    check.set_defaults(func=run_check)

    to_rdf = actions.add_parser("to-rdf", help="print the TriG a sheet compiles to")
    to_rdf.add_argument("file", metavar="FILE")
    to_rdf.add_argument("--allow-drafts", action="store_true", help="compile drafts too")
    to_rdf.set_defaults(func=run_to_rdf)

    from_rdf = actions.add_parser("from-rdf", help="write a sheet for a document in the graph")
    from_rdf.add_argument("document", metavar="DOC", help="document id (doc/<id>) or its IRI")
    common.add_text_output(from_rdf)
    from_rdf.set_defaults(func=run_from_rdf)
    parser.set_defaults(func=lambda args: _usage(parser))

    draft = common.add_command(subparsers, "draft", run_draft)
    draft.add_argument("document", metavar="DOCUMENT.txt", help="the document as plain text")
    draft.add_argument("--url", help="where the document is published")
    draft.add_argument("--published", metavar="DATE", help="its date (YYYY-MM-DD)")
    draft.add_argument("--title", help="its title (default: the first paragraph)")
    common.add_text_output(draft)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _sheet_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SHEET_EXTENSIONS)
            if not found:
                raise UserError(f"{raw}: the folder holds no sheet (.yaml, .yml)")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"{raw}: no such file or folder")
    return files


def run_check(args: argparse.Namespace) -> int:
    """Compile every sheet; report each one's facts or its first error (all sheets are tried)."""
    failed = 0
    for path in _sheet_files(args.files):
        try:
            compiled = compile_sheet(path, display=str(path), allow_drafts=args.allow_drafts)
        except SheetError as exc:
            failed += 1
            print(f"rkg sheet check: error: {exc}", file=sys.stderr)
            continue
        triples = len(compiled.dataset.graph(compiled.graph))
        print(f"{path}: ok, {len(compiled.facts)} facts, {triples} triples")
    return 2 if failed else 0


def run_to_rdf(args: argparse.Namespace) -> int:
    compiled = compile_sheet(args.file, display=args.file, allow_drafts=args.allow_drafts)
    sys.stdout.write(compiled.trig())
    return 0


def run_draft(args: argparse.Namespace) -> int:
    if not Path(args.document).is_file():
        raise UserError(f"{args.document}: no such file")
    text = draft_file(args.document, url=args.url, published=args.published, title=args.title)
    common.write_text_output(text, args.output)
    return 0


def run_from_rdf(args: argparse.Namespace) -> int:
    dataset, _ = read_dataset()
    common.write_text_output(sheet_for_document(args.document, dataset), args.output)
    return 0
