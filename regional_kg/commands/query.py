"""``rkg query``: run a catalogue query, a ``.rq`` file or a SPARQL text, and print the rows.

Examples::

    rkg query --list
    rkg query --show agreements
    rkg query agreements --param state=KZ --param partner=KG --format md
    rkg query --file my.rq --param year=2017
    rkg query "SELECT ?s WHERE { ?s a rkg:State }"
"""

from __future__ import annotations

import argparse
import sys

from rdflib import Literal
from rdflib.term import Node

from regional_kg.catalogue import (
    Param,
    QuerySpec,
    catalogue,
    describe_params,
    get_query,
    load_file,
    parse_iri,
    resolve_entity,
    resolve_spec,
    run_query,
)
from regional_kg.commands import common, store_options
from regional_kg.errors import ParameterError, QueryFailed, UserError
from regional_kg.formatting import FORMATS, render
from regional_kg.limits import scan
from regional_kg.stores.base import QueryError, SelectResult, Store, StoreError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = common.add_command(subparsers, "query", run)
    parser.add_argument("query", nargs="?", help="catalogue query name, or SPARQL text")
    parser.add_argument("--file", "-f", metavar="F.rq", help="run the query in this file")
    common.add_repeatable(
        parser, "--param", "-p", metavar="KEY=VALUE", help="a query parameter; repeatable"
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument("--list", action="store_true", help="list the catalogue's queries")
    parser.add_argument("--show", metavar="NAME", help="print a catalogue query (header and text)")
    store_options.add_store_options(parser)


def parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--param {item!r}: write KEY=VALUE")
        if key in params:
            raise ParameterError(f"--param {key!r} given twice")
        params[key] = value
    return params


def list_table(specs: list[QuerySpec]) -> SelectResult:
    rows: list[dict[str, Node]] = [
        {
            "name": Literal(s.name),
            "title": Literal(s.title),
            "params": Literal(describe_params(s)),
        }
        for s in specs
    ]
    return SelectResult(["name", "title", "params"], rows)


def untyped_entity_warnings(store: Store, spec: QuerySpec, params: dict[str, str]) -> list[str]:
    """Warnings for parameters of a header-less query whose value names an entity.

    Without a ``# param:`` header a value is bound as what it looks like (IRI, number, else a
    string), so ``--param state=KZ`` binds the *string* "KZ", which equals no state IRI, and the
    query silently answers nothing. When the value names an entity of the store (an ISO code, a
    label, a slug), say so and how to declare the parameter's type.
    """
    if not spec.adhoc or spec.params or not params:
        return []
    warnings = []
    for name, value in params.items():
        text = str(value).strip()
        if not text or parse_iri(text) is not None or _is_number(text):
            continue
        try:
            iri = resolve_entity(store, Param(name, "entity", False), text)
        except (UserError, StoreError, QueryError):
            continue
        kind = "state" if "/state/" in str(iri) else "entity"
        warnings.append(
            f"warning: --param {name}={text}: {spec.name} declares no parameters, so this binds "
            f'the string "{text}", not {iri} that it names (a state/entity compared with a '
            f"string matches nothing). Declare the type in a header line of the query, e.g. "
            f"'# param: {name} {kind} required', or pass the IRI <{iri}>."
        )
    return warnings


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    if args.list:
        return print_list(args.format)
    if args.show:
        return print_query(args.show)
    spec = spec_from(args)
    params = parse_params(args.param)
    # before any parser sees it: deep nesting overflowed the parser's stack (a segfault)
    scan(spec.text)
    store = store_options.store_from_args(args, read_only=True)
    for warning in untyped_entity_warnings(store, spec, params):
        print(warning, file=sys.stderr)
    result = answer(store, spec, params)
    if not result.rows:
        print(f"rkg query: no results for {spec.name}", file=sys.stderr)
        if args.format in ("table", "md"):
            return 0
    sys.stdout.write(render(result, args.format))
    return 0


def print_list(fmt: str) -> int:
    """``--list``: the catalogue's queries with their titles and parameters."""
    sys.stdout.write(render(list_table(catalogue()), fmt))
    if fmt in ("table", "md"):
        sys.stdout.write("(* = required; rkg query --show NAME for details)\n")
    return 0


def print_query(name: str) -> int:
    """``--show NAME``: the catalogue query's file, header and text."""
    spec = get_query(name)
    sys.stdout.write(spec.text if spec.text.endswith("\n") else spec.text + "\n")
    return 0


def spec_from(args: argparse.Namespace) -> QuerySpec:
    """The query to run: ``--file``, else a catalogue name or SPARQL text (one of them)."""
    if args.file and args.query:
        raise ParameterError("give either a query (name or text) or --file, not both")
    if args.file:
        return load_file(args.file)
    if args.query:
        return resolve_spec(args.query)
    raise ParameterError("give a query name, SPARQL text or --file (rkg query --list)")


def answer(store: Store, spec: QuerySpec, params: dict[str, str]) -> SelectResult:
    """``spec``'s rows over ``store``, which is closed after; a failure is a user error."""
    try:
        return run_query(store, spec, params)
    except QueryError as exc:
        raise QueryFailed(f"query {spec.name}: {exc}") from None
    except StoreError as exc:
        raise QueryFailed(f"{exc}") from None
    finally:
        store.close()
